package io.fashionspark.train;

/**
 * An averaging round that has just ended: what listeners and triggers decide by.
 *
 * @param epoch            the epoch the round belongs to (1-based)
 * @param stepsDoneInEpoch steps of the epoch trained once this round is done
 * @param stepsPerEpoch    steps in every epoch
 * @param iterationBefore  global iterations trained before this round
 * @param iteration        global iterations trained after it
 * @param round            averaging rounds done, this one included
 * @param images           images all workers fitted in this round
 * @param seconds          the round's wall time: broadcast, fitting and averaging
 * @param score            the mean of the workers' losses on their last minibatch of the round
 * @param losses           every worker's loss on every minibatch of the round, in step then worker order
 */
public record RoundEnd(int epoch, int stepsDoneInEpoch, int stepsPerEpoch, long iterationBefore, long iteration,
                       long round, int images, double seconds, double score, java.util.List<WorkerLoss> losses) {
    /** Whether this round finished its epoch. */
    public boolean epochDone() {
        return stepsDoneInEpoch == stepsPerEpoch;
    }
}
