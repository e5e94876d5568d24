package io.fashionspark.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Settings;
import io.fashionspark.data.FashionClasses;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.fs.HadoopPaths;
import io.fashionspark.metrics.ClassificationMetrics;
import io.fashionspark.rundir.RunDirectory;
import io.fashionspark.rundir.RunSummary;
import io.fashionspark.runtime.BuildInfo;
import io.fashionspark.runtime.RuntimeVersions;
import io.fashionspark.runtime.SparkContexts;
import io.fashionspark.savedmodel.SavedModel;
import io.fashionspark.train.DistributedEvaluator;
import io.fashionspark.train.EvalCounts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: a saved model scored on the whole test set across the Spark executors, with accuracy alone
 * hiding nothing: precision, recall and F1 per class, and the confusion matrix.
 */
@Command(name = EvaluateCommand.NAME, mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Scores a trained model on the FashionMNIST test set across Spark executors: accuracy, loss,",
            "precision, recall and F1 of each class, and the confusion matrix; printed as tables and written as JSON.",
            "--data and --workers default to conf/fashion-spark.properties (or --config FILE), as for train."})
final class EvaluateCommand implements Callable<Integer> {
    static final String NAME = "evaluate";
    /** The keys of conf/fashion-spark.properties (train's options) that evaluate takes as its defaults too. */
    static final Set<String> CONFIG_KEYS = Set.of(Settings.DATA.key(), Settings.WORKERS.key());
    static final String EVALUATION_JSON = "evaluation.json";

    @Spec
    CommandSpec spec;

    @Option(names = ConfigDefaults.OPTION, paramLabel = "FILE",
            description = "Properties file with option defaults; evaluate takes its data and workers keys.")
    Path config;

    @Option(names = "--model", required = true, paramLabel = "FILE|URI",
            description = "The model.zip a train run wrote; local path or Hadoop URI.")
    String model;

    @Option(names = "--data", paramLabel = "DIR|URI",
            description = "Directory with the FashionMNIST test files (t10k-images-idx3-ubyte and "
                    + "t10k-labels-idx1-ubyte, gzip'd or raw); local path or Hadoop URI.")
    String data;

