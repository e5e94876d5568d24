package io.fashionspark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Exchange;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.model.ModelKind;
import io.fashionspark.runtime.SparkContexts;
import io.fashionspark.runtime.TaskSlots;
import io.fashionspark.train.ParameterAveragingTrainer;
import io.fashionspark.train.PeerTimes;
import io.fashionspark.train.TrainingOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
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
 * {@code local[N]}), then per model an untimed warm-up (one run, or as many as its rounds need of the training
 * images) and {@code repeats} timed runs of {@code rounds + 1} rounds each. The first round of a run also fetches the
 * training set's broadcast and cuts the epoch's shards, so it is kept aside, not averaged.
 */
public final class RoundCost {
    /** Test images of the epoch-end evaluation each run ends with (outside the timed rounds; kept small). */
    static final int TEST_IMAGES = 500;
    /** Rounds of the warm-up run in measurements saved before it was a setting. */
    static final int WARM_UP_ROUNDS_BEFORE = 2;

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
     * @param frequencies         every averaging frequency measured ({@code steps}, the driver's cost model's, among
     *                            them); null in measurements saved before there were several: {@code steps} alone
     * @param exchanges           the exchanges measured; null in measurements saved before there were two: the driver
     * @param warmUpRounds        rounds of each point's untimed warm-up run, in which the executors' JIT, oneDNN's
     *                            kernels for each shape and Kryo's registrations warm up; null in measurements saved
     *                            before it was a setting: 2
     */
    public record Settings(List<ModelKind> models, List<Integer> workerCounts, int batchSize, int steps, int rounds,
                           int repeats, String data, long seed, double learningRate, double targetAccuracy,
                           long imagesToAccuracy, String imagesSource, List<Integer> projectedNodes,
                           List<Double> linkGbps, Path output, String command, int sumOnDriverUpTo,
                           List<Integer> frequencies, List<Exchange> exchanges, Integer warmUpRounds) {
        public Settings {
            warmUpRounds = warmUpRounds == null ? WARM_UP_ROUNDS_BEFORE : warmUpRounds;
            frequencies = frequencies == null ? List.of(steps) : List.copyOf(frequencies);
            exchanges = exchanges == null ? List.of(Exchange.DRIVER) : List.copyOf(exchanges);
            if (!frequencies.contains(steps)) {
                throw new IllegalArgumentException("the cost model's frequency " + steps + " is not among "
                        + frequencies);
            }
            models = List.copyOf(models);
            workerCounts = List.copyOf(workerCounts);
            projectedNodes = List.copyOf(projectedNodes);
            linkGbps = List.copyOf(linkGbps);
            if (models.isEmpty() || workerCounts.isEmpty()) {
                throw new ConfigException("give at least one model and one worker count");
            }
            if (workerCounts.stream().anyMatch(n -> n < 1) || batchSize < 1 || steps < 1 || rounds < 1
                    || repeats < 1 || warmUpRounds < 1) {
                throw new ConfigException("worker counts, batch size, steps, rounds, repeats and warm-up rounds must be "
                        + "positive");
            }
        }
    }

    /**
     * One measured point of the driver exchange: a model at a worker count and averaging frequency.
     *
     * @param parameters     the model's parameters (Adam keeps two moments of each)
     * @param broadcastBytes the round's broadcast (parameters, Adam state, configuration) serialised as Spark does
     * @param repeats        each run's mean over its timed rounds
     * @param firstRounds    each run's first round, kept aside
     * @param steps          minibatches per worker per round; null in measurements saved before there were several
     *                       (the settings' {@code steps})
     */
    public record Point(ModelKind model, int workers, long parameters, long broadcastBytes, List<RoundPhases> repeats,
                        List<RoundPhases> firstRounds, Integer steps) {
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
                          List<StepTime> stepTimes, List<PeerPoint> peerPoints) {
        public Results {
            peerPoints = peerPoints == null ? List.of() : List.copyOf(peerPoints);
        }

        /** The driver exchange's points the cost model is fitted on: those at the settings' {@code steps}. */
        public List<Point> modelPoints() {
            return points.stream().filter(p -> p.steps() == null || p.steps() == settings.steps()).toList();
        }
    }

