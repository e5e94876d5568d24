package io.fashionspark.train;

import io.fashionspark.metrics.EpochEnd;
import io.fashionspark.metrics.MetricsListener;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Publishes each epoch's images and training time (evaluation left out) when its last round ends. */
final class EpochEndMetrics implements RoundListener {
    private final MetricsListener metrics;
    private final TrainingState state;

    EpochEndMetrics(MetricsListener metrics, TrainingState state) {
        this.metrics = metrics;
        this.state = state;
    }

    @Override
    public void onRoundEnd(RoundEnd end, MultiLayerNetwork averaged) {
        if (end.epochDone()) {
            double seconds = state.epochTrainSeconds();
            metrics.onEpochEnd(new EpochEnd(System.currentTimeMillis(), end.epoch(), end.iteration(),
                    state.epochImages(), seconds, state.epochImages() / seconds));
        }
    }
}
