package io.fashionspark.train;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.data.MiniBatch;
import io.fashionspark.metrics.AveragingRound;
import io.fashionspark.metrics.EpochEnd;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.metrics.TestEvaluation;
import io.fashionspark.metrics.WorkerIteration;
import io.fashionspark.model.NetworkFactory;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * Trains one model with dl4j-spark's parameter averaging. Each averaging round, every worker fits
 * {@code averagingFrequency} minibatches of its own shard starting from the averaged parameters (and Adam state);
 * the driver averages the replicas. One "iteration" is one synchronous step: every worker fits one minibatch.
 * The driver drives the rounds itself so that it can test the averaged model every {@code evalEvery} iterations.
 */
public final class ParameterAveragingTrainer {
    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final MetricsListener metrics;
    private boolean collectTrainingStats;
    private SparkTrainingStats trainingStats;

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

    /** The per-phase timings of the last {@link #train} call; null unless {@link #collectTrainingStats()} was set. */
    public SparkTrainingStats trainingStats() {
        return trainingStats;
    }

    /** The training master as configured by the run's settings. */
    static KnownCountTrainingMaster trainingMaster(TrainingConfig config) {
        return new KnownCountTrainingMaster(new ParameterAveragingTrainingMaster.Builder(config.workers(),
                config.batchSize())
                .batchSizePerWorker(config.batchSize())
                .averagingFrequency(config.averagingFrequency())
                // Adam's moment estimates are averaged with the parameters; without them each round restarts Adam.
                .saveUpdater(true)
                // Minibatches are made from cached bytes on the executors; prefetch overlaps that with fitting.
                .workerPrefetchNumBatches(2)
                // The shards are already balanced, one partition per worker, and cached by EpochShards.
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .storageLevel(null)
                .rngSeed(config.seed()));
    }

    /** Synchronous steps in one epoch: every worker fits one minibatch per step; a partial last batch is dropped. */
    public static int stepsPerEpoch(TrainingConfig config, int trainImages) {
        return EpochShards.stepsPerEpoch(trainImages, config.workers(), config.batchSize());
    }

    public TrainingOutcome train(LabelledImages train, LabelledImages test) {
        return train(train, test, null, null, CheckpointWriter.NONE);
    }