    /**
     * One measured point of the peer exchange: a model at a worker count and averaging frequency, each run one
     * barrier stage of {@code rounds + 1} rounds.
     *
     * @param averagedFloats the floats each all-reduce averages (parameters, and Adam's moments where the recipe
     *                       averages them)
     * @param repeats        each run's mean over its timed rounds
     * @param firstRounds    each run's first round, kept aside
     * @param stageFixedMs   each run's stage outside its rounds: launch, the start's broadcast, meeting, the model
     *                       back to the driver; paid once per segment, not per round
     */
    public record PeerPoint(ModelKind model, int workers, int steps, long parameters, long averagedFloats,
                            List<PeerTimes.Round> repeats, List<PeerTimes.Round> firstRounds,
                            List<Double> stageFixedMs) {
        public PeerTimes.Round mean() {
            return meanOf(repeats);
        }

        /** The slowest run's mean round over the fastest's, less one. */
        public double spread() {
            double min = repeats.stream().mapToDouble(PeerTimes.Round::roundMs).min().orElse(Double.NaN);
            double max = repeats.stream().mapToDouble(PeerTimes.Round::roundMs).max().orElse(Double.NaN);
            return max / min - 1;
        }

        public double stageFixedMeanMs() {
            return stageFixedMs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    static PeerTimes.Round meanOf(List<PeerTimes.Round> rounds) {
        int n = rounds.size();
        return new PeerTimes.Round(rounds.stream().mapToDouble(PeerTimes.Round::roundMs).sum() / n,
                rounds.stream().mapToDouble(PeerTimes.Round::fitMs).sum() / n,
                rounds.stream().mapToDouble(PeerTimes.Round::fitMeanMs).sum() / n,
                rounds.stream().mapToDouble(PeerTimes.Round::exchangeMs).sum() / n,
                rounds.stream().mapToDouble(PeerTimes.Round::exchangeMeanMs).sum() / n,
                rounds.stream().mapToDouble(PeerTimes.Round::sentBytes).sum() / n,
                rounds.stream().anyMatch(r -> r.wireBytes() < 0) ? -1
                        : rounds.stream().mapToDouble(PeerTimes.Round::wireBytes).sum() / n);
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
        requireImages(splits.train().size());
        List<StepTime> stepTimes = stepTimes(splits.train());
        List<Point> points = new ArrayList<>();
        List<PeerPoint> peerPoints = new ArrayList<>();
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
                    for (int steps : settings.frequencies()) {
                        if (settings.exchanges().contains(Exchange.DRIVER)) {
                            points.add(point(sc, m, workers, steps, splits.train(), test));
                        }
                        if (settings.exchanges().contains(Exchange.ALLREDUCE)) {
                            peerPoints.add(peerPoint(sc, m, workers, steps, splits.train(), test));
                        }
                    }
                }
            }
        }
        return new Results(settings, started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT)),
                (System.nanoTime() - t0) / 1e9, master,
                Runtime.getRuntime().availableProcessors(), machine, loadBefore, MachineFacts.loadAverage(),
                List.copyOf(points), stepTimes, List.copyOf(peerPoints));
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
                        settings.warmUpRounds() * settings.steps(), settings.repeats(), settings.seed(),
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

    private Point point(JavaSparkContext sc, ModelKind m, int workers, int steps, LabelledImages all,
                        LabelledImages test) {
        LabelledImages timed = timedImages(all, workers, steps);
        say("%s, %s, every %d, driver exchange: warm-up (%s)", m.displayName(), Formats.workers(workers), steps,
                warmUpText(all, workers, steps));
        warmUp(all, workers, steps, images -> train(sc, m, workers, steps, images, test));
        List<RoundPhases> means = new ArrayList<>();
        List<RoundPhases> firsts = new ArrayList<>();
        TrainingOutcome last = null;
        for (int r = 1; r <= settings.repeats(); r++) {
            Run run = train(sc, m, workers, steps, timed, test);
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
        return new Point(m, workers, last.model().numParams(), bytes, List.copyOf(means), List.copyOf(firsts), steps);
    }

    /**
     * Refuses, before anything is measured, a point whose timed runs need more training images than there are: each
     * is one epoch of its own. A warm-up longer than that runs over the images again ({@link #warmUp}).
     */
    private void requireImages(int available) {
        for (int workers : settings.workerCounts()) {
            for (int steps : settings.frequencies()) {
                int perRound = imagesPerRound(workers, steps);
                if (available < (settings.rounds() + 1) * perRound) {
                    throw new ConfigException(settings.rounds() + 1 + " rounds of " + Formats.workers(workers) + " x "
                            + steps + " minibatches of " + settings.batchSize() + " need "
                            + (settings.rounds() + 1) * perRound + " training images, more than the " + available
                            + " there are; lower --rounds or --steps");
                }
            }
        }
    }

    /** The images one round of {@code workers} workers fitting {@code steps} minibatches each takes. */
    private int imagesPerRound(int workers, int steps) {
        return workers * settings.batchSize() * steps;
    }

    /**
     * The untimed warm-up: {@code warmUpRounds} rounds, in runs of at most an epoch of the training images each. What
     * the JIT compiles depends on how often a path runs, not on which images it sees, so a warm-up longer than the
     * data (hundreds of rounds at 8 workers) goes over them again.
     */
    private void warmUp(LabelledImages all, int workers, int steps, Consumer<LabelledImages> run) {
        int perRound = imagesPerRound(workers, steps);
        warmUpRuns(all, perRound).forEach(rounds -> run.accept(all.head(rounds * perRound)));
    }

    /** The rounds of each warm-up run: as many as an epoch of {@code all} holds, the last one what is left. */
    private List<Integer> warmUpRuns(LabelledImages all, int perRound) {
        int perRun = all.size() / perRound; // at least rounds + 1: requireImages has checked
        List<Integer> runs = new ArrayList<>();
        for (int left = settings.warmUpRounds(); left > 0; left -= perRun) {
            runs.add(Math.min(left, perRun));
        }
        return runs;
    }

    private String warmUpText(LabelledImages all, int workers, int steps) {
        int runs = warmUpRuns(all, imagesPerRound(workers, steps)).size();
        return settings.warmUpRounds() + " rounds" + (runs == 1 ? "" : " in " + runs + " runs");
    }

    /** A run's images: exactly {@code rounds + 1} rounds of every worker's minibatches, one epoch. */
    private LabelledImages timedImages(LabelledImages all, int workers, int steps) {
        return all.head((settings.rounds() + 1) * imagesPerRound(workers, steps));
    }

    /**
     * A point of the peer exchange: an untimed warm-up run, then {@code repeats} runs of {@code rounds + 1} rounds,
     * each run one barrier stage (one epoch, no test evaluation inside it).
     */
    private PeerPoint peerPoint(JavaSparkContext sc, ModelKind m, int workers, int steps, LabelledImages all,
                                LabelledImages test) {
        LabelledImages timed = timedImages(all, workers, steps);
        say("%s, %s, every %d, peer exchange: warm-up (%s)", m.displayName(), Formats.workers(workers), steps,
                warmUpText(all, workers, steps));
        warmUp(all, workers, steps, images -> trainPeers(sc, m, workers, steps, images, test));
        List<PeerTimes.Round> means = new ArrayList<>();
        List<PeerTimes.Round> firsts = new ArrayList<>();
        List<Double> fixed = new ArrayList<>();
        long parameters = 0;
        long floats = 0;
        for (int r = 1; r <= settings.repeats(); r++) {
            PeerRun run = trainPeers(sc, m, workers, steps, timed, test);
            if (run.times().segments().size() != 1) {
                throw new IllegalStateException("a run of the peer exchange took " + run.times().segments().size()
                        + " barrier stages where one was planned: the cluster lost task slots during the measurement");
            }
            PeerTimes.Segment segment = run.times().segments().get(0);
            List<PeerTimes.Round> rounds = segment.rounds();
            firsts.add(rounds.get(0));
            PeerTimes.Round mean = meanOf(rounds.subList(1, rounds.size()));
            means.add(mean);
            fixed.add(segment.fixedMs());
            parameters = run.parameters();
            floats = run.averagedFloats();
            say("  run %d: %d rounds of %.1f ms (fit %.1f, all-reduce %.1f, wait %.1f); stage outside the rounds "
                    + "%.0f ms; %.2f MB sent per worker a round%s", r, settings.rounds(), mean.roundMs(), mean.fitMs(),
                    mean.exchangeMs(), mean.exchangeMeanMs() - mean.exchangeMs(), segment.fixedMs(),
                    mean.sentBytes() / 1e6, mean.wireBytes() < 0 ? ""
                            : String.format(Locale.ROOT, " (%.2f MB on the interfaces)", mean.wireBytes() / 1e6));
        }
        return new PeerPoint(m, workers, steps, parameters, floats, List.copyOf(means), List.copyOf(firsts),
                List.copyOf(fixed));
    }

    private record PeerRun(PeerTimes times, long parameters, long averagedFloats) {
    }

    private PeerRun trainPeers(JavaSparkContext sc, ModelKind m, int workers, int steps, LabelledImages train,
                               LabelledImages test) {
        TrainingConfig cfg = SparkTraining.config(m, settings.data(), workers, settings.batchSize(), steps, 1,
                settings.seed(), settings.learningRate(), 0, Exchange.ALLREDUCE);
        ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(sc, cfg, new MetricsListener() {
        });
        TrainingOutcome outcome = trainer.train(train, test);
        if (trainer.peerTimes() == null) {
            throw new IllegalStateException("the peer exchange did not train the run");
        }
        long parameters = outcome.model().numParams();
        boolean adam = cfg.recipe().adamState() == TrainingRecipe.AdamState.AVERAGED;
        return new PeerRun(trainer.peerTimes(), parameters, adam ? outcome.model().getUpdater().getStateViewArray()
                .length() + parameters : parameters);
    }

    private record Run(TrainingOutcome outcome, List<RoundPhases> rounds) {
    }

    private Run train(JavaSparkContext sc, ModelKind m, int workers, int steps, LabelledImages train,
                      LabelledImages test) {
        TrainingConfig cfg = SparkTraining.config(m, settings.data(), workers, settings.batchSize(),
                steps, 1, settings.seed(), settings.learningRate(), 0);
        RoundTasks tasks = RoundTasks.attach(sc.sc());
        try {
            ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(sc, cfg, new MetricsListener() {
            }).collectTrainingStats();
            TrainingOutcome outcome = trainer.train(train, test);
            int rounds = (int) (outcome.iterations() / steps);
            return new Run(outcome, RoundPhases.of(trainer.trainingStats(), rounds, workers, steps,
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
