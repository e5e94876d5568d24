package io.fashionspark.bench;

import io.fashionspark.model.ModelKind;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark results made by hand, without training anything: the report and the targets read only these records,
 * so any situation (PyTorch skipped, no full runs, a target just met) can be set up in a few lines.
 */
final class BenchFixtures {
    static final int TRAIN_SET = 60_000;
    static final int TEST_SET = 10_000;
    static final BenchResults.PyTorchInfo TORCH = new BenchResults.PyTorchInfo("/usr/bin/python3", "2.1.0",
            "libopenblas.so.0", true, 150.0, 2);

    private BenchFixtures() {
    }

    /** Settings of a run: 100 images a minibatch, the single JVM also at 200, full runs on 2 workers every 5. */
    static BenchSettings settings(List<ModelKind> models, List<Integer> workers, List<Integer> frequencies,
                                  int fullEpochs, double ttaTarget) {
        Map<ModelKind, Integer> images = new LinkedHashMap<>();
        for (ModelKind m : models) {
            images.put(m, BenchSettings.defaultImages(m));
        }
        return new BenchSettings(models, images, workers, frequencies, 100, List.of(100, 200), true, "auto",
                ttaTarget, fullEpochs, 10_000, 2, 5, "data", 0, 42, 0.001, 2048, 10, Path.of("docs/benchmarks.md"),
                "bin/fashion-spark bench");
    }

    /** A scenario with exact figures: {@code images} trained in {@code seconds}. */
    static ScenarioResult scenario(ModelKind m, ScenarioResult.Engine engine, int workers, int frequency,
                                   long images, double seconds, double accuracy) {
        return new ScenarioResult(m, engine, workers, frequency, 100, 1, images, seconds, accuracy, 0.4, null, -1,
                null);
    }

    static ScenarioResult single(ModelKind m, int batch, double imagesPerSecond, double accuracy) {
        long images = images(m);
        return new ScenarioResult(m, ScenarioResult.Engine.SINGLE_JVM, 1, 0, batch, 2, images,
                images / imagesPerSecond, accuracy, 0.4, new MemoryProbe.Peaks(2L << 30, true, 500L << 20,
                1L << 30), 2L << 30, null);
    }

    static ScenarioResult spark(ModelKind m, int workers, int frequency, double imagesPerSecond, double accuracy) {
        long images = images(m);
        double seconds = images / imagesPerSecond;
        long rounds = images / (100L * workers * frequency);
        double roundMs = seconds * 1000 / rounds;
        return new ScenarioResult(m, ScenarioResult.Engine.SPARK, workers, frequency, 100, 2 / workers, images,
                seconds, accuracy, 0.45, new MemoryProbe.Peaks(3L << 30, workers == 1, 700L << 20, 2L << 30),
                3L << 30, new RoundBreakdown(rounds, roundMs, roundMs * 0.6, roundMs * 0.1, roundMs * 0.1,
                roundMs * 0.05, roundMs * 0.15, workers == 1 ? Double.NaN : roundMs * 0.02, roundMs * 0.01));
    }

    static ScenarioResult pytorch(ModelKind m, double imagesPerSecond, double accuracy) {
        long images = images(m);
        return new ScenarioResult(m, ScenarioResult.Engine.PYTORCH, 1, 0, 100, 2, images, images / imagesPerSecond,
                accuracy, 0.42, null, 500L << 20, null);
    }

    /** A full run of 5 epochs, tested every 50,000 images with the given accuracies on the way. */
    static FullRun fullRun(ModelKind m, ScenarioResult.Engine engine, double imagesPerSecond, double accuracy,
                           double... onTheWay) {
        long images = 5L * TRAIN_SET;
        double seconds = images / imagesPerSecond;
        List<FullRun.Checkpoint> checkpoints = new ArrayList<>();
        for (int i = 0; i < onTheWay.length; i++) {
            long at = 50_000L * (i + 1);
            checkpoints.add(new FullRun.Checkpoint(at, at / imagesPerSecond, onTheWay[i]));
        }
        String setup = engine == ScenarioResult.Engine.SPARK ? "Spark 2 workers, batch 100, avg every 5"
                : "batch 100, 2 threads";
        return new FullRun(m, engine, setup, 5, images, seconds, seconds * 1.1, accuracy, 50_000, checkpoints);
    }

    static BenchResults results(BenchSettings settings, List<ScenarioResult> scenarios, List<FullRun> fullRuns,
                                BenchResults.PyTorchInfo pytorch, String pytorchNote) {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("CPU", "Test CPU @ 2.0 GHz");
        machine.put("Cores the JVM uses", "2");
        Map<ModelKind, FlopCounter.Count> flops = new LinkedHashMap<>();
        for (ModelKind m : settings.models()) {
            flops.put(m, flops(m));
        }
        return new BenchResults(settings, ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC), 754.4,
                TRAIN_SET, TEST_SET, machine, "0.10, 0.20, 0.30", "1.10, 1.20, 1.30",
                new MatmulPeak(2048, 10, 0.1, 0.11, 2), flops, scenarios, fullRuns, pytorch, pytorchNote,
                List.of("FashionDNN, single JVM, batch 100: 19,000 images/s before the Spark scenarios, 19,500 after"));
    }

    private static FlopCounter.Count flops(ModelKind m) {
        return switch (m) {
            case DNN -> new FlopCounter.Count(m.displayName(), List.of(
                    new FlopCounter.LayerMacs("fc1", "DenseLayer", 200_704),
                    new FlopCounter.LayerMacs("fc2", "DenseLayer", 32_768),
                    new FlopCounter.LayerMacs("fc3", "OutputLayer", 1_280)));
            case CNN -> new FlopCounter.Count(m.displayName(), List.of(
                    new FlopCounter.LayerMacs("conv1", "ConvolutionLayer", 225_792),
                    new FlopCounter.LayerMacs("conv2", "ConvolutionLayer", 2_654_208),
                    new FlopCounter.LayerMacs("fc1", "DenseLayer", 1_382_400),
                    new FlopCounter.LayerMacs("fc2", "DenseLayer", 72_000),
                    new FlopCounter.LayerMacs("fc3", "OutputLayer", 1_200)));
            case LENET -> new FlopCounter.Count(m.displayName(), List.of(
                    new FlopCounter.LayerMacs("conv1", "ConvolutionLayer", 117_600),
                    new FlopCounter.LayerMacs("fc3", "OutputLayer", 840)));
        };
    }

    private static long images(ModelKind m) {
        return BenchSettings.defaultImages(m);
    }
}
