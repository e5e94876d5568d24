package io.fashionspark.metrics;

/** An epoch finished: {@code imagesPerSecond} is training throughput, evaluation time excluded. */
public record EpochEnd(long timestampMs, int epoch, long iteration, int images, double trainSeconds,
                       double imagesPerSecond) {
}
