package io.fashionspark.metrics;

/** The averaged model on the whole test set. {@code epochEnd} marks the evaluation closing an epoch. */
public record TestEvaluation(long timestampMs, int epoch, long iteration, long imagesSeen, double accuracy,
                             double loss, boolean epochEnd, double seconds) {
}
