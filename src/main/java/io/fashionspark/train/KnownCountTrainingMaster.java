package io.fashionspark.train;

import org.apache.spark.api.java.JavaRDDLike;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * dl4j-spark's parameter averaging master, told how many minibatches the next {@code fit} call's RDD holds.
 *
 * <p>The stock master counts them with a Spark job of its own before every call, only to decide whether to split the
 * RDD into several averaging rounds; that job made every round's minibatches a second time (its cost, measured by
 * {@code bench}, is in docs/performance.md). The trainer made each round's RDD, so it knows the count; unannounced calls still count.
 */
final class KnownCountTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;
    private long announcedCount = -1;

    KnownCountTrainingMaster(ParameterAveragingTrainingMaster.Builder settings) {
        super(settings);
    }

    /** The number of DataSet objects in the RDD of the next {@code fit} call (used once). */
    void nextFitHolds(long minibatches) {
        this.announcedCount = minibatches;
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> trainingData) {
        long count = announcedCount;
        announcedCount = -1;
        return count >= 0 ? count : super.getTotalDataSetObjectCount(trainingData);
    }
}
