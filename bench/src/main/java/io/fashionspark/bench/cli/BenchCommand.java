package io.fashionspark.bench.cli;

import io.fashionspark.bench.BenchReport;
import io.fashionspark.bench.BenchResults;
import io.fashionspark.bench.BenchSettings;
import io.fashionspark.bench.Benchmark;
import io.fashionspark.bench.MatmulPeak;
import io.fashionspark.bench.PredictBenchmark;
import io.fashionspark.cli.ExitCodes;
import io.fashionspark.cli.ModelConverter;
import io.fashionspark.config.ConfigException;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.model.ModelKind;
import io.fashionspark.rundir.AtomicFiles;
import io.fashionspark.runtime.RuntimeVersions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: measures single-JVM DL4J, Spark parameter averaging and the PyTorch reference in one run on this
 * machine and writes the ratios to a markdown report. Its defaults are its own: conf/fashion-spark.properties
 * configures {@code train}.
 */
@Command(name = BenchCommand.NAME, mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Benchmarks DL4J in one JVM, DL4J on an embedded Spark (workers x averaging frequencies) and "
                + "the reference PyTorch code on this machine, on the same images, and writes the ratios to a "
                + "markdown report (and prints it).",
            "With the defaults it takes about 15-20 minutes on 2 cores. Run it on a quiet machine: ratios measured "
                + "in one run are the claims, absolute times are not."})
