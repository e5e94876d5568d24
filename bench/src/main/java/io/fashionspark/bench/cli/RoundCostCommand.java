package io.fashionspark.bench.cli;

import io.fashionspark.bench.RoundCost;
import io.fashionspark.bench.ScalingCostReport;
import io.fashionspark.cli.ExitCodes;
import io.fashionspark.cli.ModelConverter;
import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Exchange;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.model.ModelKind;
import io.fashionspark.rundir.AtomicFiles;
import io.fashionspark.runtime.RuntimeVersions;
import io.fashionspark.train.KnownCountTrainingMaster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code round-cost}: measures the phases and bytes of a parameter-averaging round at several worker counts, fits a
 * cost model on all of them, checks it by predicting each from the others and projects it to larger clusters. Unlike
 * {@code bench}, it is meant for a real cluster: submit it like {@code train}, and each worker count becomes an
 * application of its own on that cluster; run directly, it uses embedded {@code local[N]} masters.
 */
@Command(name = RoundCostCommand.NAME, mixinStandardHelpOptions = true, showDefaultValues = true,
        sortOptions = false,
        description = {"Measures where an averaging round's time goes (broadcast, scheduling, worker compute, result "
                + "transfer, aggregation) and the bytes each worker moves, for each worker count; fits a cost model "
                + "by least squares on every point, predicts each point from the fit on the others, and projects "
                + "images/s and time to accuracy for larger clusters. Writes a markdown report and prints it.",
            "On a standalone cluster: deploy/standalone/submit.sh round-cost --workers 8 (the cluster needs 8 "
                + "task slots; each count gets exactly its own executors). Run directly, each count is an embedded "
                + "local[N] master."})
