package io.fashionspark.train;

import io.fashionspark.metrics.AveragingRound;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.metrics.WorkerIteration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Publishes each round's figures: every worker's loss on every minibatch it fitted (as the exchange brought them to
 * the driver), then the round itself.
 */
final class RoundMetrics implements RoundListener {
    private final MetricsListener metrics;

    RoundMetrics(MetricsListener metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onRoundEnd(RoundEnd end, MultiLayerNetwork averaged) {
        for (WorkerLoss r : end.losses()) {
            metrics.onWorkerIteration(new WorkerIteration(r.timestampMs(), end.epoch(),
                    end.iterationBefore() + r.step() + 1, r.worker(), r.loss(), r.examples()));
        }
        metrics.onRound(new AveragingRound(System.currentTimeMillis(), end.epoch(), end.round(), end.iteration(),
                end.score(), end.images(), end.seconds(), end.images() / end.seconds()));
    }
}