    @Option(names = "--workers",
            description = "Spark partitions the test set is split into (the embedded master's threads).")
    Integer workers;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0",
            description = "Evaluate on the first N test images only (0: all).")
    int testLimit;

    @Option(names = "--json", paramLabel = "FILE|URI",
            description = "Where to write the results as JSON (replaced atomically if it exists). "
                    + "Default: evaluation.json beside the model.")
    String json;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (workers == null || workers < 1) {
            throw new ConfigException(Settings.WORKERS + " (Spark partitions of the test set) must be at least 1, got "
                    + workers);
        }
        if (testLimit < 0) {
            throw new ConfigException(Settings.TEST_LIMIT + " must be 0 or more, got " + testLimit);
        }
        if (data == null || data.isBlank()) {
            throw new ConfigException(Settings.DATA + " must not be empty");
        }
        PrintWriter out = spec.commandLine().getOut();
        Configuration hadoop = SparkContexts.hadoopConfiguration();
        // The model first: a wrong file fails in a second, before Spark starts.
        SavedModel saved = SavedModel.load(model, hadoop);
        HadoopPaths.Location target = jsonTarget(saved, hadoop);
        out.printf("Model %s: %s, %,d parameters, input %s%n", model, saved.architecture(), saved.parameters(),
                shape(saved.exampleShape()));
        out.flush();
        RuntimeVersions.detect().requireCompatible();

        long start = System.nanoTime();
        try (JavaSparkContext sc = SparkContexts.create("fashion-spark evaluate", workers)) {
            LabelledImages test = FashionMnistFiles.loadTest(data, sc.hadoopConfiguration());
            if (testLimit > 0) {
                test = test.head(testLimit);
            }
            out.printf("Evaluating on %,d test images of %s with %d worker%s (Spark master %s)%n", test.size(),
                    test.source(), workers, workers == 1 ? "" : "s", sc.master());
            out.flush();
            EvalCounts counts;
            try (DistributedEvaluator evaluator = new DistributedEvaluator(sc, test, workers, saved.exampleShape())) {
                counts = evaluator.evaluate(saved.network());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ClassificationMetrics metrics = ClassificationMetrics.of(counts.confusion());
            out.println();
            out.printf("Accuracy %.2f%% (%,d of %,d correct), mean cross-entropy loss %.4f%n",
                    100 * metrics.accuracy(), metrics.correct(), metrics.total(), counts.loss());
            out.println();
            out.print(metrics.classTable(FashionClasses.NAMES));
            out.println();
            out.println("Confusion matrix (rows: true class, columns: predicted class)");
            out.print(metrics.confusionTable(FashionClasses.NAMES));
            out.println();
            Map<String, Object> doc = document(saved, test, counts, metrics, sc.master(), seconds);
            byte[] bytes = RunSummary.mapper().writeValueAsBytes(doc);
            RunDirectory.at(new HadoopPaths.Location(target.fs(), target.path().getParent()))
                    .writeAtomically(target.path().getName(), o -> o.write(bytes));
            out.printf("Wrote %s%n", target);
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** {@code --json}, or evaluation.json beside the model; never the model itself. */
    private HadoopPaths.Location jsonTarget(SavedModel saved, Configuration hadoop) {
        HadoopPaths.Location target;
        if (json != null && !json.isBlank()) {
            try {
                target = HadoopPaths.resolve(json, hadoop);
            } catch (HadoopPaths.UnsupportedLocationException e) {
                throw new io.fashionspark.rundir.OutputException(e.getMessage(), e);
            }
        } else {
            target = new HadoopPaths.Location(saved.location().fs(),
                    new org.apache.hadoop.fs.Path(saved.location().path().getParent(), EVALUATION_JSON));
        }
        if (target.path().getParent() == null) {
            throw new ConfigException("--json " + target + ": not a file path");
        }
        if (target.path().equals(saved.location().path())) {
            throw new ConfigException("--json " + json + " is the model file itself; choose another file");
        }
        return target;
    }

    private Map<String, Object> document(SavedModel saved, LabelledImages test, EvalCounts counts,
                                         ClassificationMetrics metrics, String master, double seconds) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tool", "fashion-spark");
        doc.put("version", BuildInfo.version());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", saved.location().toString());
        m.put("architecture", saved.architecture());
        m.put("parameters", saved.parameters());
        m.put("inputShape", saved.exampleShape());
        doc.put("model", m);
        doc.put("testImages", test.source());
        doc.put("images", metrics.total());
        doc.put("correct", metrics.correct());
        doc.put("accuracy", finite(metrics.accuracy()));
        doc.put("loss", finite(counts.loss()));
        doc.put("classNames", FashionClasses.NAMES);
        List<Map<String, Object>> classes = new ArrayList<>();
        for (ClassificationMetrics.PerClass c : metrics.classes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", c.label());
            row.put("name", FashionClasses.NAMES.get(c.label()));
            row.put("precision", finite(c.precision()));
            row.put("recall", finite(c.recall()));
            row.put("f1", finite(c.f1()));
            row.put("support", c.support());
            row.put("predicted", c.predicted());
            classes.add(row);
        }
        doc.put("classes", classes);
        doc.put("macroAverage", average(metrics.macro()));
        doc.put("weightedAverage", average(metrics.weighted()));
        doc.put("confusionMatrix", metrics.confusion());
        doc.put("sparkMaster", master);
        doc.put("workers", workers);
        doc.put("seconds", seconds);
        return doc;
    }

    private static Map<String, Object> average(ClassificationMetrics.Average a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", finite(a.precision()));
        m.put("recall", finite(a.recall()));
        m.put("f1", finite(a.f1()));
        return m;
    }

    /** Undefined scores (a class never predicted, say) are JSON null, not the non-standard NaN. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static String shape(long[] shape) {
        StringBuilder sb = new StringBuilder();
        for (long s : shape) {
            sb.append(sb.length() == 0 ? "" : "x").append(s);
        }
        return sb.toString();
    }
}