final class RoundCostCommand implements Callable<Integer> {
    static final String NAME = "round-cost";
    /** Where measurements and their reports go: one report per date. */
    static final String RESULTS = "bench/results/round-cost";
    /** Where the default images-to-accuracy figure was measured. */
    static final String IMAGES_SOURCE = "bench/results/bench/2026-11-22.md: DL4J's FashionCNN full run, Spark 2 "
            + "workers, batch 100, averaging every 5, first tested at 0.90 or above after 180,000 images";

    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", paramLabel = "MODEL[,MODEL...]", converter = ModelConverter.class,
            defaultValue = "cnn,dnn", description = "Models to measure; the projections are FashionCNN's.")
    List<ModelKind> models;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "8",
            description = "The most workers: the task slots the application asks for (submit.sh reads it).")
    int workers;

    @Option(names = "--worker-counts", split = ",", paramLabel = "N[,N...]",
            description = "Worker counts to measure, one application each. Default: 1, 2, 4, ... up to --workers.")
    List<Integer> workerCounts;

    @Option(names = "--batch-size", defaultValue = "100", description = "Minibatch size per worker.")
    int batchSize;

    @Option(names = "--steps", split = ",", paramLabel = "N[,N...]", defaultValue = "1,5",
            description = "Minibatches each worker fits per round (averaging frequencies), each measured; the "
                    + "driver exchange's cost model is fitted at the largest.")
    List<Integer> steps;

    @Option(names = "--exchanges", split = ",", paramLabel = "EXCHANGE[,EXCHANGE...]",
            converter = ExchangeConverter.class, defaultValue = "driver,allreduce",
            description = "Exchanges to measure side by side: driver, allreduce.")
    List<Exchange> exchanges;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "6",
            description = "Timed rounds per run, after a first round that is kept aside.")
    int rounds;

    @Option(names = "--warm-up-rounds", paramLabel = "N", defaultValue = "60",
            description = "Rounds of each point's untimed warm-up, in runs of at most one epoch of the training "
                    + "images. Fresh executors' JIT compiles the ring's and Spark's paths for hundreds of rounds; a "
                    + "short warm-up measures that compiling as round cost.")
    int warmUpRounds;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "Runs per point; each gives one rounds-average, and their spread is reported.")
    int repeats;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = FashionMnistFiles.DEFAULT_DIRECTORY,
            description = "Directory with the four FashionMNIST idx files.")
    String data;

    @Option(names = "--seed", defaultValue = "42", description = "Seeds every run.")
    long seed;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Adam's learning rate.")
    double learningRate;

    @Option(names = "--target-accuracy", paramLabel = "FRACTION", defaultValue = "0.90",
            description = "The FashionCNN test accuracy whose time the projections give.")
    double targetAccuracy;

    @Option(names = "--images-to-accuracy", paramLabel = "N", defaultValue = "180000",
            description = "Training images FashionCNN needs to reach --target-accuracy. The default is measured: "
                    + IMAGES_SOURCE + ".")
    long imagesToAccuracy;

    @Option(names = "--nodes", split = ",", paramLabel = "N[,N...]", defaultValue = "4,16,64",
            description = "Cluster sizes to project to (one one-core worker per node).")
    List<Integer> nodes;

    @Option(names = "--links", split = ",", paramLabel = "GBPS[,GBPS...]", defaultValue = "10,25",
            description = "Link speeds to project to, Gb/s.")
    List<Double> links;

    @Option(names = "--output", paramLabel = "FILE",
            description = "The markdown report, replaced atomically; its numbers go beside it with .json. Default: "
                    + RESULTS + "/<today, UTC>.md for a measurement, and --from's name with .md to write a report "
                    + "again (<date>-link.md for a link check).")
    Path output;

    @Option(names = "--from", paramLabel = "FILE",
            description = "Measure nothing: write the report again from the JSON a measurement saved beside its "
                    + "report (the report's name with .json).")
    Path from;

    @Option(names = "--fit-from", paramLabel = "FILE",
            description = "With --from and --link-gbps: predict --from's points with the model fitted on this "
                    + "measurement (the loopback's JSON), adding the wire time of the link --from was measured over.")
    Path fitFrom;

    @Option(names = "--link-gbps", paramLabel = "GBPS",
            description = "The link (Gb/s) between the driver's host and the executors' during --from's measurement.")
    Double linkGbps;

    @Option(names = "--setup", paramLabel = "TEXT", defaultValue = "",
            description = "With --fit-from: a paragraph saying how the link was made (put in the report).")
    String setup;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path output = this.output != null ? this.output : from != null ? markdownOf(from)
                : Path.of(RESULTS, LocalDate.now(ZoneOffset.UTC) + ".md");
        String markdown;
        if (fitFrom != null) {
            if (from == null || linkGbps == null || !(linkGbps > 0)) {
                throw new ConfigException("--fit-from needs --from (the measurement over the link) and --link-gbps");
            }
            // The loopback's report (its numbers where it has none), linked by its path from this one's folder.
            Path fitted = Files.exists(markdownOf(fitFrom)) ? markdownOf(fitFrom) : fitFrom;
            String fittedReport = output.toAbsolutePath().getParent().relativize(fitted.toAbsolutePath()).toString();
            markdown = ScalingCostReport.linkCheck(RoundCost.read(fitFrom), fittedReport, RoundCost.read(from),
                    linkGbps, setup);
        } else if (from != null) {
            markdown = ScalingCostReport.markdown(RoundCost.read(from));
        } else {
            RuntimeVersions.detect().requireCompatible();
            RoundCost.Results results = new RoundCost(settings(output), out).run();
            AtomicFiles.write(json(output), RoundCost.json(results));
            markdown = ScalingCostReport.markdown(results);
        }
        AtomicFiles.write(output, markdown);
        out.println();
        out.print(markdown);
        out.println("Wrote " + output);
        out.flush();
        return ExitCodes.OK;
    }

    /** The measurement's report: its numbers' file with .md. */
    static Path markdownOf(Path json) {
        return json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
    }

    /** The report's name with .json: where the measurement's own numbers are kept. */
    static Path json(Path report) {
        String name = report.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return report.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    RoundCost.Settings settings(Path output) {
        if (workers < 1) {
            throw new ConfigException("--workers must be at least 1, got " + workers);
        }
        List<Integer> counts = workerCounts;
        if (counts == null || counts.isEmpty()) {
            counts = new ArrayList<>();
            for (int n = 1; n <= workers; n *= 2) {
                counts.add(n);
            }
        }
        if (counts.stream().anyMatch(n -> n > workers)) {
            throw new ConfigException("--worker-counts " + counts + " go beyond --workers " + workers
                    + ", the task slots the application asks for; raise --workers");
        }
        if (nodes.stream().anyMatch(n -> n < 1) || links.stream().anyMatch(g -> !(g > 0))) {
            throw new ConfigException("--nodes and --links must be positive");
        }
        if (!(targetAccuracy > 0 && targetAccuracy < 1) || imagesToAccuracy < 1) {
            throw new ConfigException("--target-accuracy must be between 0 and 1 and --images-to-accuracy positive");
        }
        if (steps.stream().anyMatch(n -> n < 1)) {
            throw new ConfigException("--steps must be positive, got " + steps);
        }
        List<Integer> frequencies = steps.stream().distinct().sorted().toList();
        boolean defaultImages = !spec.commandLine().getParseResult().hasMatchedOption("--images-to-accuracy");
        return new RoundCost.Settings(models.stream().distinct().toList(), counts, batchSize,
                frequencies.get(frequencies.size() - 1), rounds, repeats,
                data, seed, learningRate, targetAccuracy, imagesToAccuracy,
                defaultImages ? IMAGES_SOURCE : "given with --images-to-accuracy", nodes, links, output,
                reproduceCommand(), KnownCountTrainingMaster.SUM_ON_DRIVER_UP_TO, frequencies,
                exchanges.stream().distinct().toList(), warmUpRounds);
    }

    /** The command line as given, after {@code bin/fashion-spark} (or submit.sh), quoted for a POSIX shell. */
    private String reproduceCommand() {
        // Under spark-submit the launcher is the cluster's (deploy/standalone/submit.sh for a standalone master).
        String master = System.getProperty("spark.master", "");
        String launcher = master.isEmpty() ? "bin/fashion-spark" : master.startsWith("spark://")
                ? "deploy/standalone/submit.sh" : "spark-submit --master " + master + " ... fashion-spark.jar";
        List<String> words = new ArrayList<>();
        // The environment submit.sh reads, where set: without it the command does not say which cluster it ran on.
        for (String name : List.of("SPARK_MASTER", "SPARK_LOCAL_IP", "STATE_DIR", "EXECUTOR_MEMORY", "EXECUTOR_CORES",
                "SPARK_CONF")) {
            String value = master.isEmpty() ? null : System.getenv(name);
            if (value != null && !value.isEmpty()) {
                words.add(name + "=" + BenchCommand.shellQuoted(value));
            }
        }
        words.addAll(List.of(launcher, NAME));
        for (String arg : spec.commandLine().getParseResult().expandedArgs()) {
            words.add(BenchCommand.shellQuoted(arg));
        }
        return String.join(" ", words);
    }
}
