package io.fashionspark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.fashionspark.config.Exchange;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.model.ModelKind;
import io.fashionspark.runtime.NativeThreads;
import io.fashionspark.runtime.SparkContexts;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs the scenarios of one benchmark in a fixed order, on one machine and one data set: the matrix-multiply peak;
 * each model in one JVM without Spark; each model on an embedded Spark with every worker count and averaging
 * frequency; the PyTorch reference; then the full runs (every epoch of {@code --full-run-epochs}, DL4J on Spark and
 * PyTorch, tested on the way). Each model trains on the same images in every scenario, so accuracies compare.
 */
public final class Benchmark {
    /** Untimed minibatches before a model's first timed run in this JVM. */
    static final int WARM_UP_STEPS = 5;

    private final BenchSettings settings;
    private final PrintWriter log;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final List<ScenarioResult> scenarios = new ArrayList<>();
    private final List<FullRun> fullRuns = new ArrayList<>();
    private final List<String> baselineRuns = new ArrayList<>();

    public Benchmark(BenchSettings settings, PrintWriter log) {
        this.settings = settings;
        this.log = log;
    }

    public BenchResults run() throws IOException {
        ZonedDateTime started = ZonedDateTime.now();
        long t0 = System.nanoTime();
        String loadBefore = MachineFacts.loadAverage();
        Map<String, String> machine = MachineFacts.collect();
        say("machine: %s, %d cores; load average %s", machine.get("CPU"), cores, loadBefore);

        FashionMnistFiles.Splits splits = FashionMnistFiles.load(settings.data(), new Configuration());
        LabelledImages trainSet = splits.train();
        LabelledImages test = settings.testLimit() > 0 ? splits.test().head(settings.testLimit()) : splits.test();

        say("matrix-multiply peak: %d x %d float, %d repetitions", settings.peakSize(), settings.peakSize(),
                settings.peakRepetitions());
        // The peak and the single JVM use all cores; each Spark context shares them out among its workers.
        NativeThreads.useBlasThreads(cores);
        MatmulPeak peak = MatmulPeak.measure(settings.peakSize(), settings.peakRepetitions());
        say("  %.1f GFLOP/s (median %.1f)", peak.gflops(), peak.medianGflops());

        Map<ModelKind, FlopCounter.Count> flops = new LinkedHashMap<>();
        for (ModelKind m : settings.models()) {
            flops.put(m, FlopCounter.count(m));
        }

        singleJvm(trainSet, test, false);
        spark(trainSet, test);
        singleJvm(trainSet, test, true);
        BenchResults.PyTorchInfo pytorchInfo = null;
        PyTorchReference.Environment env = null;
        String pytorchNote;
        if (!settings.pytorch()) {
            pytorchNote = "PyTorch reference skipped (--pytorch skip)";
        } else {
            env = PyTorchReference.find(settings.python(), cores);
            if (env == null) {
                pytorchNote = PyTorchReference.SKIPPED_NOT_INSTALLED;
                say("%s", pytorchNote);
            } else {
                pytorchInfo = new BenchResults.PyTorchInfo(env.python(), env.torchVersion(), env.blas(),
                        env.openBlas(), env.matmulGflops(), cores);
                pytorchNote = env.openBlas() ? null : "torch is not using OpenBLAS (" + env.blas()
                        + "): Debian's torch then falls back to the reference BLAS and is no fair peer; "
                        + "apt-get install libopenblas0-pthread";
                say("PyTorch %s via %s, BLAS: %s; its matmul peak %.1f GFLOP/s", env.torchVersion(), env.python(),
                        env.blas(), env.matmulGflops());
                pytorch(env, trainSet.size());
            }
        }
        if (env != null) {
            pytorchFullRuns(env);
        }
        return new BenchResults(settings, started, (System.nanoTime() - t0) / 1e9, trainSet.size(), test.size(),
                machine, loadBefore,
                MachineFacts.loadAverage(), peak, flops, List.copyOf(scenarios), List.copyOf(fullRuns),
                pytorchInfo, pytorchNote, List.copyOf(baselineRuns));
    }

