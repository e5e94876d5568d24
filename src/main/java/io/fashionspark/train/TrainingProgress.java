package io.fashionspark.train;

/**
 * Where a run stands at the end of an averaging round: with the model and its updater state, all that resuming
 * needs. The data order and dropout masks follow from the run's seed, the epoch and the step, so no RNG state is
 * kept beyond these counters.
 *
 * @param epoch             the epoch being trained (1-based)
 * @param stepsDoneInEpoch  steps of that epoch already trained (the epoch's step count when it is finished)
 * @param iteration         global iterations (steps) trained
 * @param round             averaging rounds done
 * @param imagesTrained     images fitted by all workers together
 * @param epochImages       images of this epoch fitted so far
 * @param epochTrainSeconds training time of this epoch so far
 * @param trainSeconds      training time of the run so far (evaluation excluded)
 * @param evalSeconds       evaluation time of the run so far
 * @param nextEval          the iteration at or after which the next test evaluation happens
 * @param nextCheckpoint    the iteration at or after which the next iteration-based checkpoint happens
 */
public record TrainingProgress(int epoch, int stepsDoneInEpoch, long iteration, long round, long imagesTrained,
                               int epochImages, double epochTrainSeconds, double trainSeconds, double evalSeconds,
                               long nextEval, long nextCheckpoint) {
}
