package io.fashionspark.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Settings;
import io.fashionspark.data.DataException;
import io.fashionspark.data.FashionClasses;
import io.fashionspark.ml.FashionClassifierModel;
import io.fashionspark.pictures.InputFiles;
import io.fashionspark.pictures.InputImage;
import io.fashionspark.predict.BatchPrediction;
import io.fashionspark.predict.InputListing;
import io.fashionspark.predict.OutputFormat;
import io.fashionspark.rundir.RunSummary;
import io.fashionspark.runtime.PeakMemory;
import io.fashionspark.runtime.RuntimeVersions;
import io.fashionspark.runtime.SparkContexts;
import io.fashionspark.savedmodel.SavedModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code predict}: the most likely classes of pictures of clothing and of the images in idx files, on the driver
 * alone (no Spark). A file that cannot be read is reported on stderr and skipped; the others are still predicted,
 * and the exit code says that one failed.
 */
@Command(name = PredictCommand.NAME, mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Classifies pictures of clothing with a trained model: pictures in PNG, JPEG, GIF (the first "
                + "frame), BMP, WBMP, TIFF or WebP (grey or colour, any size; converted to 28x28 white-on-black like FashionMNIST) and idx image files (every image in "
                + "them, reported as FILE#index).",
            "Prints each image's most likely classes with their probabilities; on the driver alone, without "
                + "Spark, for a handful of files.",
            "With --output, classifies on Spark's executors instead (directories, globs, idx files, Parquet tables; "
                + "any number of pictures) and writes one row per image, with any image that cannot be read "
                + "reported in its row's error column."})