    /**
     * The single-JVM scenarios. Run twice, before and after the Spark scenarios: other work on a shared machine
     * comes and goes within a run, and a baseline measured in a busy spell alone would flatter Spark. The faster of
     * the two counts (the harder baseline); both are listed in the report.
     */
    private void singleJvm(LabelledImages trainSet, LabelledImages test, boolean again) {
        NativeThreads.useBlasThreads(cores);
        for (ModelKind m : settings.models()) {
            BenchSettings.Plan plan = settings.plan(m, trainSet.size());
            LabelledImages train = trainSet.head(plan.subset());
            for (int batch : settings.singleBatchSizes()) {
                // Per minibatch size: oneDNN builds its kernels for each shape it meets.
                SingleJvmTraining.onTrainingThread(() -> {
                    SingleJvmTraining.warmUp(m, train, batch, WARM_UP_STEPS);
                    return null;
                });
                String what = m.displayName() + ", single JVM, batch " + batch + (again ? ", again" : "");
                say("%s: %d images", what, plan.images(batch));
                MemoryProbe probe = MemoryProbe.start();
                SingleJvmTraining.Outcome o = SingleJvmTraining.onTrainingThread(() -> SingleJvmTraining.run(m, train,
                        test, batch, plan.epochs(), settings.seed(), settings.learningRate()));
                MemoryProbe.Peaks mem = probe.stop();
                ScenarioResult r = new ScenarioResult(m, ScenarioResult.Engine.SINGLE_JVM, 1, 0, batch,
                        nd4jThreads(), o.images(), o.trainSeconds(), o.accuracy(), o.loss(), mem, mem.rssBytes(),
                        null);
                if (!again) {
                    add(r);
                    continue;
                }
                say("  %.1f images/s over %.1f s", r.imagesPerSecond(), r.trainSeconds());
                for (int i = 0; i < scenarios.size(); i++) {
                    ScenarioResult first = scenarios.get(i);
                    if (first.engine() == ScenarioResult.Engine.SINGLE_JVM && first.model() == m
                            && first.batchSize() == batch) {
                        baselineRuns.add(String.format(Locale.ROOT, "%s, single JVM, batch %d: %,.0f images/s "
                                + "before the Spark scenarios, %,.0f after", m.displayName(), batch,
                                first.imagesPerSecond(), r.imagesPerSecond()));
                        if (r.imagesPerSecond() > first.imagesPerSecond()) {
                            scenarios.set(i, r);
                        }
                    }
                }
            }
        }
    }

    private void spark(LabelledImages trainSet, LabelledImages test) {
        for (int workers : settings.workers()) {
            try (JavaSparkContext sc = SparkContexts.create("fashion-spark bench, " + workers + " workers",
                    workers)) {
                warmUpSpark(sc, trainSet, test, workers);
                for (ModelKind m : settings.models()) {
                    BenchSettings.Plan plan = settings.plan(m, trainSet.size());
                    LabelledImages train = trainSet.head(plan.subset());
                    for (int freq : settings.frequencies()) {
                        for (Exchange exchange : Exchange.values()) {
                            sparkScenario(sc, m, workers, freq, exchange, plan, train, test);
                        }
                    }
                }
                if (workers == settings.fullWorkers()) {
                    dl4jFullRuns(sc, trainSet, test);
                }
            }
        }
        if (!settings.workers().contains(settings.fullWorkers()) && !settings.fullRunModels().isEmpty()) {
            try (JavaSparkContext sc = SparkContexts.create("fashion-spark bench, full runs",
                    settings.fullWorkers())) {
                warmUpSpark(sc, trainSet, test, settings.fullWorkers());
                dl4jFullRuns(sc, trainSet, test);
            }
        }
    }

