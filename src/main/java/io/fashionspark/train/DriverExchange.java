package io.fashionspark.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;

/**
 * The driver averages: dl4j-spark's parameter averaging, one Spark job per round. The driver broadcasts the model
 * (and Adam's state), every worker fits its round's minibatches, and the workers' results are summed on the driver
 * ({@link KnownCountTrainingMaster}). The model is on the driver after every round.
 */
final class DriverExchange implements ReplicaExchange {
    private final KnownCountTrainingMaster master;
    private final SparkDl4jMultiLayer sparkNet;
    private final WorkerLossCollector workerLosses = new WorkerLossCollector();
    private final RoundRecipe recipe;
    private final int workers;

    DriverExchange(JavaSparkContext sc, MultiLayerNetwork start, KnownCountTrainingMaster master, RoundRecipe recipe,
                   int workers, boolean collectTrainingStats) {
        this.master = master;
        this.recipe = recipe;
        this.workers = workers;
        this.sparkNet = new SparkDl4jMultiLayer(sc, start, master);
        sparkNet.setListeners(workerLosses, List.of(new WorkerLossListener()));
        if (collectTrainingStats) {
            // The system clock: the default time source queries an NTP server on every executor.
            if (System.getProperty(ParameterAveragingTrainer.TIME_SOURCE_PROPERTY) == null) {
                System.setProperty(ParameterAveragingTrainer.TIME_SOURCE_PROPERTY,
                        "org.deeplearning4j.spark.time.SystemClockTimeSource");
            }
            sparkNet.setCollectTrainingStats(true);
        }
    }

    @Override
    public void train(EpochShards shards, List<PlannedRound> rounds, Consumer<RoundReport> onRound) {
        for (PlannedRound round : rounds) {
            long t0 = System.nanoTime();
            recipe.beforeRound(sparkNet.getNetwork(), round.iteration());
            master.nextFitHolds((long) round.steps() * workers);
            sparkNet.fit(shards.steps(round.fromStep(), round.toStep()));
            recipe.afterRound(sparkNet.getNetwork());
            long nanos = System.nanoTime() - t0;
            List<WorkerLoss> losses = new ArrayList<>();
            for (WorkerLossRecord r : workerLosses.drain()) {
                losses.add(new WorkerLoss(r.getTimeStamp(), r.partition(), r.localIteration(), r.loss(),
                        r.examples()));
            }
            onRound.accept(new RoundReport(round, nanos, sparkNet.getScore(), losses));
        }
    }

    @Override
    public MultiLayerNetwork model() {
        return sparkNet.getNetwork();
    }

    /** dl4j-spark's per-phase timings, when they were asked for. */
    SparkTrainingStats trainingStats() {
        return sparkNet.getSparkTrainingStats();
    }
}
