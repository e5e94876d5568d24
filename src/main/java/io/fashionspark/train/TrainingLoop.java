package io.fashionspark.train;

import io.fashionspark.config.TrainingConfig;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The training loop: epochs of segments of averaging rounds, each round followed by the listeners. It knows neither
 * Spark nor how the replicas are combined: the exchange trains each segment, and {@link Epochs} opens each epoch's
 * shards. A segment runs up to the first round after which a listener needs the model (its trigger), at the latest
 * the epoch's end; there the exchange hands the model back, and the listeners get it.
 */
final class TrainingLoop {
    /** Each epoch's shards of the training set, opened at its start and closed at its end. */
    @FunctionalInterface
    interface Epochs {
        EpochShards open(int epoch);
    }

    private TrainingLoop() {
    }

    static void run(TrainingConfig config, TrainingState state, RoundRecipe recipe, ReplicaExchange exchange,
                    Epochs epochs, List<RoundListener> listeners) {
        Trigger modelNeeded = listeners.stream().map(RoundListener::needsModel).reduce(Trigger::or)
                .orElse(Trigger.never());
        for (; state.epoch() <= config.epochs(); state.startNextEpoch()) {
            try (EpochShards shards = epochs.open(state.epoch())) {
                while (!state.epochDone()) {
                    List<ReplicaExchange.PlannedRound> segment = SegmentPlan.next(state, recipe, modelNeeded);
                    ReplicaExchange.PlannedRound last = segment.get(segment.size() - 1);
                    exchange.train(shards, segment, report -> {
                        int steps = report.round().steps();
                        RoundEnd end = state.roundTrained(steps, steps * config.imagesPerStep(), report.nanos(),
                                report.score(), report.losses());
                        MultiLayerNetwork model = report.round().equals(last) ? exchange.model() : null;
                        listeners.forEach(l -> l.onRoundEnd(end, model));
                    });
                }
            }
        }
    }
}