    /** One model on Spark at one worker count, averaging period and exchange. */
    private void sparkScenario(JavaSparkContext sc, ModelKind m, int workers, int freq, Exchange exchange,
                               BenchSettings.Plan plan, LabelledImages train, LabelledImages test) {
        say("%s, Spark %s, averaging every %d (%s): %d images", m.displayName(), Formats.workers(workers), freq,
                exchange.cliName(), plan.images(workers * settings.batchSize()));
        TrainingConfig cfg = SparkTraining.config(m, settings.data(), workers, settings.batchSize(), freq,
                plan.epochs(), settings.seed(), settings.learningRate(), 0, exchange);
        MemoryProbe probe = MemoryProbe.start();
        SparkTraining.Outcome o = SparkTraining.run(sc, cfg, train, test);
        MemoryProbe.Peaks mem = probe.stop();
        add(new ScenarioResult(m, SparkTraining.engine(exchange), workers, freq, settings.batchSize(), nd4jThreads(),
                o.training().imagesTrained(), o.training().trainSeconds(), o.training().finalEvaluation().accuracy(),
                o.training().finalEvaluation().loss(), mem, mem.rssBytes(), o.breakdown()));
        RoundBreakdown b = o.breakdown();
        if (b != null) {
            say("  %d rounds of %.0f ms: compute %.0f, broadcast %.0f, aggregation %.0f, count %.0f, rest %.0f",
                    b.rounds(), b.wallMs(), b.computeMs(), b.broadcastMs(), b.aggregationMs(), b.countMs(),
                    b.restMs());
        }
    }

    /** Two untimed rounds: Spark's job path, the broadcast and the Kryo registrations warm up. */
    private void warmUpSpark(JavaSparkContext sc, LabelledImages trainSet, LabelledImages test, int workers) {
        ModelKind m = settings.models().get(0);
        int images = workers * settings.batchSize() * 2;
        if (trainSet.size() < images) {
            return;
        }
        TrainingConfig cfg = SparkTraining.config(m, settings.data(), workers, settings.batchSize(), 1, 1,
                settings.seed(), settings.learningRate(), 0);
        SparkTraining.run(sc, cfg, trainSet.head(images), test.head(Math.min(test.size(), 500)));
    }

    private void pytorch(PyTorchReference.Environment env, int trainSetSize) throws IOException {
        for (ModelKind m : settings.models()) {
            if (!PyTorchReference.supports(m)) {
                say("PyTorch reference has no %s; skipped", m.displayName());
                continue;
            }
            BenchSettings.Plan plan = settings.plan(m, trainSetSize);
            say("%s, PyTorch reference, %d threads: %d images", m.displayName(), cores,
                    plan.images(settings.batchSize()));
            JsonNode r = PyTorchReference.train(env, m, settings.data(), plan.subset(), settings.testLimit(),
                    plan.epochs(), settings.batchSize(), settings.learningRate(), settings.seed(), cores, 0,
                    PYTORCH_TIMEOUT_S, log);
            if (r == null) {
                continue;
            }
            add(new ScenarioResult(m, ScenarioResult.Engine.PYTORCH, 1, 0, settings.batchSize(),
                    r.path("threads").asInt(cores), r.path("images").asLong(), r.path("train_seconds").asDouble(),
                    r.path("accuracy").asDouble(), r.path("loss").asDouble(), null,
                    r.path("peak_rss_bytes").asLong(-1), null));
        }
    }

    /** A PyTorch run may take this long (the slowest, the CNN's full run, about a quarter of it). */
    static final long PYTORCH_TIMEOUT_S = 4 * 3600;

