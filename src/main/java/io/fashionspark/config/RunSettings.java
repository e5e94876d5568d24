package io.fashionspark.config;

import static io.fashionspark.config.TrainingOptions.CHECKPOINT_EVERY;
import static io.fashionspark.config.TrainingOptions.CHECKPOINT_EVERY_EPOCHS;
import static io.fashionspark.config.TrainingOptions.DATA;
import static io.fashionspark.config.TrainingOptions.EVAL_EVERY;
import static io.fashionspark.config.TrainingOptions.KEEP_CHECKPOINTS;
import static io.fashionspark.config.TrainingOptions.OUTPUT;
import static io.fashionspark.config.TrainingOptions.TEST_LIMIT;
import static io.fashionspark.config.TrainingOptions.TRAIN_LIMIT;

/**
 * The job around a training run, apart from what is trained: where the data and the run directory are, how much of
 * the data it uses, and how often it tests and checkpoints. None of it changes the model a run ends with, except
 * the limits, which change the data.
 *
 * @param data             directory (local path or Hadoop URI) holding the four FashionMNIST idx files
 * @param output           run directory (local path or Hadoop URI); null where the run writes none (the Spark ML
 *                         estimator without a run directory, the bench), which a run directory then refuses
 * @param overwrite        replace an existing run directory's files
 * @param trainLimit       use only the first N training images (0: all)
 * @param testLimit        use only the first N test images (0: all)
 * @param evalEvery        evaluate on the test set every this many iterations (0: only at each epoch's end)
 * @param checkpointEveryEpochs write a checkpoint at the end of every this many epochs (0: not at epoch ends)
 * @param checkpointEvery  also write one every this many iterations, at the next averaging round's end (0: off)
 * @param keepCheckpoints  how many of the newest checkpoints to keep
 */
public record RunSettings(
        String data,
        String output,
        boolean overwrite,
        int trainLimit,
        int testLimit,
        int evalEvery,
        int checkpointEveryEpochs,
        int checkpointEvery,
        int keepCheckpoints) implements java.io.Serializable {

    public RunSettings {
        requireText(data, DATA);
        if (output != null) {
            requireText(output, OUTPUT);
        }
        requireNonNegative(evalEvery, EVAL_EVERY);
        requireNonNegative(trainLimit, TRAIN_LIMIT);
        requireNonNegative(testLimit, TEST_LIMIT);
        requireNonNegative(checkpointEveryEpochs, CHECKPOINT_EVERY_EPOCHS);
        requireNonNegative(checkpointEvery, CHECKPOINT_EVERY);
        if (keepCheckpoints < 1) {
            throw new ConfigException(KEEP_CHECKPOINTS + " (checkpoints kept in the run directory) must be at least 1, "
                    + "got " + keepCheckpoints);
        }
    }

    private static void requireText(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(option + " must not be empty");
        }
    }

    private static void requireNonNegative(int value, String option) {
        if (value < 0) {
            throw new ConfigException(option + " must be 0 or more, got " + value);
        }
    }
}
