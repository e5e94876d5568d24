package io.fashionspark.metrics;

/** One minibatch fitted by one worker: its training loss. {@code iteration} counts synchronous steps from 1. */
public record WorkerIteration(long timestampMs, int epoch, long iteration, int worker, double loss, int examples) {
}
