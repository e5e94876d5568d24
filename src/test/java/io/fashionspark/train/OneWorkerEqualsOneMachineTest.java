package io.fashionspark.train;

import io.fashionspark.config.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.TestConfigs;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.model.ModelKind;
import io.fashionspark.runtime.SparkContexts;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * dl4j-spark's own sanity check, for this trainer: one worker averaging after every minibatch must give the same
 * parameters (and Adam state) as plain single-machine training on the same minibatches in the same order.
 * LeNet-5 is used because it has no dropout, whose random masks would differ between the two.
 */
class OneWorkerEqualsOneMachineTest {

    @Test
    void oneWorkerWithAveragingEveryStepMatchesSingleMachineTraining(@TempDir Path dir) throws Exception {
        IdxFixtures.writeDataset(dir, 240, 40, 11);
        FashionMnistFiles.Splits data = FashionMnistFiles.load(dir.toString(), new Configuration());
        TrainingConfig cfg = TestConfigs.small(ModelKind.LENET, dir).with(Settings.WORKERS, 1)
                .with(Settings.AVERAGING_FREQUENCY, 1).with(Settings.EPOCHS, 2)
                .with(Settings.SEED, 5L).build();

        MultiLayerNetwork spark;
        try (JavaSparkContext sc = SparkContexts.create("one-worker-test", 1)) {
            spark = new ParameterAveragingTrainer(sc, cfg, new MetricsListener() {
            }).train(data.train(), data.test()).model();
        }

        MultiLayerNetwork single = ModelKind.LENET.factory().create(5, 1e-3);
        long[] shape = ModelKind.LENET.factory().exampleShape();
        int steps = EpochShards.stepsPerEpoch(240, 1, 20);
        for (int epoch = 1; epoch <= 2; epoch++) {
            int[] order = EpochShards.shuffledIndices(240, 5, epoch);
            for (int s = 0; s < steps; s++) {
                single.fit(data.train().batch(order, s * 20, s * 20 + 20).toDataSet(shape));
            }
        }

        INDArray diff = spark.params().sub(single.params());
        double maxDiff = diff.amaxNumber().doubleValue();
        double scale = single.params().amaxNumber().doubleValue();
        assertTrue(maxDiff <= 1e-5 * scale, "parameters differ by up to " + maxDiff + " (scale " + scale + ")");
        INDArray updaterDiff = spark.getUpdater().getStateViewArray().sub(single.getUpdater().getStateViewArray());
        assertTrue(updaterDiff.amaxNumber().doubleValue() <= 1e-5, "Adam state differs");
        // And training did move the parameters.
        MultiLayerNetwork init = ModelKind.LENET.factory().create(5, 1e-3);
        assertTrue(single.params().sub(init.params()).amaxNumber().doubleValue() > 1e-3);
        assertEquals(single.params().length(), spark.params().length());
    }
}
