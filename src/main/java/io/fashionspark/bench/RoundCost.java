package io.fashionspark.bench;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.model.ModelKind;
import io.fashionspark.runtime.SparkContexts;
import io.fashionspark.runtime.TaskSlots;
import io.fashionspark.train.ParameterAveragingTrainer;
import io.fashionspark.train.TrainingOutcome;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.io.CompressionCodec;
import org.apache.spark.io.CompressionCodec$;
import org.apache.spark.serializer.SerializationStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import scala.reflect.ClassTag$;

/**
 * Measures what an averaging round costs as the workers grow: for each worker count a Spark application of its own
 * (on a cluster, {@code spark.cores.max} = the worker count, so each count gets exactly its executors; embedded,
 * {@code local[N]}), then per model an untimed warm-up run and {@code repeats} timed runs of {@code rounds + 1}
 * rounds each. The first round of a run also fetches the training set's broadcast and cuts the epoch's shards, so
 * it is kept aside, not averaged.
 */
public final class RoundCost {
    /** Test images of the epoch-end evaluation each run ends with (outside the timed rounds; kept small). */
    static final int TEST_IMAGES = 500;
    /** Rounds of the warm-up run: the JIT, oneDNN's kernels for each shape and Kryo's registrations warm up. */
    static final int WARM_UP_ROUNDS = 2;

    /**
     * What to measure.
     *
     * @param workerCounts workers of each point, one Spark application each
     * @param steps        minibatches per worker per round (the averaging frequency)
     * @param rounds       timed rounds per run (after the first, kept aside)
     * @param repeats      runs per point, each giving one rounds-average
     * @param imagesToAccuracy    training images FashionCNN needs to reach the target accuracy (projections)
     * @param imagesSource        where that number comes from
     * @param projectedNodes      cluster sizes to project to, one one-core worker per node
     * @param linkGbps            link speeds to project to, gigabits per second
     * @param sumOnDriverUpTo     the most workers whose results the driver summed itself, beyond which they went
     *                            through Spark's {@code treeAggregate}; 0 in measurements saved before the driver
     *                            summed any (dl4j-spark's stock master: the tree at every count)
     */
    public record Settings(List<ModelKind> models, List<Integer> workerCounts, int batchSize, int steps, int rounds,
                           int repeats, String data, long seed, double learningRate, double targetAccuracy,
                           long imagesToAccuracy, String imagesSource, List<Integer> projectedNodes,
                           List<Double> linkGbps, Path output, String command, int sumOnDriverUpTo) {
        public Settings {
            models = List.copyOf(models);
            workerCounts = List.copyOf(workerCounts);
            projectedNodes = List.copyOf(projectedNodes);
            linkGbps = List.copyOf(linkGbps);
            if (models.isEmpty() || workerCounts.isEmpty()) {
                throw new ConfigException("give at least one model and one worker count");
            }
            if (workerCounts.stream().anyMatch(n -> n < 1) || batchSize < 1 || steps < 1 || rounds < 1
                    || repeats < 1) {
                throw new ConfigException("worker counts, batch size, steps, rounds and repeats must be positive");
            }
        }
    }

    /**
     * One measured point: a model at a worker count.
     *
     * @param parameters     the model's parameters (Adam keeps two moments of each)
     * @param broadcastBytes the round's broadcast (parameters, Adam state, configuration) serialised as Spark does
     * @param repeats        each run's mean over its timed rounds
     * @param firstRounds    each run's first round, kept aside
     */
    public record Point(ModelKind model, int workers, long parameters, long broadcastBytes, List<RoundPhases> repeats,
                        List<RoundPhases> firstRounds) {
        /** The mean over the runs' means. */
        public RoundPhases mean() {
            return RoundPhases.mean(repeats);
        }

        /** The slowest run's mean round over the fastest's, less one: how far the rounds-averages spread. */
        public double spread() {
            double min = repeats.stream().mapToDouble(RoundPhases::wallMs).min().orElse(Double.NaN);
            double max = repeats.stream().mapToDouble(RoundPhases::wallMs).max().orElse(Double.NaN);
            return max / min - 1;
        }
    }

    /**
     * All of a measurement.
     *
     * @param stepTimes each model's time per minibatch on one executor alone, apart from the rounds; null in a
     *                  measurement made before they were taken (the cost model then fits t_step on the rounds)
     */
    public record Results(Settings settings, String started, double seconds, String master, int cores,
                          Map<String, String> machine, String loadBefore, String loadAfter, List<Point> points,
                          List<StepTime> stepTimes) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The measurement as JSON: the report can be written again from it without measuring again. */
    public static String json(Results results) {
        try {
            return JSON.writeValueAsString(results);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the round-cost results as JSON: " + e.getMessage(), e);
        }
    }