final class BenchCommand implements Callable<Integer> {
    static final String NAME = "bench";
    /** Where the reports go: one per date. */
    static final String RESULTS = "bench/results/bench";
    private static final Pattern SAFE_ARG = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", paramLabel = "MODEL[,MODEL...]", converter = ModelConverter.class,
            defaultValue = "dnn,cnn", description = "Models to benchmark (the PyTorch reference has dnn and cnn).")
    List<ModelKind> models;

    @Option(names = "--images", paramLabel = "N",
            description = "Training images per scenario, the same for every scenario of a model so that accuracies "
                    + "compare: up to the training set's size the first N images once, more in whole epochs. "
                    + "Default: one epoch (60000) for dnn and lenet, half of one (30000) for cnn.")
    Integer images;

    @Option(names = "--workers", split = ",", paramLabel = "N[,N...]", defaultValue = "1,2",
            description = "Spark worker counts (embedded local[N] master).")
    List<Integer> workers;

    @Option(names = "--frequencies", split = ",", paramLabel = "N[,N...]", defaultValue = "1,5,20",
            description = "Averaging frequencies: minibatches each worker fits between two averagings.")
    List<Integer> frequencies;

    @Option(names = "--batch-size", defaultValue = "100",
            description = "Minibatch size (per worker on Spark; the reference's is 100).")
    int batchSize;

    @Option(names = "--single-jvm-batch-sizes", split = ",", paramLabel = "N[,N...]",
            description = "Minibatch sizes of the single-JVM runs; the fastest is the baseline. Default: the batch "
                    + "size, and the batch size times the most workers (the images one Spark step fits).")
    List<Integer> singleBatchSizes;

    @Option(names = "--pytorch", paramLabel = "auto|skip", defaultValue = "auto",
            description = "auto: run bench/pytorch_reference.py where python3-torch is installed (else a message "
                    + "and 'skipped' cells); skip: do not.")
    String pytorch;

    @Option(names = "--python", paramLabel = "PATH|auto", defaultValue = "auto",
            description = "Python for the reference; auto: python3 on the PATH, then /usr/bin/python3 (Debian's "
                    + "python3-torch lives in the system Python).")
    String python;

    @Option(names = "--full-run-epochs", paramLabel = "N", defaultValue = "5",
            description = "Full runs: DL4J on Spark (--full-run-workers, --full-run-averaging-frequency) and PyTorch "
                    + "train the DNN and the CNN from scratch for N epochs on the whole training set, tested on the "
                    + "way; the report compares their images/s and their accuracy at the end. 0: skip.")
    int fullEpochs;

    @Option(names = "--time-to-accuracy", paramLabel = "FRACTION", defaultValue = "0.90",
            description = "The FashionCNN test accuracy whose time to first reach it the full runs report; 0: none.")
    double timeToAccuracy;

    @Option(names = "--full-run-eval-images", paramLabel = "N", defaultValue = "10000",
            description = "Trained images between two tests of a full run (the reference tests every 5000).")
    long fullEvalImages;

    @Option(names = "--full-run-workers", paramLabel = "N", defaultValue = "2",
            description = "Spark workers of DL4J's full runs (train's default).")
    int fullWorkers;

    @Option(names = "--full-run-averaging-frequency", paramLabel = "N", defaultValue = "5",
            description = "Averaging frequency of DL4J's full runs (train's default).")
    int fullFrequency;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = FashionMnistFiles.DEFAULT_DIRECTORY,
            description = "Directory with the four FashionMNIST idx files.")
    String data;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0",
            description = "Test on the first N images only (0: all).")
    int testLimit;

    @Option(names = "--seed", defaultValue = "42", description = "Seeds every run.")
    long seed;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Adam's learning rate.")
    double learningRate;

    @Option(names = "--peak-size", paramLabel = "N", defaultValue = "" + MatmulPeak.DEFAULT_SIZE,
            description = "n of the n x n float matrix multiply that measures the machine's peak.")
    int peakSize;

    @Option(names = "--peak-repetitions", defaultValue = "" + MatmulPeak.DEFAULT_REPETITIONS,
            description = "Timed multiplies (after a warm-up); the fastest is the peak.")
    int peakRepetitions;

    @Option(names = "--output", paramLabel = "FILE",
            description = "The markdown report, replaced atomically; its numbers go beside it with .json. Default: "
                    + RESULTS + "/<today, UTC>.md (<today>-predict.md with --predict-pictures), and --from's name "
                    + "with .md to write a report again.")
    Path output;

    @Option(names = "--from", paramLabel = "FILE",
            description = "Measure nothing: write the report again from the JSON a run saved beside its report (the "
                    + "report's name with .json).")
    Path from;

    @Option(names = "--predict-pictures", split = ",", paramLabel = "N[,N...]",
            description = "Instead of training: distributed predict over catalogues of N pictures (bin/make-pictures'"
                    + "s, made in a temporary directory) against the model's bare forward-pass rate, with each run's "
                    + "peak resident memory, into its own report (see --output). "
                    + "E.g. 10000,100000 (about 10 minutes on 2 cores).")
    List<Integer> predictPictures;

    @Option(names = "--predict-model", converter = ModelConverter.class, defaultValue = "cnn",
            description = "The model of --predict-pictures.")
    ModelKind predictModel;

    @Option(names = "--repeats", defaultValue = "2", description = "Repeats of each --predict-pictures run.")
    int repeats;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (from != null) {
            return publish(out, output != null ? output : RoundCostCommand.markdownOf(from),
                    PredictBenchmark.Results.in(from) ? PredictBenchmark.markdown(PredictBenchmark.Results.read(from))
                            : BenchReport.markdown(BenchResults.read(from)));
        }
        if (System.getProperty("spark.master") != null) {
            throw new ConfigException("bench measures one machine with an embedded Spark master; run it with "
                    + "bin/fashion-spark (java -jar), not spark-submit");
        }
        RuntimeVersions.detect().requireCompatible();
        String mode = pytorch.trim().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("skip")) {
            throw new ConfigException("--pytorch must be auto or skip, got '" + pytorch + "'");
        }
        if (predictPictures != null && !predictPictures.isEmpty()) {
            return predictBench(out);
        }
        if (output == null) {
            output = Path.of(RESULTS, LocalDate.now(ZoneOffset.UTC) + ".md");
        }
        BenchSettings settings = settings(mode.equals("auto"));
        BenchResults results = new Benchmark(settings, out).run();
        AtomicFiles.write(RoundCostCommand.json(output), results.json());
        return publish(out, output, BenchReport.markdown(results));
    }

    private int predictBench(PrintWriter out) throws IOException {
        if (predictPictures.stream().anyMatch(n -> n < 1) || repeats < 1) {
            throw new ConfigException("--predict-pictures and --repeats must be positive numbers");
        }
        Path target = output != null ? output : Path.of(RESULTS, LocalDate.now(ZoneOffset.UTC) + "-predict.md");
        int predictWorkers = workers.stream().mapToInt(Integer::intValue).max().orElse(2);
        Path work = Files.createTempDirectory("fashion-spark-predict-bench");
        PredictBenchmark.Settings settings = new PredictBenchmark.Settings(predictModel, predictPictures,
                predictWorkers, repeats, data, seed, work, reproduceCommand());
        PredictBenchmark.Results results;
        try {
            results = new PredictBenchmark(settings, out).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        AtomicFiles.write(RoundCostCommand.json(target), results.json());
        return publish(out, target, PredictBenchmark.markdown(results));
    }

    /** Writes the report to {@code target} atomically and shows it. */
    private static int publish(PrintWriter out, Path target, String markdown) {
        AtomicFiles.write(target, markdown);
        out.println();
        out.print(markdown);
        out.println("Wrote " + target);
        out.flush();
        return ExitCodes.OK;
    }

    BenchSettings settings(boolean runPytorch) {
        Map<ModelKind, Integer> perModel = new LinkedHashMap<>();
        for (ModelKind m : models) {
            perModel.put(m, images != null ? images : BenchSettings.defaultImages(m));
        }
        List<Integer> single = singleBatchSizes;
        if (single == null || single.isEmpty()) {
            int most = workers.stream().mapToInt(Integer::intValue).max().orElse(1);
            single = most > 1 ? List.of(batchSize, batchSize * most) : List.of(batchSize);
        }
        return new BenchSettings(models.stream().distinct().toList(), perModel, workers, frequencies, batchSize,
                single, runPytorch, python, timeToAccuracy, fullEpochs, fullEvalImages, fullWorkers, fullFrequency,
                data, testLimit, seed, learningRate, peakSize, peakRepetitions, output, reproduceCommand());
    }

    private String reproduceCommand() {
        return reproduceCommand(NAME, spec);
    }

    /** The command line as given, after {@code bin/fashion-spark}, quoted for a POSIX shell. */
    static String reproduceCommand(String name, CommandSpec spec) {
        List<String> words = new ArrayList<>(List.of("bin/fashion-spark"));
        for (String arg : spec.commandLine().getParseResult().expandedArgs()) {
            words.add(shellQuoted(arg));
        }
        words.add(1, name);
        return String.join(" ", words);
    }

    /** {@code word} as a POSIX shell reads it back: as it is when safe, else in single quotes. */
    static String shellQuoted(String word) {
        return SAFE_ARG.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
