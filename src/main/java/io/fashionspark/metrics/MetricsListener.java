package io.fashionspark.metrics;

import java.io.Closeable;

/** Receives training events on the driver. Every method has a no-op default; a sink implements what it needs. */
public interface MetricsListener extends Closeable {
    default void onWorkerIteration(WorkerIteration event) {
    }

    default void onRound(AveragingRound event) {
    }

    default void onEvaluation(TestEvaluation event) {
    }

    default void onEpochEnd(EpochEnd event) {
    }

    @Override
    default void close() {
    }
}
