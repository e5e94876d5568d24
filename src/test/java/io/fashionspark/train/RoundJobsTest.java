package io.fashionspark.train;

import io.fashionspark.config.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.TestConfigs;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.MiniBatch;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.metrics.TestEvaluation;
import io.fashionspark.model.ModelKind;
import io.fashionspark.runtime.SparkContexts;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The per-round costs that the benchmark found and the trainer removed stay removed: an averaging round is one Spark
 * job (dl4j-spark's own count job before each round is skipped), and the training tasks do not carry the training
 * images (they are broadcast once and cut into shards on the executors).
 */
class RoundJobsTest {

    @Test
    void eachAveragingRoundIsOneSparkJobWithSmallTasks(@TempDir Path dir) throws Exception {
        // 2,000 training images: 784 KB per worker shard, which a parallelized shard would ship with every task.
        IdxFixtures.writeDataset(dir, 2000, 100, 3);
        FashionMnistFiles.Splits data = FashionMnistFiles.load(dir.toString(), new Configuration());
        // 2 workers x batch 50 = 20 steps per epoch; averaging every 5: 4 rounds; tested every 10 steps: 2 tests.
        TrainingConfig cfg = TestConfigs.small(ModelKind.DNN, dir).with(Settings.BATCH_SIZE, 50)
                .with(Settings.EVAL_EVERY, 10).build();

        AtomicInteger jobs = new AtomicInteger();
        AtomicInteger evaluations = new AtomicInteger();
        try (JavaSparkContext sc = SparkContexts.create("round-jobs-test", 2)) {
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart jobStart) {
                    jobs.incrementAndGet();
                }
            });
            new ParameterAveragingTrainer(sc, cfg, new MetricsListener() {
                @Override
                public void onEvaluation(TestEvaluation evaluation) {
                    evaluations.incrementAndGet();
                }
            }).train(data.train(), data.test());
        }
        assertEquals(2, evaluations.get());
        // 4 rounds of one job each, and one job per test evaluation.
        assertEquals(4 + 2, jobs.get(), "Spark jobs");
    }

    @Test
    void trainingTasksDoNotCarryTheImages(@TempDir Path dir) throws Exception {
        IdxFixtures.writeDataset(dir, 2000, 100, 3);
        FashionMnistFiles.Splits data = FashionMnistFiles.load(dir.toString(), new Configuration());
        try (JavaSparkContext sc = SparkContexts.create("task-size-test", 2)) {
            Broadcast<MiniBatch> trainSet = sc.broadcast(data.train().whole());
            try (EpochShards shards = EpochShards.create(sc, trainSet, 2000, 2, 50, 1, 1, new long[] {784})) {
                JavaRDD<DataSet> round = shards.steps(0, 5);
                // Every task ships its partition object; a parallelize()d shard would be 784 KB of images here.
                for (Partition partition : round.rdd().partitions()) {
                    int bytes = javaSerializedSize(partition);
                    assertTrue(bytes < 4096, "a training task's partition is " + bytes + " bytes");
                }
                assertEquals(2 * 5, round.count());
            }
        }
    }

    private static int javaSerializedSize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.size();
    }
}
