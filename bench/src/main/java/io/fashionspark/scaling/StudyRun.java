package io.fashionspark.scaling;

import java.util.List;

/**
 * One training run of the study and what it measured, as its result file holds it.
 *
 * @param model          the architecture's command-line name
 * @param recipe         {@code notes} or {@code tuned}
 * @param workers        model replicas
 * @param seed           the run's seed
 * @param epochs         passes over the training set
 * @param batchSize      each worker's minibatch as trained (the recipe may cut it as workers grow)
 * @param finalAccuracy  test accuracy at the end (fraction)
 * @param curve          every test evaluation, in order
 * @param trainSeconds   time spent training (evaluations excluded)
 * @param wallSeconds    the run from start to end, Spark's start and the evaluations included
 * @param imagesPerSecond images trained per second of training
 * @param finishedAt     when it ended (ISO-8601, UTC)
 * @param averagingFrequency minibatches each worker fitted between averagings, as trained (the recipe may cut it as
 *                       workers grow); results recorded before it was kept read 5, the only period the study had run
 * @param machine        the machine it ran on (CPU, cores, memory, Java); null where it was not recorded
 */
public record StudyRun(String model, String recipe, int workers, long seed, int epochs, int batchSize,
                       double finalAccuracy,
                       List<Point> curve, double trainSeconds, double wallSeconds, double imagesPerSecond,
                       String finishedAt, Integer averagingFrequency, String machine) {

    /** The period every study run had before the recipe could change it. */
    static final int PERIOD_BEFORE_IT_WAS_RECORDED = 5;

    public StudyRun {
        if (averagingFrequency == null) {
            averagingFrequency = PERIOD_BEFORE_IT_WAS_RECORDED;
        }
    }

    /** One test evaluation: after {@code images} training images and {@code rounds} averaging rounds. */
    public record Point(long images, long rounds, double accuracy) {
    }

    /** The first evaluation at or above {@code target}; null when the run never got there. */
    public Point firstReaching(double target) {
        return curve.stream().filter(p -> p.accuracy() >= target).findFirst().orElse(null);
    }

    /** The name of its result file. */
    public static String fileName(String model, String recipe, int workers, long seed) {
        return model + "-" + recipe + "-w" + workers + "-s" + seed + ".json";
    }
}