    /**
     * DL4J's full runs: every epoch, from scratch, on the whole training set, tested every
     * {@link #fullEvalImages()} images (at the end of the averaging round that passes that point).
     */
    private void dl4jFullRuns(JavaSparkContext sc, LabelledImages train, LabelledImages test) {
        int workers = settings.fullWorkers();
        int freq = settings.fullFrequency();
        int step = workers * settings.batchSize();
        int evalEvery = (int) (fullEvalImages() / step);
        String setup = "Spark " + Formats.workers(workers) + ", batch " + settings.batchSize() + ", avg every "
                + freq;
        for (ModelKind m : settings.fullRunModels()) {
            for (Exchange exchange : Exchange.values()) {
                say("%s, full run, DL4J (%s, %s): %s", m.displayName(), setup, exchange.cliName(),
                        Formats.epochs(settings.fullEpochs()));
                TrainingConfig cfg = SparkTraining.config(m, settings.data(), workers, settings.batchSize(), freq,
                        settings.fullEpochs(), settings.seed(), settings.learningRate(), evalEvery, exchange);
                SparkTraining.Outcome o = SparkTraining.run(sc, cfg, train, test);
                addFullRun(new FullRun(m, SparkTraining.engine(exchange), setup, settings.fullEpochs(),
                        o.training().imagesTrained(), o.training().trainSeconds(),
                        o.training().trainSeconds() + o.training().evalSeconds(),
                        o.training().finalEvaluation().accuracy(), (long) evalEvery * step, o.evaluations()));
            }
        }
    }

    private void pytorchFullRuns(PyTorchReference.Environment env) throws IOException {
        long evalEvery = fullEvalImages();
        String setup = "batch " + settings.batchSize() + ", " + cores + " threads";
        for (ModelKind m : settings.fullRunModels()) {
            say("%s, full run, PyTorch (%s): %s", m.displayName(), setup, Formats.epochs(settings.fullEpochs()));
            JsonNode r = PyTorchReference.train(env, m, settings.data(), 0, settings.testLimit(),
                    settings.fullEpochs(), settings.batchSize(), settings.learningRate(), settings.seed(), cores,
                    evalEvery, PYTORCH_TIMEOUT_S, log);
            if (r == null) {
                continue;
            }
            List<FullRun.Checkpoint> checkpoints = new ArrayList<>();
            r.path("evaluations").forEach(e -> checkpoints.add(new FullRun.Checkpoint(e.path("images").asLong(),
                    e.path("train_seconds").asDouble(), e.path("accuracy").asDouble())));
            double train = r.path("train_seconds").asDouble();
            addFullRun(new FullRun(m, ScenarioResult.Engine.PYTORCH, setup, settings.fullEpochs(),
                    r.path("images").asLong(), train, train + r.path("eval_seconds").asDouble(),
                    r.path("accuracy").asDouble(), evalEvery, checkpoints));
        }
    }

    private void addFullRun(FullRun run) {
        fullRuns.add(run);
        say("  %.1f images/s over %.1f s of training, test accuracy %.2f%% after %s", run.imagesPerSecond(),
                run.trainSeconds(), 100 * run.accuracy(), Formats.epochs(run.epochs()));
        if (run.model() == ModelKind.CNN && settings.ttaTarget() > 0) {
            run.firstReaching(settings.ttaTarget()).ifPresentOrElse(
                    c -> say("  %.1f%% first reached after %.1f s of training (%d images)",
                            100 * settings.ttaTarget(), c.trainSeconds(), c.images()),
                    () -> say("  %.1f%% not reached (best %.2f%%)", 100 * settings.ttaTarget(),
                            100 * run.bestAccuracy()));
        }
    }

    /** Images between two tests of a full run: the asked number, rounded to whole DL4J steps. */
    private long fullEvalImages() {
        long step = (long) settings.fullWorkers() * settings.batchSize();
        return Math.max(1, settings.fullEvalImages() / step) * step;
    }

    private void add(ScenarioResult r) {
        scenarios.add(r);
        say("  %.1f images/s over %.1f s, test accuracy %.2f%%", r.imagesPerSecond(), r.trainSeconds(),
                100 * r.accuracy());
    }

    /** BLAS threads per worker (set per scenario: all cores for one JVM, shared out among Spark's workers). */
    private static int nd4jThreads() {
        return NativeThreads.blasThreads();
    }

    private void say(String format, Object... args) {
        log.println("bench: " + String.format(format, args));
        log.flush();
    }
}
