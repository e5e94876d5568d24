package io.fashionspark.train;

import io.fashionspark.metrics.AveragingRound;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.metrics.WorkerIteration;
import java.util.Comparator;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Publishes each round's figures: every worker's loss on every minibatch it fitted (as the executors' listeners
 * reported them through dl4j-spark's stats router), then the round itself.
 */
final class RoundMetrics implements TrainingListener {
    private final MetricsListener metrics;
    private final WorkerLossCollector workerLosses;

    RoundMetrics(MetricsListener metrics, WorkerLossCollector workerLosses) {
        this.metrics = metrics;
        this.workerLosses = workerLosses;
    }

    @Override
    public void onRoundEnd(RoundEnd end, MultiLayerNetwork averaged) {
        List<WorkerLossRecord> records = workerLosses.drain();
        records.sort(Comparator.comparingInt(WorkerLossRecord::localIteration)
                .thenComparingInt(WorkerLossRecord::partition));
        for (WorkerLossRecord r : records) {
            metrics.onWorkerIteration(new WorkerIteration(r.getTimeStamp(), end.epoch(),
                    end.iterationBefore() + r.localIteration() + 1, r.partition(), r.loss(), r.examples()));
        }
        metrics.onRound(new AveragingRound(System.currentTimeMillis(), end.epoch(), end.round(), end.iteration(),
                end.score(), end.images(), end.seconds(), end.images() / end.seconds()));
    }
}
