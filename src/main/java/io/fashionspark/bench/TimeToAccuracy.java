package io.fashionspark.bench;

/**
 * How long training took to first reach a test accuracy, counting training time only (the test evaluations on the
 * way are left out, for DL4J and PyTorch alike).
 *
 * @param engine         what trained
 * @param setup          its configuration in words
 * @param target         the accuracy aimed at
 * @param reached        whether an evaluation reached it before the epoch limit
 * @param trainSeconds   training time until that evaluation (or until the end, when not reached)
 * @param wallSeconds    the same, with the evaluations' time
 * @param images         images trained until then
 * @param accuracy       the accuracy of that evaluation (the best seen, when not reached)
 * @param evaluations    test evaluations made
 * @param evalEveryImages images trained between two evaluations
 */
public record TimeToAccuracy(ScenarioResult.Engine engine, String setup, double target, boolean reached,
                             double trainSeconds, double wallSeconds, long images, double accuracy, int evaluations,
                             long evalEveryImages) {
}
