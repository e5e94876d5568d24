package io.fashionspark.config;

/**
 * The job around a training run, apart from what is trained: where the data and the run directory are, how much of
 * the data it uses, and how often it tests and checkpoints. None of it changes the model a run ends with, except
 * the limits, which change the data. Each component is the {@link Settings} declaration of its name, and checked
 * by it.
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
        Settings.DATA.require(data);
        Settings.OUTPUT.require(output);
        Settings.TRAIN_LIMIT.require(trainLimit);
        Settings.TEST_LIMIT.require(testLimit);
        Settings.EVAL_EVERY.require(evalEvery);
        Settings.CHECKPOINT_EVERY_EPOCHS.require(checkpointEveryEpochs);
        Settings.CHECKPOINT_EVERY.require(checkpointEvery);
        Settings.KEEP_CHECKPOINTS.require(keepCheckpoints);
    }
}
