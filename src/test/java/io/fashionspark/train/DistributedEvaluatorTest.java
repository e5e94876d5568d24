package io.fashionspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fashionspark.IdxFixtures;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.data.MiniBatch;
import io.fashionspark.model.ModelKind;
import io.fashionspark.runtime.SparkContexts;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test set's score across partitions: the same bits whatever order the partitions' tasks end in, so that a run
 * repeated at many workers logs the same test loss, to its last digit.
 */
class DistributedEvaluatorTest {
    private static final int PARTITIONS = 16;

    @Test
    void theScoreOfManyPartitionsIsTheirSumInPartitionOrderEveryTime(@TempDir Path dir) throws Exception {
        // 16 partitions of one batch of 500, scored by 16 task threads on however many cores there are.
        IdxFixtures.writeDataset(dir, 10, 8_000, 3);
        LabelledImages test = FashionMnistFiles.load(dir.toString(), new Configuration()).test();
        MultiLayerNetwork net = ModelKind.DNN.factory().create(5, 1e-3);
        try (JavaSparkContext sc = SparkContexts.create("evaluator-test", PARTITIONS);
             DistributedEvaluator evaluator = new DistributedEvaluator(sc, test, PARTITIONS,
                     ModelKind.DNN.factory().exampleShape())) {
            // Scored here after the context has set the BLAS threads its tasks score with.
            EvalCounts expected = inPartitionOrder(net, test);
            for (int attempt = 0; attempt < 6; attempt++) {
                EvalCounts got = evaluator.evaluate(net);
                assertEquals(expected.loss(), got.loss(), 0.0, "attempt " + attempt);
                assertEquals(test.size(), got.count());
                for (int row = 0; row < MiniBatch.NUM_CLASSES; row++) {
                    assertArrayEquals(expected.confusion()[row], got.confusion()[row]);
                }
            }
        }
    }

    /**
     * The evaluator's sum done here, one batch after another: each partition's batches added in turn, then the
     * partitions added in order. The batches of a partition are those the evaluator's constructor gives it.
     */
    private static EvalCounts inPartitionOrder(MultiLayerNetwork net, LabelledImages test) {
        int batches = (test.size() + DistributedEvaluator.EVAL_BATCH - 1) / DistributedEvaluator.EVAL_BATCH;
        int slices = Math.min(PARTITIONS, batches);
        long[] shape = ModelKind.DNN.factory().exampleShape();
        EvalCounts total = null;
        for (int slice = 0; slice < slices; slice++) {
            EvalCounts part = EvalCounts.empty(MiniBatch.NUM_CLASSES);
            for (long b = (long) slice * batches / slices; b < (long) (slice + 1) * batches / slices; b++) {
                int from = (int) b * DistributedEvaluator.EVAL_BATCH;
                int to = Math.min(test.size(), from + DistributedEvaluator.EVAL_BATCH);
                part = part.merge(DistributedEvaluator.score(net, test.whole().range(from, to).toDataSet(shape)));
            }
            total = total == null ? part : total.merge(part);
        }
        return total;
    }
}
