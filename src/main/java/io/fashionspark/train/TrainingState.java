package io.fashionspark.train;

/**
 * The counters of a run, in one place: where it stands and how long it took. Advanced once per averaging round
 * by the loop; restored from a checkpoint's {@link TrainingProgress} and snapshot into the next one.
 */
final class TrainingState {
    private final int stepsPerEpoch;
    private int epoch;
    private int stepsDoneInEpoch;
    private long iteration;
    private long round;
    private long imagesTrained;
    private int epochImages;
    private long epochTrainNanos;
    private long trainNanos;
    private long evalNanos;

    private TrainingState(int stepsPerEpoch) {
        this.stepsPerEpoch = stepsPerEpoch;
        this.epoch = 1;
    }

    /** A run that has trained nothing yet. */
    static TrainingState fresh(int stepsPerEpoch) {
        return new TrainingState(stepsPerEpoch);
    }

    /** Where a checkpoint left a run; a checkpoint that closed its epoch resumes at the next one's start. */
    static TrainingState resume(TrainingProgress p, int stepsPerEpoch) {
        TrainingState s = new TrainingState(stepsPerEpoch);
        s.epoch = p.epoch();
        s.stepsDoneInEpoch = p.stepsDoneInEpoch();
        s.iteration = p.iteration();
        s.round = p.round();
        s.imagesTrained = p.imagesTrained();
        s.epochImages = p.epochImages();
        s.epochTrainNanos = (long) (p.epochTrainSeconds() * 1e9);
        s.trainNanos = (long) (p.trainSeconds() * 1e9);
        s.evalNanos = (long) (p.evalSeconds() * 1e9);
        if (s.stepsDoneInEpoch >= stepsPerEpoch) {
            s.startNextEpoch();
        }
        return s;
    }

    /** Records a round of {@code steps} steps that fitted {@code images} images in {@code nanos}. */
    RoundEnd roundTrained(int steps, int images, long nanos, double score) {
        return roundTrained(steps, images, nanos, score, java.util.List.of());
    }

    /** The same, with the workers' losses on the round's minibatches. */
    RoundEnd roundTrained(int steps, int images, long nanos, double score, java.util.List<WorkerLoss> losses) {
        long before = iteration;
        stepsDoneInEpoch += steps;
        iteration += steps;
        round++;
        imagesTrained += images;
        epochImages += images;
        epochTrainNanos += nanos;
        trainNanos += nanos;
        return new RoundEnd(epoch, stepsDoneInEpoch, stepsPerEpoch, before, iteration, round, images, nanos / 1e9,
                score, losses);
    }

    void evaluated(long nanos) {
        evalNanos += nanos;
    }

    boolean epochDone() {
        return stepsDoneInEpoch >= stepsPerEpoch;
    }

    void startNextEpoch() {
        epoch++;
        stepsDoneInEpoch = 0;
        epochImages = 0;
        epochTrainNanos = 0;
    }

    /**
     * The counters as a checkpoint records them, with the iterations at which the next evaluation and the next
     * iteration-based checkpoint fall (kept in the file for readers; resuming derives them from the settings).
     */
    TrainingProgress snapshot(int evalEvery, int checkpointEvery) {
        return new TrainingProgress(epoch, stepsDoneInEpoch, iteration, round, imagesTrained, epochImages,
                epochTrainNanos / 1e9, trainNanos / 1e9, evalNanos / 1e9, Trigger.nextMultiple(iteration, evalEvery),
                Trigger.nextMultiple(iteration, checkpointEvery));
    }

    /**
     * The round of {@code steps} steps that would start next, as triggers see it (no time, no score): what the loop
     * plans segments by.
     */
    RoundEnd preview(int stepsDone, long iterationBefore, int steps) {
        return new RoundEnd(epoch, stepsDone + steps, stepsPerEpoch, iterationBefore, iterationBefore + steps, round,
                0, 0, 0, java.util.List.of());
    }

    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    int epoch() {
        return epoch;
    }

    int stepsDoneInEpoch() {
        return stepsDoneInEpoch;
    }

    long iteration() {
        return iteration;
    }

    long imagesTrained() {
        return imagesTrained;
    }

    int epochImages() {
        return epochImages;
    }

    double epochTrainSeconds() {
        return epochTrainNanos / 1e9;
    }

    double trainSeconds() {
        return trainNanos / 1e9;
    }

    double evalSeconds() {
        return evalNanos / 1e9;
    }
}
