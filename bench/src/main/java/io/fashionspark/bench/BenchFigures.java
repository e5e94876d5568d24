package io.fashionspark.bench;

import static io.fashionspark.bench.Formats.count;
import static io.fashionspark.bench.Formats.fixed;
import static io.fashionspark.bench.Formats.percent;

import io.fashionspark.model.ModelKind;
import java.util.Comparator;
import java.util.Optional;

/**
 * The figures the report and the targets compare, looked up in one run's results: the best single JVM, the fastest
 * Spark scenario of a worker count, the PyTorch reference, the full runs, the share of the matmul peak; and, where
 * one is missing, the words that say why.
 */
final class BenchFigures {
    static final String NOT_MEASURED = "not measured";

    private final BenchResults r;

    BenchFigures(BenchResults results) {
        this.r = results;
    }

    BenchResults results() {
        return r;
    }

    BenchSettings settings() {
        return r.settings();
    }

    /** The fastest single-JVM scenario of a model: the baseline Spark is measured against. */
    Optional<ScenarioResult> bestSingle(ModelKind m) {
        return r.of(m, ScenarioResult.Engine.SINGLE_JVM).stream()
                .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    Optional<ScenarioResult> spark(ModelKind m, int workers, int frequency) {
        return r.of(m, ScenarioResult.Engine.SPARK).stream()
                .filter(x -> x.workers() == workers && x.averagingFrequency() == frequency).findFirst();
    }

    /** The fastest Spark scenario of a model with that many workers, whatever its averaging frequency. */
    Optional<ScenarioResult> fastestSpark(ModelKind m, int workers) {
        return r.of(m, ScenarioResult.Engine.SPARK).stream().filter(x -> x.workers() == workers)
                .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    /** The fastest Spark scenario with that many workers that is at least {@code accuracy} accurate. */
    Optional<ScenarioResult> fastestSparkAtLeast(ModelKind m, int workers, double accuracy) {
        return r.of(m, ScenarioResult.Engine.SPARK).stream()
                .filter(x -> x.workers() == workers && x.accuracy() >= accuracy)
                .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    double bestSparkAccuracy(ModelKind m, int workers) {
        return r.of(m, ScenarioResult.Engine.SPARK).stream().filter(x -> x.workers() == workers)
                .mapToDouble(ScenarioResult::accuracy).max().orElse(Double.NaN);
    }

    /** The fastest DL4J scenario of a model, one JVM or Spark. */
    Optional<ScenarioResult> bestDl4j(ModelKind m) {
        return r.scenarios().stream().filter(x -> x.model() == m && x.engine() != ScenarioResult.Engine.PYTORCH)
                .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    Optional<ScenarioResult> pytorch(ModelKind m) {
        return r.of(m, ScenarioResult.Engine.PYTORCH).stream().findFirst();
    }

    Optional<FullRun> dl4jFullRun(ModelKind m) {
        return r.fullRun(m, ScenarioResult.Engine.SPARK);
    }

    Optional<FullRun> pytorchFullRun(ModelKind m) {
        return r.fullRun(m, ScenarioResult.Engine.PYTORCH);
    }

    /** Why PyTorch has no figure for a model: it has no such model, it was not run, or its run failed. */
    String pytorchMissing(ModelKind m) {
        if (!PyTorchReference.supports(m)) {
            return "no reference";
        }
        return pytorchState();
    }

    /** For a model PyTorch has: "skipped" where the reference did not run at all, "failed" where it ran. */
    String pytorchState() {
        return r.pytorch() == null ? "skipped" : "failed";
    }

    /** Training FLOPs per image of a model (NaN where not counted). */
    double trainingFlops(ModelKind m) {
        FlopCounter.Count c = r.flops().get(m);
        return c == null ? Double.NaN : c.trainingFlops();
    }

    /** A DL4J scenario's achieved GFLOP/s over the ND4J matmul peak. */
    double peakShare(ModelKind m, ScenarioResult x) {
        return x.gflops(trainingFlops(m)) / r.peak().gflops();
    }

    /** The setup of DL4J's full runs in words. */
    String fullSetup() {
        return "Spark " + Formats.workers(settings().fullWorkers()) + " avg every " + settings().fullFrequency();
    }

    /** When a full run first reached the time-to-accuracy goal, or that it did not. */
    String timeToAccuracy(FullRun run) {
        double goal = settings().ttaTarget();
        return run.firstReaching(goal)
                .map(c -> fixed(c.trainSeconds(), 1) + " s (" + count(c.images()) + " images)")
                .orElse("not reached in " + fixed(run.trainSeconds(), 1) + " s (best " + percent(run.bestAccuracy())
                        + ")");
    }

    /** The cores the JVM used, as the machine facts have it. */
    String cores() {
        return r.machine().getOrDefault("Cores the JVM uses", "?");
    }
}
