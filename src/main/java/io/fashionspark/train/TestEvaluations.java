package io.fashionspark.train;

import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.metrics.TestEvaluation;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Tests the averaged model on the whole test set when its trigger fires, and keeps the last result. */
final class TestEvaluations implements RoundListener {
    private final Trigger when;
    private final DistributedEvaluator evaluator;
    private final MetricsListener metrics;
    private final TrainingState state;
    private EvalCounts last;

    TestEvaluations(Trigger when, DistributedEvaluator evaluator, MetricsListener metrics, TrainingState state) {
        this.when = when;
        this.evaluator = evaluator;
        this.metrics = metrics;
        this.state = state;
    }

    @Override
    public Trigger needsModel() {
        return when;
    }

    @Override
    public void onRoundEnd(RoundEnd end, MultiLayerNetwork averaged) {
        if (!when.firesAt(end)) {
            return;
        }
        long start = System.nanoTime();
        last = evaluator.evaluate(averaged);
        long took = System.nanoTime() - start;
        state.evaluated(took);
        metrics.onEvaluation(new TestEvaluation(System.currentTimeMillis(), end.epoch(), end.iteration(),
                state.imagesTrained(), last.accuracy(), last.loss(), end.epochDone(), took / 1e9));
    }

    /** The last evaluation; null when none has happened. */
    EvalCounts last() {
        return last;
    }
}
