package io.fashionspark.train;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Exchange;
import io.fashionspark.config.Settings;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.MiniBatch;
import io.fashionspark.runtime.InterfaceCounters;
import io.fashionspark.runtime.NativeDefaults;
import io.fashionspark.runtime.NativeThreads;
import io.fashionspark.runtime.TaskSlots;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.netty.SparkTransportConf;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.network.util.TransportConf;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;
import scala.runtime.AbstractFunction1;

/**
 * The workers average among themselves: each segment of rounds is one Spark barrier stage in which every task
 * holds one replica and its shard from the segment's first round to its last, and each round ends with a ring
 * all-reduce among the tasks ({@link PeerRing}) of what the recipe averages (the parameters, and Adam's state
 * where the recipe averages it). The driver sends the model once at the segment's start and gets it back once at its
 * end, from the first task: every replica holds the same bits after every round.
 *
 * <p>On a cluster the tasks find each other once per stage, through the driver's {@link RoundFeed} (not
 * {@code BarrierTaskContext.allGather}, whose tasks poll the driver once a second), and average over the network
 * ({@link PeerRing}); on the embedded master, where they are threads of the driver's JVM, they average in memory
 * ({@link SharedMemoryRing}), with the same bits. No round calls the driver. A failed task fails the stage; Spark
 * relaunches no barrier result stage, so this exchange runs the segment again from its start (the broadcast model),
 * and a retried segment ends as the first attempt would have.
 *
 * <p>Each round is the driver exchange's round: the same minibatches, the same dropout seeds, the same rates and
 * block momentum, Adam's iteration count advanced as dl4j-spark's master advances it; only the order of the float
 * additions in the average differs.
 */
final class PeerExchange implements ReplicaExchange {
    /** How long a task waits for its neighbour before it fails; default: {@code spark.network.timeout}. */
    static final String TIMEOUT_KEY = "spark.fashionspark.exchange.timeout";
    /** The transport's module name: its settings are {@code spark.fashionpeer.io.*}, as Spark's are per module. */
    static final String TRANSPORT_MODULE = "fashionpeer";

    private static final Logger LOG = LoggerFactory.getLogger(PeerExchange.class);

    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final RoundRecipe recipe;
    private final int stepsPerEpoch;
    private MultiLayerNetwork model;
    private RoundFeed feed;
    private int segments;
    private PeerTimes times = PeerTimes.NONE;
    /** The task slots there were when a segment last fell back to the driver; -1: none has. */
    private int slotsAtFallback = -1;

    PeerExchange(JavaSparkContext sc, TrainingConfig config, MultiLayerNetwork start, RoundRecipe recipe,
                 int stepsPerEpoch) {
        requireRunnable(sc.getConf());
        this.sc = sc;
        this.config = config;
        this.model = start;
        this.recipe = recipe;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /**
     * Refuses, in one sentence that names the setting, a Spark configuration the exchange cannot run under: checked
     * on the driver before anything is trained or written, rather than in every task once the stage has started.
     */
    static void requireRunnable(SparkConf conf) {
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            throw new ConfigException(Settings.EXCHANGE + " " + Exchange.ALLREDUCE.cliName() + " runs every "
                    + "worker at once in a Spark barrier stage, which Spark refuses under dynamic allocation: set "
                    + "spark.dynamicAllocation.enabled=false or use " + Settings.EXCHANGE + " "
                    + Exchange.DRIVER.cliName());
        }
        timeoutMillis(conf);
        PeerPorts.check(conf);
    }