    /** Reads what {@link #json} wrote. */
    public static Results read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Results.class);
    }

    private final Settings settings;
    private final PrintWriter log;

    public RoundCost(Settings settings, PrintWriter log) {
        this.settings = settings;
        this.log = log;
    }

    public Results run() {
        ZonedDateTime started = ZonedDateTime.now();
        long t0 = System.nanoTime();
        String loadBefore = MachineFacts.loadAverage();
        Map<String, String> machine = new LinkedHashMap<>(MachineFacts.collect());
        FashionMnistFiles.Splits splits = FashionMnistFiles.load(settings.data(), new Configuration());
        LabelledImages test = splits.test().head(Math.min(TEST_IMAGES, splits.test().size()));
        List<StepTime> stepTimes = stepTimes(splits.train());
        List<Point> points = new ArrayList<>();
        String master = null;
        for (int workers : settings.workerCounts()) {
            try (JavaSparkContext sc = application("fashion-spark round cost, " + Formats.workers(workers),
                    workers)) {
                master = sc.master();
                machine.put("Spark", sc.version() + ", master " + sc.master());
                SparkConf conf = sc.getConf();
                machine.put("Executors", conf.get("spark.executor.cores", "1") + " core, "
                        + conf.get("spark.executor.memory", "1g") + " heap each; authentication "
                        + conf.get("spark.authenticate", "false") + ", RPC encryption "
                        + conf.get("spark.network.crypto.enabled", "false") + ", broadcast compression "
                        + conf.get("spark.broadcast.compress", "true"));
                for (ModelKind m : settings.models()) {
                    points.add(point(sc, m, workers, splits.train(), test));
                }
            }
        }
        return new Results(settings, started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT)),
                (System.nanoTime() - t0) / 1e9, master,
                Runtime.getRuntime().availableProcessors(), machine, loadBefore, MachineFacts.loadAverage(),
                List.copyOf(points), stepTimes);
    }

    /**
     * Each model's time per minibatch on a core of its own, in an application of one executor: the cost model's
     * t_step, measured apart from the rounds it is checked against.
     */
    private List<StepTime> stepTimes(LabelledImages train) {
        List<StepTime> out = new ArrayList<>();
        try (JavaSparkContext sc = application("fashion-spark round cost, step time", 1)) {
            for (ModelKind m : settings.models()) {
                StepTime t = StepTime.measure(sc, m, train, settings.batchSize(), settings.steps() * settings.rounds(),
                        WARM_UP_ROUNDS * settings.steps(), settings.repeats(), settings.seed(),
                        settings.learningRate());
                say("%s: %.1f ms a minibatch of %d on one executor alone (runs of %d: %s)", m.displayName(),
                        t.meanMs(), t.batchSize(), t.steps(), t.runsMs().stream()
                                .map(ms -> String.format(Locale.ROOT, "%.1f", ms)).toList());
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    /**
     * A Spark application of its own with {@code executors} one-core executors, started and waited for: on a
     * cluster it asks for exactly that many cores, so each measurement runs on its own executors; the wait covers
     * executors that start slowly when many share few cores.
     */
    private static JavaSparkContext application(String name, int executors) {
        Map<String, String> own = Map.of("spark.cores.max", Integer.toString(executors),
                "spark.scheduler.maxRegisteredResourcesWaitingTime", "180s",
                EXECUTOR_JAVA_OPTIONS, executorJavaOptions());
        JavaSparkContext sc = SparkContexts.create(name, executors, own);
        try {
            TaskSlots.awaitCluster(sc, executors);
            return sc;
        } catch (RuntimeException e) {
            sc.close();
            throw e;
        }
    }

    static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";
    /** dl4j-spark's clock for its training stats; read where the stats are taken, on every executor too. */
    static final String TIME_SOURCE = "org.deeplearning4j.spark.time.TimeSource";

    /**
     * The submitter's executor options plus the system clock for dl4j-spark's stats: its default clock queries an
     * NTP server from every executor (and fails the task where none answers, as on a closed cluster). The trainer
     * sets the clock for the driver's JVM only, which is all the embedded master has.
     */
    static String executorJavaOptions() {
        String given = new SparkConf(true).get(EXECUTOR_JAVA_OPTIONS, "");
        return given.contains(TIME_SOURCE) ? given
                : (given + " -D" + TIME_SOURCE + "=org.deeplearning4j.spark.time.SystemClockTimeSource").trim();
    }

    private Point point(JavaSparkContext sc, ModelKind m, int workers, LabelledImages all, LabelledImages test) {
        int perRound = workers * settings.batchSize() * settings.steps();
        LabelledImages warm = all.head(Math.min(all.size(), WARM_UP_ROUNDS * perRound));
        LabelledImages timed = all.head((settings.rounds() + 1) * perRound);
        if (timed.size() < (settings.rounds() + 1) * perRound) {
            throw new ConfigException(settings.rounds() + 1 + " rounds of " + Formats.workers(workers) + " x "
                    + settings.steps() + " minibatches of " + settings.batchSize() + " need "
                    + (settings.rounds() + 1) * perRound + " training images, more than the " + all.size()
                    + " there are; lower --rounds or --steps");
        }
        say("%s, %s: warm-up (%d rounds)", m.displayName(), Formats.workers(workers), WARM_UP_ROUNDS);
        train(sc, m, workers, warm, test);
        List<RoundPhases> means = new ArrayList<>();
        List<RoundPhases> firsts = new ArrayList<>();
        TrainingOutcome last = null;
        for (int r = 1; r <= settings.repeats(); r++) {
            Run run = train(sc, m, workers, timed, test);
            last = run.outcome();
            firsts.add(run.rounds().get(0));
            RoundPhases mean = RoundPhases.mean(run.rounds().subList(1, run.rounds().size()));
            means.add(mean);
            say("  run %d: %d rounds of %.0f ms (compute %.0f, broadcast %.0f + fetch %.0f, launch %.0f, results "
                    + "%.0f, other %.0f); %.1f MB back per worker", r, settings.rounds(), mean.wallMs(),
                    mean.computeMs(), mean.broadcastMs(), mean.fetchMs(), mean.launchMs(), mean.resultsMs(),
                    mean.otherMs(), mean.resultBytes() / 1e6);
        }
        long bytes = broadcastBytes(sc.getConf(), last.model());
        say("  broadcast %.2f MB per round", bytes / 1e6);
        return new Point(m, workers, last.model().numParams(), bytes, List.copyOf(means), List.copyOf(firsts));
    }

    private record Run(TrainingOutcome outcome, List<RoundPhases> rounds) {
    }

    private Run train(JavaSparkContext sc, ModelKind m, int workers, LabelledImages train, LabelledImages test) {
        TrainingConfig cfg = SparkTraining.config(m, settings.data(), workers, settings.batchSize(),
                settings.steps(), 1, settings.seed(), settings.learningRate(), 0);
        RoundTasks tasks = RoundTasks.attach(sc.sc());
        try {
            ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(sc, cfg, new MetricsListener() {
            }).collectTrainingStats();
            TrainingOutcome outcome = trainer.train(train, test);
            int rounds = (int) (outcome.iterations() / settings.steps());
            return new Run(outcome, RoundPhases.of(trainer.trainingStats(), rounds, workers, settings.steps(),
                    tasks.jobsInOrder(sc.sc())));
        } finally {
            tasks.detach(sc.sc());
        }
    }

    /**
     * The bytes of one round's broadcast as Spark's torrent broadcast makes them: dl4j-spark's tuple of the
     * configuration, parameters and Adam state, through the application's serializer and, where
     * {@code spark.broadcast.compress} is on (Spark's default; the embedded master turns it off), its codec.
     */
    static long broadcastBytes(SparkConf conf, MultiLayerNetwork net) {
        NetBroadcastTuple tuple = new NetBroadcastTuple(net.getLayerWiseConfigurations(), net.params(),
                net.getUpdater().getStateViewArray());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            OutputStream out = bytes;
            if (conf.getBoolean("spark.broadcast.compress", true)) {
                CompressionCodec codec = CompressionCodec$.MODULE$.createCodec(conf);
                out = codec.compressedOutputStream(bytes);
            }
            SerializationStream s = SparkEnv.get().serializer().newInstance().serializeStream(out);
            s.writeObject(tuple, ClassTag$.MODULE$.apply(NetBroadcastTuple.class));
            s.close();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serialise the round's broadcast to measure it: " + e, e);
        }
        return bytes.size();
    }

    private void say(String format, Object... args) {
        log.println("round-cost: " + String.format(Locale.ROOT, format, args));
        log.flush();
    }
}