final class PredictCommand implements Callable<Integer> {
    static final String NAME = "predict";
    static final String OUTPUT = "--output";
    /** The conf/ defaults predict shares with train: the embedded master's size. */
    static final Set<String> CONFIG_KEYS = Set.of(Settings.WORKERS.key());
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE|URI",
            description = "The model.zip a train run wrote; local path or Hadoop URI.")
    String model;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3",
            description = "How many of the most likely classes to show per image (1 to 10).")
    int top;

    @Option(names = "--json", description = "Print one JSON document instead of the table.")
    boolean json;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Option(names = OUTPUT, paramLabel = "DIR|URI",
            description = "Classify on Spark's executors and write the results here (a directory of part files, "
                    + "written in full or not at all): path, class_1, probability_1, ... class_K, probability_K, "
                    + "error.")
    String output;

    @Option(names = "--format", paramLabel = "parquet|csv|jsonl", defaultValue = "parquet",
            description = "Format of --output.")
    String format;

    @Option(names = "--overwrite", description = "Replace --output if it exists (only once the new "
            + "results are complete).")
    boolean overwrite;

    @Option(names = "--workers", paramLabel = "N",
            description = "With --output on the embedded master: tasks run at once (its threads). Under "
                    + "spark-submit the cluster's executors decide.")
    Integer workers;

    @Option(names = "--image-column", paramLabel = "NAME",
            description = "With --output, the image column of Parquet inputs (an image struct, a picture's bytes or "
                    + "784 grey levels). Default: the first of image, content, pixels, features, or any column "
                    + "that holds images.")
    String imageColumn;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Pictures (" + InputFiles.FORMATS + "), or idx3-ubyte image files (gzip'd or raw); local paths or Hadoop "
                    + "URIs. With --output also directories (read recursively), globs and Parquet tables.")
    List<String> files;

    /** One image's most likely classes, most likely first. */
    record Prediction(String image, List<Map<String, Object>> classes) {
    }

    @Override
    public Integer call() throws Exception {
        int classes = FashionClasses.NAMES.size();
        if (top < 1 || top > classes) {
            throw new ConfigException("--top must be between 1 and " + classes + ", got " + top);
        }
        Configuration hadoop = SparkContexts.hadoopConfiguration();
        if (output != null) {
            return onExecutors(hadoop);
        }
        SavedModel saved = SavedModel.load(model, hadoop);

        List<InputImage> images = new ArrayList<>();
        List<Map<String, String>> errors = new ArrayList<>();
        PrintWriter err = spec.commandLine().getErr();
        for (String file : files) {
            try {
                images.addAll(InputFiles.read(file, hadoop));
            } catch (RuntimeException e) {
                String message = e instanceof DataException ? e.getMessage() : file + ": cannot read: " + e;
                err.println("fashion-spark: " + message);
                if (verbose) {
                    e.printStackTrace(err);
                }
                err.flush();
                Map<String, String> error = new LinkedHashMap<>();
                error.put("file", file);
                error.put("error", message);
                errors.add(error);
            }
        }

        float[][] probabilities = saved.probabilities(images);
        List<Prediction> predictions = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            predictions.add(new Prediction(images.get(i).name(), topClasses(probabilities[i], top)));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model);
            doc.put("architecture", saved.architecture());
            doc.put("top", top);
            doc.put("predictions", predictions);
            doc.put("errors", errors);
            out.println(RunSummary.mapper().writeValueAsString(doc));
        } else if (!predictions.isEmpty()) {
            out.print(table(predictions, top));
        }
        out.flush();
        return errors.isEmpty() ? ExitCodes.OK : ExitCodes.DATA;
    }

    /** {@code --output}: every input classified on the executors and written as one Spark job output. */
    private int onExecutors(Configuration hadoop) {
        if (json) {
            throw new ConfigException("--json prints results on the driver; with " + OUTPUT
                    + " they go to files (give --format jsonl for JSON Lines)");
        }
        if (workers == null || workers < 1) {
            throw new ConfigException(Settings.WORKERS + " must be at least 1, got " + workers);
        }
        OutputFormat outputFormat = OutputFormat.parse("--format", format);
        BatchPrediction.checkOutput(output, overwrite, hadoop);
        FashionClassifierModel classifier = FashionClassifierModel.fromModelZip(model);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RuntimeVersions.detect().requireCompatible();
        long start = System.nanoTime();
        try (SparkSession spark = SparkContexts.session("fashion-spark predict", workers)) {
            InputListing inputs = InputListing.of(files, spark.sparkContext().hadoopConfiguration());
            for (InputListing.Problem p : inputs.problems()) {
                err.println("fashion-spark: " + p.path() + ": " + p.error() + " (reported in the output)");
            }
            err.flush();
            out.printf("Classifying %,d files and %d tables with %s (%s) on Spark master %s%n",
                    inputs.files().size(), inputs.tables().size(), model, classifier.architecture(),
                    spark.sparkContext().master());
            out.flush();
            BatchPrediction.Result result = new BatchPrediction(spark, classifier, top,
                    spark.sparkContext().defaultParallelism(), imageColumn).run(inputs, output, outputFormat,
                    overwrite);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("Classified %,d images, %,d failed (see the error column); %.1f s, %.0f images/s; wrote %s%n",
                    result.classified(), result.failed(), seconds, (result.classified() + result.failed()) / seconds,
                    result.output());
            long peak = PeakMemory.residentBytes();
            if (peak > 0 && spark.sparkContext().isLocal()) {
                // On the embedded master the executors are threads of this JVM: its peak is theirs.
                out.printf("Peak resident memory of this JVM (driver and executors): %,d MB%n", peak >> 20);
            }
            out.flush();
            return result.failed() == 0 ? ExitCodes.OK : ExitCodes.DATA;
        }
    }

    /** The {@code k} most likely classes, most likely first (ties: lower label first). */
    static List<Map<String, Object>> topClasses(float[] probs, int k) {
        return IntStream.range(0, probs.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(c -> -probs[c]).thenComparingInt(c -> c))
                .limit(k)
                .map(c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("label", c);
                    m.put("class", FashionClasses.NAMES.get(c));
                    m.put("probability", (double) probs[c]);
                    return m;
                })
                .toList();
    }

    /** One row per image: its name, then "class probability%" for each of the top classes. */
    static String table(List<Prediction> predictions, int k) {
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[k + 1];
        header[0] = "image";
        for (int j = 1; j <= k; j++) {
            header[j] = ordinal(j);
        }
        rows.add(header);
        for (Prediction p : predictions) {
            String[] row = new String[k + 1];
            row[0] = p.image();
            for (int j = 0; j < k; j++) {
                Map<String, Object> c = p.classes().get(j);
                row[j + 1] = String.format("%s %.1f%%", c.get("class"), 100 * (Double) c.get("probability"));
            }
            rows.add(row);
        }
        int[] widths = new int[k + 1];
        for (String[] row : rows) {
            for (int j = 0; j <= k; j++) {
                widths[j] = Math.max(widths[j], row[j].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j <= k; j++) {
                line.append(j == 0 ? "" : "  ").append(String.format("%-" + widths[j] + "s", row[j]));
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String ordinal(int n) {
        return switch (n) {
            case 1 -> "1st";
            case 2 -> "2nd";
            case 3 -> "3rd";
            default -> n + "th";
        };
    }
}
