package io.fashionspark.bench;

import io.fashionspark.model.ModelKind;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one benchmark run measured, for the report.
 *
 * @param settings     what was asked for
 * @param started      when the run began
 * @param wallSeconds  how long it took
 * @param machine      machine and software facts
 * @param loadBefore   load averages when it began
 * @param loadAfter    and when it ended
 * @param peak         the matrix-multiply peak
 * @param flops        FLOPs per image of each model
 * @param scenarios    every training run, in the order run
 * @param fullRuns     the full runs (DL4J on Spark and PyTorch, every epoch of --full-run-epochs)
 * @param pytorch      the PyTorch environment, or null where the reference did not run
 * @param pytorchNote  why it did not run, or notes on how it ran
 * @param trainSetSize images in the training set
 * @param testSetSize  test images used
 * @param baselineRuns the single-JVM scenarios' images/s before and after the Spark scenarios (the faster counts)
 */
public record BenchResults(BenchSettings settings, ZonedDateTime started, double wallSeconds,
                           int trainSetSize, int testSetSize, Map<String, String> machine, String loadBefore, String loadAfter, MatmulPeak peak,
                           Map<ModelKind, FlopCounter.Count> flops, List<ScenarioResult> scenarios,
                           List<FullRun> fullRuns, PyTorchInfo pytorch, String pytorchNote,
                           List<String> baselineRuns) {

    /** The PyTorch the reference ran on. */
    public record PyTorchInfo(String python, String torch, String blas, boolean openBlas, double matmulGflops,
                              int threads) {
    }

    public Optional<FullRun> fullRun(ModelKind model, ScenarioResult.Engine engine) {
        return fullRuns.stream().filter(f -> f.model() == model && f.engine() == engine).findFirst();
    }

    public List<ScenarioResult> of(ModelKind model, ScenarioResult.Engine engine) {
        return scenarios.stream().filter(s -> s.model() == model && s.engine() == engine).toList();
    }
}
