package io.fashionspark.bench;

import io.fashionspark.config.ConfigException;
import io.fashionspark.model.ModelKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The resolved settings of one benchmark run.
 *
 * @param models            models benchmarked
 * @param images            training images per scenario, per model (the same for every scenario of a model)
 * @param workers           Spark worker counts
 * @param frequencies       averaging frequencies
 * @param batchSize         minibatch size (per worker on Spark; PyTorch's)
 * @param singleBatchSizes  minibatch sizes of the single-JVM runs (the best of them is the baseline)
 * @param pytorch           run the PyTorch reference where torch is installed
 * @param python            the Python to run it with ({@code auto}: python3 on the PATH, then /usr/bin/python3)
 * @param ttaTarget         the FashionCNN test accuracy whose time the full runs report (0: none)
 * @param fullEpochs        epochs of the full runs, DL4J on Spark and PyTorch from scratch (0: no full runs)
 * @param fullEvalImages    trained images between two tests of a full run
 * @param fullWorkers       Spark workers of DL4J's full runs
 * @param fullFrequency     their averaging frequency
 * @param data              the FashionMNIST directory
 * @param testLimit         first N test images only (0: all 10,000)
 * @param seed              seeds every run
 * @param learningRate      Adam's learning rate
 * @param peakSize          n of the n x n matrix multiply that measures the peak
 * @param peakRepetitions   timed multiplies
 * @param output            the markdown report
 * @param command           the command line that reproduces this run
 */
public record BenchSettings(List<ModelKind> models, Map<ModelKind, Integer> images, List<Integer> workers,
                            List<Integer> frequencies, int batchSize, List<Integer> singleBatchSizes,
                            boolean pytorch, String python, double ttaTarget, int fullEpochs, long fullEvalImages,
                            int fullWorkers, int fullFrequency, String data, int testLimit, long seed,
                            double learningRate, int peakSize, int peakRepetitions, Path output, String command) {

    /** Default training images per scenario: one epoch of the DNN, half of one for the 5x costlier CNN. */
    public static int defaultImages(ModelKind kind) {
        return kind == ModelKind.CNN ? 30_000 : 60_000;
    }

    public BenchSettings {
        models = List.copyOf(models);
        images = Map.copyOf(images);
        workers = List.copyOf(workers);
        frequencies = List.copyOf(frequencies);
        singleBatchSizes = List.copyOf(singleBatchSizes);
        if (models.isEmpty()) {
            throw new ConfigException("--models must name at least one model (" + ModelKind.names() + ")");
        }
        for (ModelKind m : models) {
            Integer n = images.get(m);
            if (n == null || n < 1) {
                throw new ConfigException("--images must be at least 1, got " + n);
            }
        }
        requireAllPositive(workers, "workers");
        requireAllPositive(frequencies, "frequencies");
        requireAllPositive(singleBatchSizes, "single-jvm-batch-sizes");
        requirePositive(batchSize, "batch-size");
        requirePositive(peakSize, "peak-size");
        requirePositive(peakRepetitions, "peak-repetitions");
        if (!(ttaTarget >= 0 && ttaTarget < 1)) {
            throw new ConfigException("--time-to-accuracy must be a fraction in [0, 1) (0: off), got " + ttaTarget);
        }
        if (fullEpochs < 0) {
            throw new ConfigException("--full-run-epochs must be 0 (no full runs) or more, got " + fullEpochs);
        }
        if (fullEpochs > 0) {
            requirePositive((int) Math.min(Integer.MAX_VALUE, fullEvalImages), "full-run-eval-images");
            requirePositive(fullWorkers, "full-run-workers");
            requirePositive(fullFrequency, "full-run-averaging-frequency");
        }
        if (testLimit < 0) {
            throw new ConfigException("--test-limit must be 0 or more, got " + testLimit);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new ConfigException("--learning-rate must be a positive number, got " + learningRate);
        }
    }

    /** The models of the full runs: those benchmarked that the PyTorch reference has too (none without epochs). */
    public List<ModelKind> fullRunModels() {
        return fullEpochs == 0 ? List.of() : models.stream().filter(PyTorchReference::supports).toList();
    }

    /** How a model's image count is trained: the first {@code subset} images, {@code epochs} times. */
    public record Plan(int subset, int epochs) {
        /** Images trained with {@code imagesPerStep} images per step (a last partial step is dropped). */
        public long images(int imagesPerStep) {
            return (long) epochs * (subset / imagesPerStep) * imagesPerStep;
        }
    }

    /** Up to one training set: its first N images, once; more: whole epochs (N rounded to a multiple). */
    public Plan plan(ModelKind kind, int trainSetSize) {
        int n = images.get(kind);
        if (n <= trainSetSize) {
            return new Plan(n, 1);
        }
        return new Plan(trainSetSize, (int) Math.max(1, Math.round((double) n / trainSetSize)));
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new ConfigException("--" + name + " must be at least 1, got " + value);
        }
    }

    private static void requireAllPositive(List<Integer> values, String name) {
        if (values.isEmpty()) {
            throw new ConfigException("--" + name + " must list at least one number");
        }
        for (int v : values) {
            requirePositive(v, name);
        }
    }
}
