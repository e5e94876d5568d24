package io.fashionspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.TestConfigs;
import io.fashionspark.config.Exchange;
import io.fashionspark.config.Settings;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingDefaults;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.metrics.TestEvaluation;
import io.fashionspark.metrics.WorkerIteration;
import io.fashionspark.model.ModelKind;
import io.fashionspark.runtime.SparkContexts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The workers' own all-reduce against the driver's average: the same rounds, the same minibatches, the same dropout
 * masks, so the same model up to the order of the float additions; every loss logged once; and a run that repeats
 * itself bit for bit at a worker count the driver's sum does not group as a tree would.
 */
class PeerExchangeTest {
    private static final TrainingRecipe NOTES = TrainingRecipe.NOTES;

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void theWorkersAverageEqualsTheDriversWithinFloatRoundingOverFiftyIterations(int workers, @TempDir Path dir)
            throws Exception {
        FashionMnistFiles.Splits data = smallData(dir, 1000);
        // 50 iterations: 1,000 images / (workers x batch), a test every 20 iterations (segments of 4 rounds).
        // At 4 workers, the tuned recipe with Nesterov block momentum and a first half-epoch averaging every step.
        TrainingConfig driver = TestConfigs.small(ModelKind.DNN, dir).with(Settings.WORKERS, workers)
                .with(Settings.BATCH_SIZE, 20 / workers)
                .with(Settings.AVERAGING_FREQUENCY, 5).with(Settings.EVAL_EVERY, 20).with(Settings.SEED, 3L)
                .recipe(workers == 4 ? withBlockMomentum() : NOTES)
                .build();
        Run byDriver = train(driver, data);
        Run byPeers = train(driver.toBuilder().with(Settings.EXCHANGE, Exchange.ALLREDUCE).build(), data);

        assertEquals(50, byDriver.iterations);
        assertEquals(byDriver.iterations, byPeers.iterations);
        assertClose(byDriver.model.params().toFloatVector(), byPeers.model.params().toFloatVector(), "parameters");
        assertClose(byDriver.model.getUpdater().getStateViewArray().toFloatVector(),
                byPeers.model.getUpdater().getStateViewArray().toFloatVector(), "Adam's state");
        assertEquals(byDriver.model.getLayerWiseConfigurations().getIterationCount(),
                byPeers.model.getLayerWiseConfigurations().getIterationCount(), "Adam's step count");
        // Every worker's loss on every minibatch, once, at the same iterations.
        assertEquals(byDriver.losses.keySet(), byPeers.losses.keySet());
        assertEquals(50 * workers, byPeers.losses.size());
        byDriver.losses.forEach((key, loss) -> assertEquals(loss, byPeers.losses.get(key), 1e-3, key));
        // Tested at the same iterations.
        assertEquals(List.of(20L, 40L, 50L), byPeers.evaluatedAt);
        assertEquals(byDriver.evaluatedAt, byPeers.evaluatedAt);
    }

    @Test
    void aRunOfThreeWorkersRepeatsBitForBitWithTheTunedRecipesBlockMomentum(@TempDir Path dir) throws Exception {
        FashionMnistFiles.Splits data = smallData(dir, 600);
        TrainingConfig cfg = TestConfigs.small(ModelKind.DNN, dir).with(Settings.WORKERS, 3)
                .with(Settings.BATCH_SIZE, 10).with(Settings.AVERAGING_FREQUENCY, 2)
                .with(Settings.EPOCHS, 2).with(Settings.SEED, 8L).recipe(withBlockMomentum())
                .with(Settings.EXCHANGE, Exchange.ALLREDUCE).build();
        Run first = train(cfg, data);
        Run second = train(cfg, data);
        assertArrayEquals(first.model.params().toFloatVector(), second.model.params().toFloatVector());
        assertArrayEquals(first.model.getUpdater().getStateViewArray().toFloatVector(),
                second.model.getUpdater().getStateViewArray().toFloatVector());
        assertEquals(first.losses, second.losses);
        // And the peers trained: the model moved from its initial weights.
        float[] init = ModelKind.DNN.factory().create(8, 1e-3).params().toFloatVector();
        float[] trained = first.model.params().toFloatVector();
        double moved = 0;
        for (int i = 0; i < init.length; i++) {
            moved = Math.max(moved, Math.abs(init[i] - trained[i]));
        }
        assertTrue(moved > 1e-3, "moved " + moved);
    }

