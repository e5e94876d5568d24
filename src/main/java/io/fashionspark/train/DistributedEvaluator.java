package io.fashionspark.train;

import io.fashionspark.data.LabelledImages;
import io.fashionspark.data.MiniBatch;
import io.fashionspark.runtime.NativeDefaults;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Scores a model on the whole test set across the executors in one pass: the configuration and parameters are
 * broadcast, each partition builds the network once and returns its confusion matrix and summed loss. Used by
 * training (the averaged model every few iterations) and by {@code evaluate} (a saved model).
 */
public final class DistributedEvaluator implements AutoCloseable {
    /** Large batches: inference has no gradient memory, and fewer calls amortise per-call overhead. */
    static final int EVAL_BATCH = 500;

    private final JavaSparkContext sc;
    private final Broadcast<MiniBatch> testSet;
    private final JavaRDD<MiniBatch> test;
    private final long[] exampleShape;

    /**
     * Caches {@code testSet} on the executors in batches of {@value #EVAL_BATCH}, in at most {@code partitions}
     * partitions; {@code exampleShape} is one example's feature shape as the network takes it. The set is broadcast
     * once and cut into batches on the executors, so that no evaluation's tasks carry the images themselves.
     */
    public DistributedEvaluator(JavaSparkContext sc, LabelledImages testSet, int partitions, long[] exampleShape) {
        this.sc = sc;
        this.exampleShape = exampleShape;
        int size = testSet.size();
        int batches = (size + EVAL_BATCH - 1) / EVAL_BATCH;
        int slices = Math.max(1, Math.min(partitions, batches));
        List<Integer> sliceIds = new ArrayList<>(slices);
        for (int i = 0; i < slices; i++) {
            sliceIds.add(i);
        }
        this.testSet = sc.broadcast(testSet.whole());
        Broadcast<MiniBatch> all = this.testSet;
        JavaRDD<Integer> slicesRdd = sc.parallelize(sliceIds, slices);
        this.test = slicesRdd.mapPartitionsWithIndex((Integer slice, Iterator<Integer> unused) -> {
            // Slice i takes the batches [i * batches / slices, (i + 1) * batches / slices), as parallelize() would.
            List<MiniBatch> out = new ArrayList<>();
            for (long b = (long) slice * batches / slices; b < (long) (slice + 1) * batches / slices; b++) {
                int from = (int) b * EVAL_BATCH;
                out.add(all.value().range(from, Math.min(size, from + EVAL_BATCH)));
            }
            return out.iterator();
        }, true).setName("test set");
        test.persist(StorageLevel.MEMORY_ONLY());
    }

    /**
     * The confusion matrix and summed cross-entropy of {@code net} over the whole test set. The partitions' sums
     * are added on the driver in partition order: Spark's {@code reduce} adds them in the order their tasks end, and
     * from three partitions on that moved the test loss's last bits from one run of the same command to the next.
     */
    public EvalCounts evaluate(MultiLayerNetwork net) {
        String confJson = net.getLayerWiseConfigurations().toJson();
        Broadcast<INDArray> params = sc.broadcast(net.params().dup());
        long[] shape = exampleShape;
        try {
            return test.mapPartitions((Iterator<MiniBatch> it) -> {
                NativeDefaults.apply();
                MultiLayerNetwork replica = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(confJson));
                replica.init(params.value(), true);
                EvalCounts counts = EvalCounts.empty(MiniBatch.NUM_CLASSES);
                while (it.hasNext()) {
                    counts = counts.merge(score(replica, it.next().toDataSet(shape)));
                }
                return List.of(counts).iterator();
            }).collect().stream().reduce(EvalCounts::merge).orElseThrow();
        } finally {
            params.destroy();
        }
    }

    static EvalCounts score(MultiLayerNetwork net, DataSet ds) {
        INDArray probs = net.output(ds.getFeatures(), false);
        int n = (int) probs.size(0);
        int classes = (int) probs.size(1);
        float[] p = probs.dup('c').data().asFloat();
        float[] y = ds.getLabels().dup('c').data().asFloat();
        long[][] confusion = new long[classes][classes];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int truth = 0;
            int predicted = 0;
            for (int c = 1; c < classes; c++) {
                if (y[i * classes + c] > y[i * classes + truth]) {
                    truth = c;
                }
                if (p[i * classes + c] > p[i * classes + predicted]) {
                    predicted = c;
                }
            }
            confusion[truth][predicted]++;
            loss -= Math.log(Math.max(p[i * classes + truth], 1e-12));
        }
        return new EvalCounts(confusion, loss, n);
    }

    @Override
    public void close() {
        test.unpersist(false);
        testSet.destroy();
    }
}