    /**
     * Trains from the start ({@code resumeModel} null) or from a checkpoint's model and progress, calling
     * {@code checkpoints} at the end of every {@code checkpointEveryEpochs}-th epoch and, when
     * {@code checkpointEvery} is set, at the first round end past each multiple of it.
     */
    public TrainingOutcome train(LabelledImages train, LabelledImages test, MultiLayerNetwork resumeModel,
                                 TrainingProgress resumeProgress, CheckpointWriter checkpoints) {
        NetworkFactory factory = config.model().factory();
        int steps = EpochShards.stepsPerEpoch(train.size(), config.workers(), config.batchSize());
        if (steps < 1) {
            throw new ConfigException("--batch-size " + config.batchSize() + " times --workers " + config.workers()
                    + " is more than the " + train.size() + " training images: each worker needs at least one"
                    + " full minibatch; lower --batch-size or --workers");
        }
        KnownCountTrainingMaster master = trainingMaster(config);
        SparkDl4jMultiLayer sparkNet = resumeModel == null
                ? new SparkDl4jMultiLayer(sc, factory.create(config.seed(), config.learningRate()), master)
                : new SparkDl4jMultiLayer(sc, resumeModel, master);
        WorkerLossCollector collector = new WorkerLossCollector();
        sparkNet.setListeners(collector, List.of(new WorkerLossListener()));
        if (collectTrainingStats) {
            // The system clock: the default time source queries an NTP server on every executor.
            if (System.getProperty(TIME_SOURCE_PROPERTY) == null) {
                System.setProperty(TIME_SOURCE_PROPERTY, "org.deeplearning4j.spark.time.SystemClockTimeSource");
            }
            sparkNet.setCollectTrainingStats(true);
        }

        TrainingProgress p = resumeProgress != null ? resumeProgress
                : TrainingProgress.initial(config.evalEvery(), config.checkpointEvery());
        long start = System.nanoTime();
        long trainNanos = (long) (p.trainSeconds() * 1e9);
        long evalNanos = (long) (p.evalSeconds() * 1e9);
        long iteration = p.iteration();
        long imagesTrained = p.imagesTrained();
        long round = p.round();
        long nextEval = p.nextEval();
        long nextCheckpoint = p.nextCheckpoint();
        int firstEpoch = p.epoch();
        int firstStep = p.stepsDoneInEpoch();
        long epochTrainNanos = (long) (p.epochTrainSeconds() * 1e9);
        int epochImages = p.epochImages();
        if (firstStep >= steps) {
            // The checkpoint closed its epoch: carry on with the next one.
            firstEpoch++;
            firstStep = 0;
            epochTrainNanos = 0;
            epochImages = 0;
        }
        EvalCounts last = null;
        // Sent once per run; each epoch's shards are cut from it on the executors.
        Broadcast<MiniBatch> trainSet = sc.broadcast(train.whole());
        try (DistributedEvaluator evaluator = new DistributedEvaluator(sc, test, config.workers(),
                factory.exampleShape())) {
            for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                try (EpochShards shards = EpochShards.create(sc, trainSet, train.size(), config.workers(),
                        config.batchSize(), config.seed(), epoch, factory.exampleShape())) {
                    for (int from = epoch == firstEpoch ? firstStep : 0; from < steps;
                         from += config.averagingFrequency()) {
                        int to = Math.min(steps, from + config.averagingFrequency());
                        long t0 = System.nanoTime();
                        master.nextFitHolds((long) (to - from) * config.workers());
                        sparkNet.fit(shards.steps(from, to));
                        long roundNanos = System.nanoTime() - t0;
                        round++;
                        int images = (to - from) * config.imagesPerStep();
                        epochTrainNanos += roundNanos;
                        trainNanos += roundNanos;
                        epochImages += images;
                        imagesTrained += images;
                        publishWorkerLosses(collector.drain(), epoch, iteration);
                        iteration += to - from;
                        double score = sparkNet.getScore();
                        double seconds = roundNanos / 1e9;
                        metrics.onRound(new AveragingRound(System.currentTimeMillis(), epoch, round, iteration, score,
                                images, seconds, images / seconds));
                        if (!Double.isFinite(score)) {
                            throw new TrainingDivergedException("the training loss became " + score
                                    + " at iteration " + iteration + " (epoch " + epoch
                                    + "); lower --learning-rate (now " + config.learningRate() + ")");
                        }
                        boolean epochDone = to == steps;
                        if (iteration >= nextEval || epochDone) {
                            long e0 = System.nanoTime();
                            last = evaluator.evaluate(sparkNet.getNetwork());
                            long evalTook = System.nanoTime() - e0;
                            evalNanos += evalTook;
                            TestEvaluation evaluation = new TestEvaluation(System.currentTimeMillis(), epoch,
                                    iteration, imagesTrained, last.accuracy(), last.loss(), epochDone, evalTook / 1e9);
                            metrics.onEvaluation(evaluation);
                            while (nextEval <= iteration) {
                                nextEval += config.evalEvery();
                            }
                        }
                        if (epochDone) {
                            metrics.onEpochEnd(new EpochEnd(System.currentTimeMillis(), epoch, iteration, epochImages,
                                    epochTrainNanos / 1e9, epochImages / (epochTrainNanos / 1e9)));
                        }
                        boolean epochCheckpoint = epochDone && config.checkpointEveryEpochs() > 0
                                && epoch % config.checkpointEveryEpochs() == 0;
                        if (epochCheckpoint || iteration >= nextCheckpoint) {
                            while (nextCheckpoint <= iteration) {
                                nextCheckpoint += config.checkpointEvery();
                            }
                            checkpoints.write(sparkNet.getNetwork(), new TrainingProgress(epoch, to, iteration, round,
                                    imagesTrained, epochImages, epochTrainNanos / 1e9, trainNanos / 1e9,
                                    evalNanos / 1e9, nextEval, nextCheckpoint));
                        }
                    }
                }
                epochTrainNanos = 0;
                epochImages = 0;
            }
        } finally {
            trainSet.destroy();
        }
        if (collectTrainingStats) {
            trainingStats = sparkNet.getSparkTrainingStats();
        }
        if (last == null) {
            // Resumed with nothing left to train: test the checkpoint's model once so the run has a final score.
            try (DistributedEvaluator evaluator = new DistributedEvaluator(sc, test, config.workers(),
                    factory.exampleShape())) {
                last = evaluator.evaluate(sparkNet.getNetwork());
            }
        }
        return new TrainingOutcome(sparkNet.getNetwork(), last, iteration, imagesTrained, trainNanos / 1e9,
                evalNanos / 1e9, (System.nanoTime() - start) / 1e9);
    }

    private void publishWorkerLosses(List<WorkerLossRecord> records, int epoch, long iterationBeforeRound) {
        records.sort(Comparator.comparingInt(WorkerLossRecord::localIteration)
                .thenComparingInt(WorkerLossRecord::partition));
        for (WorkerLossRecord r : records) {
            metrics.onWorkerIteration(new WorkerIteration(r.getTimeStamp(), epoch,
                    iterationBeforeRound + r.localIteration() + 1, r.partition(), r.loss(), r.examples()));
        }
    }
}
