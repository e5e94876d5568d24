package io.fashionspark.train;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Exchange;
import io.fashionspark.config.Settings;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.data.MiniBatch;
import io.fashionspark.metrics.MetricsListener;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains one model with dl4j-spark's parameter averaging. Each averaging round, every worker fits
 * {@code averagingFrequency} minibatches of its own shard starting from the averaged parameters (and Adam state);
 * the driver averages the replicas. The run's recipe ({@link RoundRecipe}) sets each round's length and learning
 * rate and may filter its average through a block momentum. One "iteration" is one synchronous step: every worker
 * fits one minibatch. The driver drives the rounds itself so that it can test the averaged model every
 * {@code evalEvery} iterations.
 */
public final class ParameterAveragingTrainer {
    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final MetricsListener metrics;
    private boolean collectTrainingStats;
    private SparkTrainingStats trainingStats;
    private PeerTimes peerTimes;
    private int sumOnDriverUpTo = KnownCountTrainingMaster.SUM_ON_DRIVER_UP_TO;

    /** dl4j-spark reads its clock for training stats from here; its default asks an NTP server. */
    static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";

    public ParameterAveragingTrainer(JavaSparkContext sc, TrainingConfig config, MetricsListener metrics) {
        this.sc = sc;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Has dl4j-spark time every phase of every averaging round (broadcast, worker fit, aggregation, ...), read after
     * {@link #train} with {@link #trainingStats()}. Off by default: it costs a little per round.
     */
    public ParameterAveragingTrainer collectTrainingStats() {
        this.collectTrainingStats = true;
        return this;
    }

    /**
     * Sums the workers' results on the driver for up to {@code workers} workers, and with Spark's tree above (0:
     * always the tree, as dl4j-spark's stock master does).
     */
    ParameterAveragingTrainer sumResultsOnDriverUpTo(int workers) {
        this.sumOnDriverUpTo = workers;
        return this;
    }

    /** Where the last {@link #train} call's peer-exchange rounds spent their time; null for the driver exchange. */
    public PeerTimes peerTimes() {
        return peerTimes;
    }

    /** The per-phase timings of the last {@link #train} call; null unless {@link #collectTrainingStats()} was set. */
    public SparkTrainingStats trainingStats() {
        return trainingStats;
    }

    /**
     * The training master as configured by the run's settings, summing up to {@code sumOnDriverUpTo} workers' results
     * on the driver (0: Spark's tree).
     */
    static KnownCountTrainingMaster trainingMaster(TrainingConfig config, int sumOnDriverUpTo) {
        return new KnownCountTrainingMaster(new ParameterAveragingTrainingMaster.Builder(config.workers(),
                config.batchSize())
                .batchSizePerWorker(config.batchSize())
                .averagingFrequency(config.averagingFrequency())
                // Adam's moment estimates are averaged with the parameters unless the recipe restarts them each round
                // (then only the parameters travel, a third of the bytes).
                .saveUpdater(config.recipe().adamState() == TrainingRecipe.AdamState.AVERAGED)
                // Minibatches are made from cached bytes on the executors; prefetch overlaps that with fitting.
                .workerPrefetchNumBatches(2)
                // The shards are already balanced, one partition per worker, and cached by EpochShards.
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .storageLevel(null)
                .rngSeed(config.seed()), sumOnDriverUpTo);
    }

    /** Synchronous steps in one epoch: every worker fits one minibatch per step; a partial last batch is dropped. */
    public static int stepsPerEpoch(TrainingConfig config, int trainImages) {
        return EpochShards.stepsPerEpoch(trainImages, config.workers(), config.batchSize());
    }

    /** Trains a new model from the run's seed. */
    public TrainingOutcome train(LabelledImages train, LabelledImages test) {
        return train(train, test, CheckpointWriter.NONE);
    }

    /** Trains a new model from the run's seed, saving checkpoints as the settings schedule them. */
    public TrainingOutcome train(LabelledImages train, LabelledImages test, CheckpointWriter checkpoints) {
        int steps = stepsPerEpoch(train.size());
        RoundRecipe recipe = new RoundRecipe(config, steps, null);
        return run(config.model().factory().create(config.seed(), recipe.rateAt(0)), TrainingState.fresh(steps),
                recipe, train, test, checkpoints);
    }

    /**
     * Continues a run from a checkpoint's model (with its updater state), block momentum (null when its recipe has
     * none) and counters: it ends with the parameters and optimizer state the uninterrupted run would have.
     */
    public TrainingOutcome resume(MultiLayerNetwork model, INDArray blockMomentum, TrainingProgress progress,
                                  LabelledImages train, LabelledImages test, CheckpointWriter checkpoints) {
        int steps = stepsPerEpoch(train.size());
        return run(model, TrainingState.resume(progress, steps), new RoundRecipe(config, steps, blockMomentum), train,
                test, checkpoints);
    }

    /** The run: its exchange, its training set sent to the executors, its listeners, then the loop. */
    private TrainingOutcome run(MultiLayerNetwork start, TrainingState state, RoundRecipe recipe,
                                LabelledImages train, LabelledImages test, CheckpointWriter checkpoints) {
        long wallStart = System.nanoTime();
        ReplicaExchange exchange = exchange(start, recipe, state.stepsPerEpoch());
        // Sent once per run; each epoch's shards are cut from it on the executors.
        Broadcast<MiniBatch> trainSet = sc.broadcast(train.whole());
        TestEvaluations evaluations;
        try (exchange; DistributedEvaluator evaluator = evaluator(test)) {
            evaluations = new TestEvaluations(Trigger.everyIterations(config.run().evalEvery()).or(Trigger.everyEpoch()),
                    evaluator, metrics, state);
            List<RoundListener> listeners = List.of(new RoundMetrics(metrics),
                    new DivergenceCheck(config.learningRate(), config.peakLearningRate()), evaluations,
                    new EpochEndMetrics(metrics, state),
                    new Checkpointing(Trigger.everyEpochs(config.run().checkpointEveryEpochs())
                            .or(Trigger.everyIterations(config.run().checkpointEvery())), checkpoints, state,
                            recipe::blockMomentumState, config.run().evalEvery(), config.run().checkpointEvery()));
            TrainingLoop.run(config, state, recipe, exchange, epoch -> EpochShards.create(sc, trainSet, train.size(),
                    config.workers(), config.batchSize(), config.seed(), epoch,
                    config.model().factory().exampleShape()), listeners);
        } finally {
            trainSet.destroy();
        }
        trainingStats = collectTrainingStats && exchange instanceof DriverExchange driver
                ? driver.trainingStats() : null;
        peerTimes = exchange instanceof PeerExchange peer ? peer.times() : null;
        // Resumed with nothing left to train: test the checkpoint's model once so the run has a final score.
        EvalCounts last = evaluations.last() != null ? evaluations.last() : evaluateOnce(exchange.model(), test);
        return new TrainingOutcome(exchange.model(), last, state.iteration(), state.imagesTrained(),
                state.trainSeconds(), state.evalSeconds(), (System.nanoTime() - wallStart) / 1e9);
    }

    /**
     * Refuses, in one sentence that names the setting, a Spark configuration that {@code exchange} cannot run
     * under; for a caller to check before it writes anything.
     */
    public static void requireRunnable(Exchange exchange, SparkConf conf) {
        if (exchange == Exchange.ALLREDUCE) {
            PeerExchange.requireRunnable(conf);
        }
    }

    /** The run's exchange, holding {@code start}. */
    private ReplicaExchange exchange(MultiLayerNetwork start, RoundRecipe recipe, int stepsPerEpoch) {
        return switch (config.exchange()) {
            case DRIVER -> new DriverExchange(sc, start, trainingMaster(config, sumOnDriverUpTo), recipe,
                    config.workers(), collectTrainingStats);
            case ALLREDUCE -> new PeerExchange(sc, config, start, recipe, stepsPerEpoch);
        };
    }

    private EvalCounts evaluateOnce(MultiLayerNetwork model, LabelledImages test) {
        try (DistributedEvaluator evaluator = evaluator(test)) {
            return evaluator.evaluate(model);
        }
    }

    private DistributedEvaluator evaluator(LabelledImages test) {
        return new DistributedEvaluator(sc, test, config.workers(), config.model().factory().exampleShape());
    }

    /** Steps in one epoch of {@code trainImages}; at least one, or the settings cannot train. */
    private int stepsPerEpoch(int trainImages) {
        int steps = stepsPerEpoch(config, trainImages);
        if (steps < 1) {
            throw new ConfigException(Settings.BATCH_SIZE + " " + config.batchSize() + " times "
                    + Settings.WORKERS + " " + config.workers() + " is more than the " + trainImages
                    + " training images: each worker needs at least one full minibatch; lower "
                    + Settings.BATCH_SIZE + " or " + Settings.WORKERS);
        }
        return steps;
    }
}
