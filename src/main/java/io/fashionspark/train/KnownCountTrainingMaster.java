package io.fashionspark.train;

import java.util.Collection;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StorageMetaData;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementAddFunction;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementCombineFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * dl4j-spark's parameter averaging master, told how many minibatches the next {@code fit} call's RDD holds, and
 * summing up to {@link #SUM_ON_DRIVER_UP_TO} workers' results on the driver.
 *
 * <p>The stock master counts the minibatches with a Spark job of its own before every call, only to decide whether
 * to split the RDD into several averaging rounds; that job made every round's minibatches a second time (its cost,
 * measured by {@code bench}, is in docs/performance.md). The trainer made each round's RDD, so it knows the count;
 * unannounced calls still count.
 *
 * <p>The stock master sums the workers' results with Spark's {@code treeAggregate} (depth 2), which from 6 workers
 * on adds a shuffle stage of executors between the workers and the driver: at 8 workers a second set of tasks, each
 * writing and reading shuffle files, for 8 results the driver could take itself. Here the results go straight to
 * the driver, which sums them grouped exactly as the tree would have ({@link TreeSum}): the same float additions
 * in the same order, so the averaged model is the stock master's bit for bit; and a run of up to 8 workers
 * repeats itself bit for bit, where the stock master folds results in the order they arrive (on the driver from 3
 * to 5 workers, and in the tree's tasks from 6, whose fetches from other executors end in any order). Past
 * {@link #SUM_ON_DRIVER_UP_TO} workers the driver would hold too many results at once, and the tree stays.
 */
public final class KnownCountTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;
    /** The most results the driver sums itself: 8 FashionCNN results (parameters and Adam state) are 142 MB. */
    public static final int SUM_ON_DRIVER_UP_TO = 8;
    /** dl4j-spark's default depth, whose grouping the driver's sum keeps. */
    static final int TREE_DEPTH = 2;

    private final int sumOnDriverUpTo;
    private long announcedCount = -1;

    KnownCountTrainingMaster(ParameterAveragingTrainingMaster.Builder settings, int sumOnDriverUpTo) {
        super(settings.aggregationDepth(TREE_DEPTH));
        this.sumOnDriverUpTo = sumOnDriverUpTo;
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

    @Override
    protected void processResults(SparkDl4jMultiLayer network, SparkComputationGraph graph,
                                  JavaRDD<ParameterAveragingTrainingResult> results, int splitNum, int totalSplits) {
        if (network == null || results.getNumPartitions() > sumOnDriverUpTo) {
            super.processResults(network, graph, results, splitNum, totalSplits);
            return;
        }
        if (collectTrainingStats) {
            stats.logAggregateStartTime();
        }
        // Each result is wrapped where it was made: the wrapper is Serializable, the result itself is not (under
        // Spark's Java serializer a collected result fails the job), and the wrapping does no arithmetic.
        ParameterAveragingAggregationTuple sum = sumOnDriver(results.map(KnownCountTrainingMaster::wrap).collect());
        if (collectTrainingStats) {
            stats.logAggregationEndTime();
            stats.logProcessParamsUpdaterStart();
        }
        if (sum != null && sum.getParametersSum() != null) {
            setAverage(network, sum);
        }
        if (collectTrainingStats) {
            stats.logProcessParamsUpdaterEnd();
            if (sum != null) {
                stats.addWorkerStats(sum.getSparkTrainingStats());
            }
        }
        if (statsStorage != null && sum != null) {
            routeListenerRecords(sum);
        }
        Nd4j.getExecutioner().commit();
    }

    /** One worker's result as the sum's first term, as {@code treeAggregate} wraps it on the executor. */
    private static ParameterAveragingAggregationTuple wrap(ParameterAveragingTrainingResult result) throws Exception {
        return new ParameterAveragingElementAddFunction().call(null, result);
    }

    /** The wrapped results, in partition order, summed as {@code treeAggregate} groups them; null for none. */
    static ParameterAveragingAggregationTuple sumOnDriver(List<ParameterAveragingAggregationTuple> results) {
        ParameterAveragingElementCombineFunction add = new ParameterAveragingElementCombineFunction();
        return TreeSum.sum(results, TREE_DEPTH, (a, b) -> unchecked(() -> add.call(a, b)));
    }

    /** The average of the sum on the driver's network, as the stock master sets it. */
    private void setAverage(SparkDl4jMultiLayer network, ParameterAveragingAggregationTuple sum) {
        int count = sum.getAggregationsCount();
        INDArray params = sum.getParametersSum().divi(count);
        INDArray updaterState = sum.getUpdaterStateSum();
        MultiLayerNetwork net = network.getNetwork();
        net.setParameters(params);
        if (updaterState != null) {
            net.getUpdater().setStateViewArray(null, updaterState.divi(count), false);
        }
        network.setScore(sum.getScoreSum() / count);
        // As the stock master does: the workers' Adam corrects its bias by this count.
        net.getLayerWiseConfigurations().setIterationCount(
                net.getLayerWiseConfigurations().getIterationCount() + averagingFrequency);
    }

    /** The workers' listener records (the per-worker losses), to the router the network's listeners report to. */
    private void routeListenerRecords(ParameterAveragingAggregationTuple sum) {
        Collection<StorageMetaData> meta = sum.getListenerMetaData();
        if (meta != null && !meta.isEmpty()) {
            statsStorage.putStorageMetaData(meta);
        }
        Collection<Persistable> staticInfo = sum.getListenerStaticInfo();
        if (staticInfo != null && !staticInfo.isEmpty()) {
            statsStorage.putStaticInfo(staticInfo);
        }
        Collection<Persistable> updates = sum.getListenerUpdates();
        if (updates != null && !updates.isEmpty()) {
            statsStorage.putUpdate(updates);
        }
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    /** dl4j-spark's functions declare {@code Exception} (Spark's interface); theirs throw none. */
    private static <T> T unchecked(Call<T> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
