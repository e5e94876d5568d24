package io.fashionspark.train;

/**
 * Where the peer exchange's rounds spent their time, summed over a run: what the bench's round breakdown shows
 * beside dl4j-spark's phase timers for the driver exchange. Worker-side times are means over the workers.
 *
 * @param rounds         rounds trained in barrier stages
 * @param fitSeconds     the workers fitting their minibatches
 * @param averageSeconds the workers in the all-reduce, waiting for the slowest peer included
 * @param stageSeconds   the stages' wall time on the driver, from submission to the model back
 */
public record PeerTimes(long rounds, double fitSeconds, double averageSeconds, double stageSeconds) {
    static final PeerTimes NONE = new PeerTimes(0, 0, 0, 0);

    PeerTimes plus(long moreRounds, double fit, double average, double stage) {
        return new PeerTimes(rounds + moreRounds, fitSeconds + fit, averageSeconds + average, stageSeconds + stage);
    }
}