    /** How long a task waits for its neighbour: {@link #TIMEOUT_KEY}, or {@code spark.network.timeout}. */
    static long timeoutMillis(SparkConf conf) {
        String key = conf.contains(TIMEOUT_KEY) ? TIMEOUT_KEY : "spark.network.timeout";
        String text = conf.get(key, "120s");
        String what = " (how long a worker of " + Settings.EXCHANGE + " " + Exchange.ALLREDUCE.cliName()
                + " waits for its neighbour), got '" + text + "'";
        long millis;
        try {
            millis = JavaUtils.timeStringAsMs(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a duration such as 120s or 2min" + what);
        }
        if (millis <= 0) {
            throw new ConfigException(key + " must be longer than 0" + what);
        }
        return millis;
    }

    @Override
    public MultiLayerNetwork model() {
        return model;
    }

    /** Where the rounds trained in barrier stages so far spent their time. */
    PeerTimes times() {
        return times;
    }

    @Override
    public void close() {
        if (feed != null) {
            feed.close();
        }
    }

    /**
     * Trains the segment in one barrier stage, publishing each round as soon as every task has reported it. Where the
     * cluster has fewer task slots than workers (a host lost for good), or loses them during the stage for longer
     * than Spark's own wait for executors, the stage cannot run: the segment is trained by the driver exchange on
     * the slots that remain instead, from the segment's start, and rounds already published are not published again.
     */
    @Override
    public void train(EpochShards shards, List<PlannedRound> rounds, Consumer<RoundReport> onRound) {
        if (!awaitSlots()) {
            trainOnTheDriver(shards, rounds, onRound, 0);
            return;
        }
        long t0 = System.nanoTime();
        int segment = segments++;
        INDArray momentum = recipe.blockMomentumState();
        Broadcast<SegmentStart> start = sc.broadcast(new SegmentStart(ModelState.of(model),
                momentum == null ? null : momentum.toFloatVector()));
        Progress progress = new Progress(rounds, config.workers(), t0, onRound);
        SegmentTask task = new SegmentTask(start, config, stepsPerEpoch, rounds, shards.epochSeed(),
                shards.exampleShape(), feed().address(), segment, sc.isLocal());
        int attempts = sc.getConf().getInt("spark.stage.maxConsecutiveAttempts", 4);
        try {
            for (int attempt = 1; ; attempt++) {
                List<SegmentResult> results;
                try {
                    results = runStage(shards, task, segment, progress);
                } catch (SparkException e) {
                    // Spark does not relaunch a failed barrier result stage: the segment starts again from its
                    // start (still broadcast), as Spark relaunches a barrier map stage; rounds already logged
                    // are not logged again.
                    if (attempt >= attempts) {
                        throw new IllegalStateException("the workers' barrier stage failed " + attempt + " times "
                                + "(spark.stage.maxConsecutiveAttempts) training iterations "
                                + (rounds.get(0).iteration() + 1) + " to " + lastIteration(rounds) + ": "
                                + e.getMessage(), e);
                    }
                    LOG.warn("{} {}: the workers' barrier stage failed ({}); training iterations {} to {} again "
                            + "from their start (attempt {} of {})", Settings.EXCHANGE,
                            Exchange.ALLREDUCE.cliName(), reason(e), rounds.get(0).iteration() + 1,
                            lastIteration(rounds), attempt + 1, attempts);
                    if (!awaitSlots()) {
                        trainOnTheDriver(shards, rounds, onRound, progress.published());
                        return;
                    }
                    continue;
                }
                if (results == null) {
                    trainOnTheDriver(shards, rounds, onRound, progress.published());
                    return;
                }
                finish(rounds, results, progress, t0);
                return;
            }
        } finally {
            start.destroy();
        }
    }

    /** One barrier stage of the segment's tasks; null if it was cancelled for want of task slots. */
    private List<SegmentResult> runStage(EpochShards shards, SegmentTask task, int segment, Progress progress)
            throws SparkException {
        ClassTag<SegmentResult> tag = ClassTag$.MODULE$.apply(SegmentResult.class);
        JavaFutureAction<List<SegmentResult>> job = shards.shards().rdd().barrier().mapPartitions(task, false, tag)
                .toJavaRDD().collectAsync();
        try {
            return follow(job, segment, progress);
        } finally {
            if (!job.isDone()) {
                job.cancel(true);
            }
        }
    }

    /** Takes the model the tasks ended with, publishes the rounds left, and adds the segment's times. */
    private void finish(List<PlannedRound> rounds, List<SegmentResult> results, Progress progress, long t0) {
        SegmentResult first = results.stream().filter(r -> r.model != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no task of the segment returned the model"));
        long stage = System.nanoTime() - t0;
        model = first.model.network();
        recipe.restoreBlockMomentum(first.blockMomentum == null ? null : Nd4j.createFromArray(first.blockMomentum));
        progress.finish(results, first.roundNanos);
        times = times.plus(PeerTimes.segment(stage, results.stream().map(r -> new PeerTimes.TaskTimes(r.roundNanos,
                r.fitNanos, r.averageNanos, r.sentBytes, r.wireBytes)).toList()));
    }

    private static long lastIteration(List<PlannedRound> rounds) {
        PlannedRound last = rounds.get(rounds.size() - 1);
        return last.iteration() + last.steps();
    }

    /**
     * What made a stage fail, in one line: the failed task's exception (Spark puts it on the lines after its own
     * summary), else that summary.
     */
    static String reason(Throwable e) {
        String[] lines = String.valueOf(e.getMessage()).strip().split("\n");
        for (String line : lines) {
            String l = line.strip();
            int colon = l.indexOf(": ");
            if (colon > 0 && l.substring(0, colon).matches("[\\w.$]+\\.[\\w$]+")) {
                return l.substring(l.lastIndexOf('.', colon) + 1);
            }
        }
        return lines[0];
    }

    /**
     * Publishes the rounds as the tasks report them until the stage ends; null (the stage cancelled) when the
     * cluster has had fewer slots than workers for longer than Spark waits for executors.
     */
    private List<SegmentResult> follow(JavaFutureAction<List<SegmentResult>> job, int segment, Progress progress)
            throws SparkException {
        long shortSince = -1;
        try {
            while (!job.isDone()) {
                // A short wait: the stage's end is seen by polling, and every millisecond waited here after the
                // last round is one the next segment does not start (a segment per test, every 50 iterations).
                for (RoundFeed.Part p = feed.poll(5); p != null; p = feed.poll(0)) {
                    if (p.segment() == segment) {
                        progress.add(p);
                    }
                }
                progress.publishReady();
                if (TaskSlots.available(sc) >= config.workers()) {
                    shortSince = -1;
                } else if (shortSince < 0) {
                    shortSince = System.nanoTime();
                } else if (System.nanoTime() - shortSince > TaskSlots.waitMillis(sc) * 1_000_000L) {
                    job.cancel(true);
                    return null;
                }
            }
            return job.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the workers trained", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SparkException failed) {
                throw failed;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Waits up to Spark's wait for executors for a slot per worker; false if they did not come. After a fallback,
     * as long as the slots stay as few as they were, it does not wait again.
     */
    private boolean awaitSlots() {
        int now = TaskSlots.available(sc);
        if (now >= config.workers()) {
            return true;
        }
        if (now == slotsAtFallback || sc.isLocal()) {
            // An embedded master's slots are its threads: none will come.
            return false;
        }
        long deadline = System.nanoTime() + TaskSlots.waitMillis(sc) * 1_000_000L;
        while (TaskSlots.available(sc) < config.workers()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The segment trained by the driver exchange, on whatever slots are left; the first {@code skip} rounds quiet. */
    private void trainOnTheDriver(EpochShards shards, List<PlannedRound> rounds, Consumer<RoundReport> onRound,
                                  int skip) {
        PlannedRound last = rounds.get(rounds.size() - 1);
        slotsAtFallback = TaskSlots.available(sc);
        LOG.warn("{} {}: the cluster has {} task slot(s) for {} workers; the driver averages iterations {} to {} "
                + "instead, on the slots left", Settings.EXCHANGE, Exchange.ALLREDUCE.cliName(),
                TaskSlots.available(sc), config.workers(), rounds.get(0).iteration() + 1,
                last.iteration() + last.steps());
        DriverExchange driver = new DriverExchange(sc, model, ParameterAveragingTrainer.trainingMaster(config,
                KnownCountTrainingMaster.SUM_ON_DRIVER_UP_TO), recipe, config.workers(), false);
        int[] index = {0};
        driver.train(shards, rounds, report -> {
            if (index[0]++ >= skip) {
                onRound.accept(report);
            }
        });
        model = driver.model();
    }

    private RoundFeed feed() {
        if (feed == null) {
            SparkEnv env = SparkEnv.get();
            feed = new RoundFeed(transport(sc.getConf()),
                    env.securityManager().isAuthenticationEnabled() ? env.securityManager() : null,
                    sc.isLocal() ? null : sc.getConf().get("spark.driver.host"), sc.getConf());
        }
        return feed;
    }

    static TransportConf transport(SparkConf conf) {
        return SparkTransportConf.fromSparkConf(conf, TRANSPORT_MODULE, 1, Option.empty());
    }

    /**
     * A segment's rounds as the tasks report them: a round is published once every worker has reported it, in
     * order, each once (a relaunched stage reports again what its first attempt did); the last round waits for the
     * model, which comes with the stage's result.
     */
    private static final class Progress {
        private final List<PlannedRound> rounds;
        private final int workers;
        private final Consumer<RoundReport> onRound;
        private final RoundFeed.Part[][] parts;
        private long lastPublished;
        private int published;

        Progress(List<PlannedRound> rounds, int workers, long start, Consumer<RoundReport> onRound) {
            this.rounds = rounds;
            this.workers = workers;
            this.onRound = onRound;
            this.parts = new RoundFeed.Part[rounds.size()][workers];
            this.lastPublished = start;
        }

        void add(RoundFeed.Part p) {
            if (p.round() >= published && p.round() < rounds.size() && parts[p.round()][p.worker()] == null) {
                parts[p.round()][p.worker()] = p;
            }
        }

        int published() {
            return published;
        }

        /** Publishes every complete round in order, but not the segment's last. */
        void publishReady() {
            while (published < rounds.size() - 1 && complete(published)) {
                long now = System.nanoTime();
                publish(parts[published], now - lastPublished);
                lastPublished = now;
            }
        }

        /**
         * Publishes the rounds not yet published from the tasks' results; they share the time since the last one
         * published as the first task measured them, the last taking the rest.
         */
        void finish(List<SegmentResult> results, long[] roundNanos) {
            long left = System.nanoTime() - lastPublished;
            int[] offsets = new int[rounds.size() + 1];
            for (int i = 0; i < rounds.size(); i++) {
                offsets[i + 1] = offsets[i] + rounds.get(i).steps();
            }
            while (published < rounds.size()) {
                int r = published;
                RoundFeed.Part[] fromResults = new RoundFeed.Part[workers];
                for (SegmentResult result : results) {
                    fromResults[result.worker] = new RoundFeed.Part(-1, result.worker, r,
                            Arrays.copyOfRange(result.losses, offsets[r], offsets[r + 1]),
                            Arrays.copyOfRange(result.examples, offsets[r], offsets[r + 1]),
                            Arrays.copyOfRange(result.timestamps, offsets[r], offsets[r + 1]));
                }
                long nanos = r == rounds.size() - 1 ? left : Math.min(left, roundNanos[r]);
                left -= nanos;
                publish(fromResults, nanos);
            }
        }

        private boolean complete(int round) {
            for (RoundFeed.Part p : parts[round]) {
                if (p == null) {
                    return false;
                }
            }
            return true;
        }

        private void publish(RoundFeed.Part[] byWorker, long nanos) {
            List<WorkerLoss> losses = new ArrayList<>();
            double lastSum = 0;
            for (RoundFeed.Part p : byWorker) {
                for (int s = 0; s < p.losses().length; s++) {
                    losses.add(new WorkerLoss(p.timestamps()[s], p.worker(), s, p.losses()[s], p.examples()[s]));
                }
                lastSum += p.losses()[p.losses().length - 1];
            }
            onRound.accept(new RoundReport(rounds.get(published++), nanos, lastSum / byWorker.length, losses));
        }
    }

    /**
     * A model as it travels to and from the tasks: its configuration (with the rates the recipe set and Adam's step
     * count) and its parameters and updater state as raw floats. Not {@code model.zip}: deflating and inflating a
     * FashionCNN's 17 MB four times a segment cost more than a round.
     */
    static final class ModelState implements Serializable {
        private static final long serialVersionUID = 1L;
        String configuration;
        float[] params;
        float[] updater;
        long[] updaterShape;

        ModelState() {
        }

        static ModelState of(MultiLayerNetwork net) {
            ModelState m = new ModelState();
            m.configuration = net.getLayerWiseConfigurations().toJson();
            m.params = net.params().toFloatVector();
            INDArray state = net.getUpdater().getStateViewArray();
            m.updater = state == null ? null : state.toFloatVector();
            m.updaterShape = state == null ? null : state.shape();
            return m;
        }

        /** A network of these values, built as dl4j-spark's workers build theirs. */
        MultiLayerNetwork network() {
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
            net.init(Nd4j.createFromArray(params).reshape(1, params.length), false);
            if (updater != null) {
                net.setUpdater(new MultiLayerUpdater(net, Nd4j.createFromArray(updater).reshape(updaterShape)));
            }
            return net;
        }
    }

    /** What every task starts the segment from, broadcast once (Spark's serializer: a class, not a record). */
    static final class SegmentStart implements Serializable {
        private static final long serialVersionUID = 1L;
        ModelState model;
        float[] blockMomentum;

        SegmentStart() {
        }

        SegmentStart(ModelState model, float[] blockMomentum) {
            this.model = model;
            this.blockMomentum = blockMomentum;
        }
    }

    /** What a task sends back: its losses, and from the first task the model and the timings of every round. */
    static final class SegmentResult implements Serializable {
        private static final long serialVersionUID = 1L;
        int worker;
        double[] losses;
        int[] examples;
        long[] timestamps;
        long[] roundNanos;
        long[] fitNanos;
        long[] averageNanos;
        /** Per round: bytes the task's ring sent, and what the host's interfaces sent meanwhile (-1: unknown). */
        long[] sentBytes;
        long[] wireBytes;
        ModelState model;
        float[] blockMomentum;
    }

    /**
     * One task of the barrier stage: a replica trained through the segment, averaged with its peers each round. A
     * Scala function: Spark 3.5's {@code RDDBarrier.mapPartitionsWithEvaluator} runs its tasks outside the barrier.
     */
    static final class SegmentTask
            extends AbstractFunction1<scala.collection.Iterator<MiniBatch>, scala.collection.Iterator<SegmentResult>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<SegmentStart> start;
        private final TrainingConfig config;
        private final int stepsPerEpoch;
        private final List<PlannedRound> rounds;
        private final long epochSeed;
        private final long[] exampleShape;
        private final String feedAddress;
        private final int segment;
        private final boolean embedded;

        SegmentTask(Broadcast<SegmentStart> start, TrainingConfig config, int stepsPerEpoch, List<PlannedRound> rounds,
                    long epochSeed, long[] exampleShape, String feedAddress, int segment, boolean embedded) {
            this.start = start;
            this.config = config;
            this.stepsPerEpoch = stepsPerEpoch;
            this.rounds = List.copyOf(rounds);
            this.epochSeed = epochSeed;
            this.exampleShape = exampleShape;
            this.feedAddress = feedAddress;
            this.segment = segment;
            this.embedded = embedded;
        }

        @Override
        public scala.collection.Iterator<SegmentResult> apply(scala.collection.Iterator<MiniBatch> shard) {
            // Not BarrierTaskContext.get(): in Spark 3.5 that starts its companion's timer, a thread that is not a
            // daemon and keeps a finished JVM (spark-shell with a script) from exiting. The task's context is the
            // barrier context all the same.
            BarrierTaskContext task = (BarrierTaskContext) TaskContext.get();
            SegmentResult result = run(task, task.partitionId(), JavaConverters.asJavaIterator(shard));
            return JavaConverters.asScalaIterator(List.of(result).iterator());
        }

        private SegmentResult run(BarrierTaskContext task, int worker, Iterator<MiniBatch> shard) {
            NativeDefaults.apply();
            SparkEnv env = SparkEnv.get();
            SparkConf conf = env.conf();
            TransportConf transport = transport(conf);
            long timeout = timeoutMillis(conf);
            SecretKeyHolder secret = env.securityManager().isAuthenticationEnabled() ? env.securityManager() : null;
            String stageAttempt = conf.getAppId() + "/" + task.stageId() + "/" + task.stageAttemptNumber();
            int size = task.getTaskInfos().length;
            NativeThreads.shareOpenMpThreads(size);
            try (RoundFeed.Sender feed = RoundFeed.sender(feedAddress, transport, secret, conf.getAppId());
                 AllReduce ring = embedded ? new SharedMemoryRing(stageAttempt, worker, size, timeout)
                         : join(feed, stageAttempt, worker, size, env, transport, secret, timeout)) {
                return train(worker, shard, ring, feed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PeerRing.PeerFailure("interrupted");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The task's ring over the network: its server on its executor's address, its neighbours met via the driver. */
        private static AllReduce join(RoundFeed.Sender feed, String stageAttempt, int worker, int size, SparkEnv env,
                                      TransportConf transport, SecretKeyHolder secret, long timeout)
                throws IOException, InterruptedException {
            PeerRing ring = new PeerRing(transport, secret, env.conf().getAppId(),
                    env.blockManager().blockManagerId().host(), env.conf(), timeout);
            try {
                ring.join(worker, Arrays.asList(feed.meet(stageAttempt, worker, size, ring.address(), timeout)));
                return ring;
            } catch (IOException | InterruptedException | RuntimeException e) {
                ring.close();
                throw e;
            }
        }

        private SegmentResult train(int worker, Iterator<MiniBatch> shard, AllReduce ring, RoundFeed.Sender feed)
                throws InterruptedException {
            SegmentStart from = start.value();
            MultiLayerNetwork net = from.model.network();
            RoundRecipe recipe = new RoundRecipe(config, stepsPerEpoch,
                    from.blockMomentum == null ? null : Nd4j.createFromArray(from.blockMomentum));
            boolean averageAdam = config.recipe().adamState() == TrainingRecipe.AdamState.AVERAGED;
            List<MiniBatch> batches = new ArrayList<>();
            shard.forEachRemaining(batches::add);
            int steps = rounds.stream().mapToInt(PlannedRound::steps).sum();
            SegmentResult out = new SegmentResult();
            out.worker = worker;
            out.losses = new double[steps];
            out.examples = new int[steps];
            out.timestamps = new long[steps];
            out.roundNanos = new long[rounds.size()];
            out.fitNanos = new long[rounds.size()];
            out.averageNanos = new long[rounds.size()];
            out.sentBytes = new long[rounds.size()];
            out.wireBytes = new long[rounds.size()];
            int done = 0;
            long iterationCount = net.getLayerWiseConfigurations().getIterationCount();
            for (int r = 0; r < rounds.size(); r++) {
                PlannedRound round = rounds.get(r);
                long t0 = System.nanoTime();
                int first = done;
                Nd4j.getRandom().setSeed(EpochShards.dropoutSeed(epochSeed, round.fromStep(), worker));
                recipe.beforeRound(net, round.iteration());
                if (!averageAdam) {
                    // The recipe restarts Adam every round, as the driver exchange's workers start with a new one.
                    net.getUpdater().getStateViewArray().assign(0);
                }
                for (int s = round.fromStep(); s < round.toStep(); s++, done++) {
                    MiniBatch batch = batches.get(s);
                    net.fit(batch.toDataSet(exampleShape));
                    out.losses[done] = net.score();
                    out.examples[done] = batch.size();
                    out.timestamps[done] = System.currentTimeMillis();
                }
                long fitted = System.nanoTime();
                long sent = ring.sentBytes();
                // The interfaces' counters say something only where the ring's traffic leaves the host.
                long wire = embedded ? -1 : InterfaceCounters.sentBytes();
                average(net, ring, averageAdam);
                out.fitNanos[r] = fitted - t0;
                out.averageNanos[r] = System.nanoTime() - fitted;
                long wireAfter = wire < 0 ? -1 : InterfaceCounters.sentBytes();
                out.sentBytes[r] = ring.sentBytes() - sent;
                out.wireBytes[r] = wire < 0 || wireAfter < 0 ? -1 : wireAfter - wire;
                // Adam's bias correction counts as dl4j-spark's master counts: a round is averagingFrequency steps.
                iterationCount += config.averagingFrequency();
                net.getLayerWiseConfigurations().setIterationCount((int) iterationCount);
                recipe.afterRound(net);
                out.roundNanos[r] = System.nanoTime() - t0;
                // The driver logs the round as soon as every worker's losses are in.
                feed.send(RoundFeed.encode(segment, worker, r, out.losses, out.examples, out.timestamps, first, done));
            }
            if (worker == 0) {
                out.model = ModelState.of(net);
                INDArray momentum = recipe.blockMomentumState();
                out.blockMomentum = momentum == null ? null : momentum.toFloatVector();
            }
            return out;
        }

        /**
         * Replaces the replica's parameters (and Adam's state) with the mean over the ring, read and written in place
         * in the network's own buffers.
         */
        private static void average(MultiLayerNetwork net, AllReduce ring, boolean averageAdam)
                throws InterruptedException {
            if (ring.size() == 1) {
                return;
            }
            FloatBuffer params = floats(net.params());
            if (averageAdam) {
                ring.allReduceMean(params, floats(net.getUpdater().getStateViewArray()));
            } else {
                ring.allReduceMean(params);
            }
        }

        /** The floats of a contiguous array, where they lie. */
        static FloatBuffer floats(INDArray array) {
            if (array.dataType() != DataType.FLOAT || array.ordering() != 'c' || array.elementWiseStride() != 1) {
                throw new IllegalStateException("not a contiguous float array: " + array.shapeInfoToString());
            }
            Nd4j.getExecutioner().commit();
            FloatBuffer all = array.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
            int offset = (int) array.offset();
            return all.position(offset).limit(offset + (int) array.length()).slice();
        }
    }
}
