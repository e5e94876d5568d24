package io.fashionspark.bench;

import static io.fashionspark.bench.BenchFixtures.TORCH;
import static io.fashionspark.bench.BenchFixtures.fullRun;
import static io.fashionspark.bench.BenchFixtures.pytorch;
import static io.fashionspark.bench.BenchFixtures.results;
import static io.fashionspark.bench.BenchFixtures.scenario;
import static io.fashionspark.bench.BenchFixtures.settings;
import static io.fashionspark.bench.BenchTarget.Verdict.MET;
import static io.fashionspark.bench.BenchTarget.Verdict.NOT_MEASURED;
import static io.fashionspark.bench.BenchTarget.Verdict.NOT_MET;
import static io.fashionspark.model.ModelKind.CNN;
import static io.fashionspark.model.ModelKind.DNN;
import static io.fashionspark.model.ModelKind.LENET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.bench.BenchTarget.Comparison;
import io.fashionspark.bench.BenchTarget.Measurement;
import io.fashionspark.bench.BenchTarget.Unit;
import io.fashionspark.bench.BenchTarget.Verdict;
import io.fashionspark.bench.ScenarioResult.Engine;
import io.fashionspark.model.ModelKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The performance targets: what the product ships, and met / not met / not measured for given measurements. */
class BenchTargetsTest {
    private static BenchTarget target(Comparison comparison, double threshold) {
        return new BenchTarget("t", "{model} ≥ {threshold}", List.of(DNN), TargetMeasure.SPARK_VS_SINGLE_JVM,
                comparison, threshold, Unit.RATIO);
    }

    @Test
    void atLeastIsMetFromTheThresholdUp() {
        BenchTarget t = target(Comparison.AT_LEAST, 0.9);
        assertEquals(MET, t.verdict(Measurement.of(0.9, "")), "the threshold itself meets it");
        assertEquals(MET, t.verdict(Measurement.of(1.4, "")));
        assertEquals(NOT_MET, t.verdict(Measurement.of(Math.nextDown(0.9), "")));
        assertEquals(NOT_MET, t.verdict(Measurement.of(Double.NaN, "")), "a figure that could not be computed");
        assertEquals(NOT_MEASURED, t.verdict(Measurement.notMeasured("not measured")));
    }

    @Test
    void atMostIsMetUpToTheThreshold() {
        BenchTarget t = target(Comparison.AT_MOST, 1.0);
        assertEquals(MET, t.verdict(Measurement.of(1.0, "")));
        assertEquals(MET, t.verdict(Measurement.of(0.0, "")));
        assertEquals(NOT_MET, t.verdict(Measurement.of(Math.nextUp(1.0), "")));
        assertEquals(NOT_MET, t.verdict(Measurement.of(Double.POSITIVE_INFINITY, "")));
    }

    @Test
    void aConditionThatFailsFailsTheTargetWhateverTheFigure() {
        BenchTarget t = target(Comparison.AT_LEAST, 1.0);
        assertEquals(NOT_MET, t.verdict(Measurement.of(2.0, false, "faster but less accurate")));
        assertEquals(MET, t.verdict(Measurement.of(2.0, true, "")));
    }

    @Test
    void theProductsTargets() {
        BenchTargets targets = BenchTargets.standard();
        assertEquals(2, targets.workers());
        assertEquals(List.of("spark-vs-single-jvm", "dl4j-vs-pytorch", "cnn-matmul-peak-share",
                "cnn-time-to-accuracy"), targets.targets().stream().map(BenchTarget::id).toList());
        assertEquals(List.of(0.9, 1.0, 0.30, 1.0),
                targets.targets().stream().map(BenchTarget::threshold).toList());
        assertEquals(List.of(Comparison.AT_LEAST, Comparison.AT_LEAST, Comparison.AT_LEAST, Comparison.AT_MOST),
                targets.targets().stream().map(BenchTarget::comparison).toList());
        assertEquals(List.of(List.of(DNN, CNN), List.of(DNN, CNN), List.of(CNN), List.of(CNN)),
                targets.targets().stream().map(BenchTarget::models).toList());
        assertEquals("FashionCNN training ≥ 30.00% of the measured matmul peak",
                targets.targets().get(2).title(CNN, 2, "90.00%"));
    }