    @Test
    void roundsAreLoggedWhileTheWorkersStillTrainNotWhenTheirStageEnds(@TempDir Path dir) throws Exception {
        FashionMnistFiles.Splits data = smallData(dir, 2000);
        // One segment of 100 rounds (tested at the epoch's end only).
        TrainingConfig cfg = TestConfigs.small(ModelKind.DNN, dir).with(Settings.WORKERS, 2)
                .with(Settings.BATCH_SIZE, 10).with(Settings.AVERAGING_FREQUENCY, 1)
                .with(Settings.EXCHANGE, Exchange.ALLREDUCE).build();
        int[] duringTheStage = {0};
        int[] rounds = {0};
        try (JavaSparkContext sc = SparkContexts.create("peer-live-test", 2)) {
            MetricsListener metrics = new MetricsListener() {
                @Override
                public void onRound(io.fashionspark.metrics.AveragingRound e) {
                    rounds[0]++;
                    if (sc.statusTracker().getActiveJobIds().length > 0) {
                        duringTheStage[0]++;
                    }
                }
            };
            new ParameterAveragingTrainer(sc, cfg, metrics).train(data.train(), data.test());
        }
        assertEquals(100, rounds[0]);
        assertTrue(duringTheStage[0] >= 50, duringTheStage[0] + " of 100 rounds logged while the stage ran");
        // And no thread is left that would keep the JVM from exiting (Spark's barrier timer is not a daemon).
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> !t.isDaemon()
                && t.getName().startsWith("Barrier task timer")), "a barrier timer thread outlives the run");
    }

    @Test
    void withFewerTaskSlotsThanWorkersTheDriverAveragesOnTheSlotsLeft(@TempDir Path dir) throws Exception {
        FashionMnistFiles.Splits data = smallData(dir, 400);
        TrainingConfig driver = TestConfigs.small(ModelKind.DNN, dir).with(Settings.WORKERS, 2)
                .with(Settings.BATCH_SIZE, 10).with(Settings.AVERAGING_FREQUENCY, 2)
                .with(Settings.EVAL_EVERY, 5).with(Settings.SEED, 4L).build();
        Run expected = train(driver, data);
        Run run;
        Map<String, Double> losses = new TreeMap<>();
        // One task slot for two workers, as after a host is lost for good: a barrier stage cannot start.
        try (JavaSparkContext sc = SparkContexts.create("peer-slots-test", 2, Map.of("spark.master", "local[1]",
                "spark.scheduler.maxRegisteredResourcesWaitingTime", "1s"))) {
            TrainingOutcome outcome = new ParameterAveragingTrainer(sc,
                    driver.toBuilder().with(Settings.EXCHANGE, Exchange.ALLREDUCE).build(), new MetricsListener() {
                        @Override
                        public void onWorkerIteration(WorkerIteration e) {
                            assertEquals(null, losses.put(e.iteration() + "/" + e.worker(), e.loss()));
                        }
                    }).train(data.train(), data.test());
            run = new Run(outcome.model(), outcome.iterations(), losses, List.of());
        }
        assertArrayEquals(expected.model.params().toFloatVector(), run.model.params().toFloatVector());
        assertEquals(expected.losses, run.losses);
    }

    @Test
    void dynamicAllocationIsRefusedInOneSentenceNamingTheSetting(@TempDir Path dir) throws Exception {
        FashionMnistFiles.Splits data = smallData(dir, 400);
        TrainingConfig cfg = TestConfigs.small(ModelKind.DNN, dir).with(Settings.WORKERS, 2)
                .with(Settings.BATCH_SIZE, 10)
                .with(Settings.EXCHANGE, Exchange.ALLREDUCE).build();
        try (JavaSparkContext sc = SparkContexts.create("peer-dyn-test", 2,
                Map.of("spark.dynamicAllocation.enabled", "true"))) {
            io.fashionspark.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.fashionspark.config.ConfigException.class,
                    () -> new ParameterAveragingTrainer(sc, cfg, new MetricsListener() {
                    }).train(data.train(), data.test()));
            assertTrue(e.getMessage().contains("spark.dynamicAllocation.enabled=false"), e.getMessage());
        }
    }

    @Test
    void aFailedStageIsExplainedByItsTasksException() {
        assertEquals("PeerRing$PeerFailure: peer 0 sent nothing for 5.0 s (step 0 of exchange 10)",
                PeerExchange.reason(new RuntimeException("Job aborted due to stage failure: Could not recover from a "
                        + "failed barrier ResultStage.\nio.fashionspark.train.PeerRing$PeerFailure: peer 0 sent "
                        + "nothing for 5.0 s (step 0 of exchange 10)\n\tat io.fashionspark.train.PeerRing.receive")));
        assertEquals("something odd", PeerExchange.reason(new RuntimeException("something odd")));
    }

    /** The tuned recipe with Nesterov block momentum, and averaging after every step for the first half epoch. */
    private static TrainingRecipe withBlockMomentum() {
        return TrainingDefaults.values().with(Settings.BLOCK_MOMENTUM, 0.5).with(Settings.BLOCK_NESTEROV, true)
                .with(Settings.SYNC_EPOCHS, 0.5).recipe();
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(worst <= 1e-4 * Math.max(1, scale), what + " differ by up to " + worst + " (scale " + scale + ")");
    }

    private static FashionMnistFiles.Splits smallData(Path dir, int images) throws Exception {
        IdxFixtures.writeDataset(dir, images, 40, 5);
        return FashionMnistFiles.load(dir.toString(), new Configuration());
    }

    private record Run(MultiLayerNetwork model, long iterations, Map<String, Double> losses, List<Long> evaluatedAt) {
    }

    private static Run train(TrainingConfig cfg, FashionMnistFiles.Splits data) {
        Map<String, Double> losses = new TreeMap<>();
        List<Long> evaluatedAt = new ArrayList<>();
        MetricsListener metrics = new MetricsListener() {
            @Override
            public void onWorkerIteration(WorkerIteration e) {
                Double before = losses.put(e.iteration() + "/" + e.worker(), e.loss());
                assertEquals(null, before, "logged twice: iteration " + e.iteration() + ", worker " + e.worker());
            }

            @Override
            public void onEvaluation(TestEvaluation e) {
                evaluatedAt.add(e.iteration());
            }
        };
        try (JavaSparkContext sc = SparkContexts.create("peer-exchange-test", cfg.workers())) {
            TrainingOutcome outcome = new ParameterAveragingTrainer(sc, cfg, metrics).train(data.train(), data.test());
            return new Run(outcome.model(), outcome.iterations(), losses, evaluatedAt);
        }
    }
}
