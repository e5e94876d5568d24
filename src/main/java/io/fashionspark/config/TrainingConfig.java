package io.fashionspark.config;

import io.fashionspark.model.ModelKind;
import java.util.Objects;

/**
 * The resolved settings of one training run: defaults from {@code conf/fashion-spark.properties},
 * overridden by flags, validated here and frozen. Written verbatim into the run's {@code summary.json}.
 *
 * @param model            architecture to train
 * @param data             directory (local path or Hadoop URI) holding the four FashionMNIST idx files
 * @param output           run directory (local path or Hadoop URI)
 * @param overwrite        replace an existing run directory's files
 * @param workers          parallel model replicas (Spark partitions / tasks per averaging round)
 * @param batchSize        examples per minibatch on each worker
 * @param averagingFrequency minibatches each worker fits between two parameter averagings
 * @param epochs           passes over the training set
 * @param learningRate     Adam's learning rate
 * @param seed             seeds weight initialisation, dropout and the per-epoch shuffle
 * @param evalEvery        evaluate on the test set every this many iterations (0: only at each epoch's end)
 * @param trainLimit       use only the first N training images (0: all)
 * @param testLimit        use only the first N test images (0: all)
 * @param checkpointEveryEpochs write a checkpoint at the end of every this many epochs (0: not at epoch ends)
 * @param checkpointEvery  also write one every this many iterations, at the next averaging round's end (0: off)
 * @param keepCheckpoints  how many of the newest checkpoints to keep
 */
public record TrainingConfig(
        ModelKind model,
        String data,
        String output,
        boolean overwrite,
        int workers,
        int batchSize,
        int averagingFrequency,
        int epochs,
        double learningRate,
        long seed,
        int evalEvery,
        int trainLimit,
        int testLimit,
        int checkpointEveryEpochs,
        int checkpointEvery,
        int keepCheckpoints) {

    public TrainingConfig {
        Objects.requireNonNull(model, "model");
        requireText(data, "data");
        requireText(output, "output");
        requirePositive(workers, "workers", "the number of parallel model replicas");
        requirePositive(batchSize, "batch-size", "examples per minibatch on each worker");
        requirePositive(averagingFrequency, "averaging-frequency", "minibatches between parameter averagings");
        requirePositive(epochs, "epochs", "passes over the training set");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new ConfigException("--learning-rate must be a positive number, got " + learningRate
                    + " (the reference uses 0.001)");
        }
        requireNonNegative(evalEvery, "eval-every");
        requireNonNegative(trainLimit, "train-limit");
        requireNonNegative(testLimit, "test-limit");
        requireNonNegative(checkpointEveryEpochs, "checkpoint-every-epochs");
        requireNonNegative(checkpointEvery, "checkpoint-every");
        requirePositive(keepCheckpoints, "keep-checkpoints", "checkpoints kept in the run directory");
    }

    /** The same run trained for a different number of epochs (resuming to train longer). */
    public TrainingConfig withEpochs(int newEpochs) {
        return new TrainingConfig(model, data, output, overwrite, workers, batchSize, averagingFrequency, newEpochs,
                learningRate, seed, evalEvery, trainLimit, testLimit, checkpointEveryEpochs, checkpointEvery,
                keepCheckpoints);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new ConfigException("--" + name + " must not be empty");
        }
    }

    private static void requirePositive(int value, String name, String what) {
        if (value < 1) {
            throw new ConfigException("--" + name + " (" + what + ") must be at least 1, got " + value);
        }
    }

    private static void requireNonNegative(int value, String name) {
        if (value < 0) {
            throw new ConfigException("--" + name + " must be 0 or more, got " + value);
        }
    }

    /** Images all workers fit in one synchronous step. */
    public int imagesPerStep() {
        return workers * batchSize;
    }
}
