package io.fashionspark.metrics;

import java.util.ArrayList;
import java.util.List;

/** Fans every event out to its sinks, in order. Closing closes them all. */
public final class MetricsCollector implements MetricsListener {
    private final List<MetricsListener> sinks;

    public MetricsCollector(List<? extends MetricsListener> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void onWorkerIteration(WorkerIteration event) {
        sinks.forEach(s -> s.onWorkerIteration(event));
    }

    @Override
    public void onRound(AveragingRound event) {
        sinks.forEach(s -> s.onRound(event));
    }

    @Override
    public void onEvaluation(TestEvaluation event) {
        sinks.forEach(s -> s.onEvaluation(event));
    }

    @Override
    public void onEpochEnd(EpochEnd event) {
        sinks.forEach(s -> s.onEpochEnd(event));
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (MetricsListener s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
