package io.fashionspark.metrics;

/**
 * One parameter-averaging round. {@code score} is dl4j-spark's score of the averaged model: the mean over workers
 * of the loss of each worker's last minibatch in the round. {@code imagesPerSecond} counts this round's images over
 * its wall time (broadcast, fitting, aggregation).
 */
public record AveragingRound(long timestampMs, int epoch, long round, long iteration, double score, int images,
                             double seconds, double imagesPerSecond) {
}