    @Test
    void targetsThatDoNotParseSayWhy() {
        String ok = """
                {"workers": 2, "targets": [{"id": "a", "description": "{model} fast", "models": ["cnn"],
                 "measure": "matmul-peak-share", "comparison": "at-least", "threshold": 0.5, "unit": "fraction"}]}""";
        assertEquals(0.5, BenchTargets.parse(ok).targets().get(0).threshold());
        for (String[] broken : List.of(new String[] {"matmul-peak-share", "flops"},
                new String[] {"at-least", "above"}, new String[] {"{model} fast", "{model} {speed}"},
                new String[] {"\"cnn\"", "\"resnet\""}, new String[] {"0.5", "\"half\""})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BenchTargets.parse(ok.replace(broken[0], broken[1])), broken[1]);
            assertTrue(e.getMessage().contains(broken[1].replace("\"", "")), e.getMessage());
        }
    }

    // ---- Evaluated against a run --------------------------------------------------------------------------------

    private static Verdict verdict(BenchResults results, String id, ModelKind model) {
        return evaluation(results, id, model).verdict();
    }

    private static BenchTargets.Evaluation evaluation(BenchResults results, String id, ModelKind model) {
        return BenchTargets.standard().evaluate(new BenchFigures(results)).stream()
                .filter(e -> e.target().id().equals(id) && e.model() == model).findFirst().orElseThrow();
    }

    /** A DNN run whose best single JVM trains 10,000 images/s and whose 2-worker Spark trains {@code images} in 6 s. */
    private static BenchResults sparkAgainstSingle(long sparkImages) {
        List<ScenarioResult> s = List.of(scenario(DNN, Engine.SINGLE_JVM, 1, 0, 60_000, 6.0, 0.85),
                scenario(DNN, Engine.SINGLE_JVM, 1, 0, 60_000, 7.0, 0.85),
                scenario(DNN, Engine.SPARK, 2, 5, sparkImages, 6.0, 0.84),
                scenario(DNN, Engine.SPARK, 1, 5, 60_000, 3.0, 0.84));
        return results(settings(List.of(DNN), List.of(1, 2), List.of(5), 0, 0.9), s, List.of(), null, "skipped");
    }

    @Test
    void sparkAgainstTheBestSingleJvmCountsItsWorkerCountOnly() {
        assertEquals(MET, verdict(sparkAgainstSingle(54_000), "spark-vs-single-jvm", DNN), "0.90x exactly");
        assertEquals(NOT_MET, verdict(sparkAgainstSingle(53_999), "spark-vs-single-jvm", DNN),
                "0.8999x; the faster 1-worker scenario does not count");
        BenchResults noTwoWorkers = results(settings(List.of(DNN), List.of(1), List.of(5), 0, 0.9),
                List.of(scenario(DNN, Engine.SINGLE_JVM, 1, 0, 60_000, 6.0, 0.85),
                        scenario(DNN, Engine.SPARK, 1, 5, 60_000, 3.0, 0.84)), List.of(), null, "skipped");
        assertEquals(NOT_MEASURED, verdict(noTwoWorkers, "spark-vs-single-jvm", DNN));
        assertEquals("0.90x (Spark 2 workers, avg every 5 against single JVM, batch 100)",
                evaluation(sparkAgainstSingle(54_000), "spark-vs-single-jvm", DNN).measurement().shown());
    }

    @Test
    void fasterThanPyTorchCountsOnlyAtEqualOrBetterAccuracy() {
        BenchSettings settings = settings(List.of(DNN, CNN), List.of(2), List.of(5), 5, 0.9);
        BenchResults r = results(settings, List.of(), List.of(
                fullRun(DNN, Engine.SPARK, 15_000, 0.87), fullRun(DNN, Engine.PYTORCH, 10_000, 0.87),
                fullRun(CNN, Engine.SPARK, 3_000, 0.90), fullRun(CNN, Engine.PYTORCH, 1_500, 0.9001)), TORCH, null);
        assertEquals(MET, verdict(r, "dl4j-vs-pytorch", DNN), "as accurate and faster");
        assertEquals(NOT_MET, verdict(r, "dl4j-vs-pytorch", CNN), "twice as fast but 0.01 points less accurate");
        BenchResults slower = results(settings, List.of(), List.of(fullRun(DNN, Engine.SPARK, 9_999, 0.88),
                fullRun(DNN, Engine.PYTORCH, 10_000, 0.87)), TORCH, null);
        assertEquals(NOT_MET, verdict(slower, "dl4j-vs-pytorch", DNN));
    }

    @Test
    void withoutFullRunsTheAsAccurateSparkScenariosCount() {
        BenchSettings settings = settings(List.of(DNN, CNN), List.of(1, 2), List.of(1, 5), 0, 0.9);
        List<ScenarioResult> s = new ArrayList<>(List.of(
                scenario(DNN, Engine.SPARK, 2, 5, 60_000, 3.0, 0.83), // fastest, less accurate than PyTorch
                scenario(DNN, Engine.SPARK, 2, 1, 60_000, 6.0, 0.85), // as fast as PyTorch and as accurate
                scenario(DNN, Engine.SPARK, 1, 1, 60_000, 1.0, 0.90), // 1 worker: does not count
                scenario(CNN, Engine.SPARK, 2, 5, 30_000, 3.0, 0.80), pytorch(DNN, 10_000, 0.85),
                pytorch(CNN, 1_000, 0.90)));
        BenchResults r = results(settings, s, List.of(), TORCH, null);
        assertEquals(MET, verdict(r, "dl4j-vs-pytorch", DNN), "1.00x at 85.00% against 85.00%");
        assertEquals(NOT_MET, verdict(r, "dl4j-vs-pytorch", CNN), "10x faster, no run as accurate");
        assertEquals(NOT_MEASURED, verdict(results(settings, s.subList(0, 4), List.of(), null, "skipped"),
                "dl4j-vs-pytorch", DNN), "PyTorch skipped");
        BenchResults oneWorker = results(settings(List.of(DNN), List.of(1), List.of(1), 0, 0.9),
                List.of(s.get(2), pytorch(DNN, 10_000, 0.85)), List.of(), TORCH, null);
        assertEquals(NOT_MEASURED, verdict(oneWorker, "dl4j-vs-pytorch", DNN), "no Spark run with 2 workers");
    }

    @Test
    void timeToAccuracyIsMetWhenDl4jGetsThereNoLaterThanPyTorch() {
        BenchSettings settings = settings(List.of(CNN), List.of(2), List.of(5), 5, 0.9);
        // Tested every 50,000 images: 1,000 images/s reaches the first test in 50 s, 500 images/s in 100 s.
        assertEquals(MET, tta(settings, fullRun(CNN, Engine.SPARK, 1_000, 0.91, 0.90),
                fullRun(CNN, Engine.PYTORCH, 1_000, 0.91, 0.90)), "at the same time");
        assertEquals(NOT_MET, tta(settings, fullRun(CNN, Engine.SPARK, 500, 0.91, 0.90),
                fullRun(CNN, Engine.PYTORCH, 1_000, 0.91, 0.90)), "later");
        assertEquals(MET, tta(settings, fullRun(CNN, Engine.SPARK, 500, 0.91, 0.90),
                fullRun(CNN, Engine.PYTORCH, 1_000, 0.89, 0.85)), "PyTorch never got there");
        assertEquals(NOT_MET, tta(settings, fullRun(CNN, Engine.SPARK, 1_000, 0.89, 0.85),
                fullRun(CNN, Engine.PYTORCH, 1_000, 0.89, 0.85)), "neither got there");
        assertEquals(NOT_MEASURED, tta(settings, fullRun(CNN, Engine.SPARK, 1_000, 0.91, 0.90), null));
        assertEquals(NOT_MEASURED, tta(settings(List.of(CNN), List.of(2), List.of(5), 5, 0),
                fullRun(CNN, Engine.SPARK, 1_000, 0.91, 0.90), fullRun(CNN, Engine.PYTORCH, 1_000, 0.91, 0.90)),
                "--time-to-accuracy 0");
    }

    private static Verdict tta(BenchSettings settings, FullRun dl4j, FullRun torch) {
        List<FullRun> runs = torch == null ? List.of(dl4j) : List.of(dl4j, torch);
        return verdict(results(settings, List.of(), runs, TORCH, null), "cnn-time-to-accuracy", CNN);
    }

    @Test
    void peakShareAndTheModelsTargetsApplyTo() {
        // 30,000 images in 10 s of a CNN costing 3 x 2 x 4,335,600 FLOPs: 78.0 GFLOP/s of the fixtures' 171.8 (45.43%)
        BenchSettings settings = settings(List.of(CNN, LENET), List.of(2), List.of(5), 0, 0.9);
        BenchResults r = results(settings, List.of(scenario(CNN, Engine.SPARK, 2, 5, 30_000, 10.0, 0.85)),
                List.of(), null, "skipped");
        BenchTargets.Evaluation peak = evaluation(r, "cnn-matmul-peak-share", CNN);
        assertEquals(MET, peak.verdict(), peak.measurement().shown());
        assertTrue(peak.measurement().shown().startsWith("45.43% (Spark 2 workers, avg every 5: 78.0 GFLOP/s"),
                peak.measurement().shown());
        assertTrue(BenchTargets.standard().evaluate(new BenchFigures(r)).stream()
                .allMatch(e -> e.model() == CNN), "no target is set for LeNet-5 nor for a model not benchmarked");
    }
}
