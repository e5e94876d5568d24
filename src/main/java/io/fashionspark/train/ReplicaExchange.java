package io.fashionspark.train;

import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * How the workers' replicas are combined: the seam between the training loop and the cluster. The loop plans a
 * segment of averaging rounds (up to where a listener next needs the model, at the latest the epoch's end) and hands
 * it here; the exchange trains it and reports each round as it ends. Only after the segment's last round does
 * {@link #model()} hold the averaged model: an exchange whose workers average among themselves need not send it to
 * the driver any sooner.
 */
interface ReplicaExchange extends AutoCloseable {
    /**
     * Trains {@code rounds} (consecutive, all of one epoch) on {@code shards}, starting from {@link #model()}, and
     * calls {@code onRound} once per round, in order. When the last call is made, {@link #model()} is the model after
     * the segment.
     */
    void train(EpochShards shards, List<PlannedRound> rounds, Consumer<RoundReport> onRound);

    /** The averaged model (with its updater state) as of the end of the last segment trained. */
    MultiLayerNetwork model();

    @Override
    default void close() {
    }

    /**
     * One averaging round of a segment.
     *
     * @param fromStep  the epoch's first step in the round
     * @param toStep    the step after its last
     * @param iteration global iterations trained before it
     */
    record PlannedRound(int fromStep, int toStep, long iteration) implements java.io.Serializable {
        int steps() {
            return toStep - fromStep;
        }
    }

    /**
     * What a round did, as the loop's listeners see it.
     *
     * @param round  the planned round it reports
     * @param nanos  its wall time, its share of the exchange's fixed costs included
     * @param score  the mean of the workers' losses on their last minibatch of the round
     * @param losses every worker's loss on every minibatch of the round
     */
    record RoundReport(PlannedRound round, long nanos, double score, List<WorkerLoss> losses) {
        /** The losses in step, then worker order, as the metrics log them, whichever order they arrived in. */
        public RoundReport {
            losses = losses.stream().sorted(java.util.Comparator.comparingInt(WorkerLoss::step)
                    .thenComparingInt(WorkerLoss::worker)).toList();
        }
    }
}
