package io.fashionspark.bench.cli;

import io.fashionspark.cli.ExitCodes;
import io.fashionspark.cli.ModelConverter;
import io.fashionspark.config.ConfigException;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.model.ModelKind;
import io.fashionspark.runtime.RuntimeVersions;
import io.fashionspark.runtime.SparkContexts;
import io.fashionspark.runtime.Versions;
import io.fashionspark.scaling.ScalingReport;
import io.fashionspark.scaling.ScalingStudy;
import io.fashionspark.scaling.StudyRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scaling}: the scaling study. Trains each model with each recipe, worker count and seed on the embedded
 * master, keeps every run's result, and writes {@code bench/results/scaling/study.md} from all the results there are.
 */
@Command(name = ScalingCommand.NAME, mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Measures how accuracy, and the images and averaging rounds needed to reach a target, move "
                + "with the worker count, for the notes' set-up and the tuned recipe, over several seeds.",
            "Every run keeps a result file in --results; runs with one are not trained again. Run the study in "
                + "parts (one model and recipe at a time, or fewer worker counts: about 30 minutes for dnn, "
                + "hours for cnn on 2 cores); each part rewrites --output from every result so far."})
final class ScalingCommand implements Callable<Integer> {
    static final String NAME = "scaling";

    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", paramLabel = "MODEL", converter = ModelConverter.class,
            defaultValue = "dnn,cnn", description = "Models to study.")
    List<ModelKind> models;

    @Option(names = "--recipes", split = ",", paramLabel = "RECIPE", defaultValue = "notes,tuned",
            description = "notes: the reference notes' set-up; tuned: train's default recipe.")
    List<String> recipes;

    @Option(names = "--workers", split = ",", paramLabel = "N", defaultValue = "1,2,4,8",
            description = "Worker counts (embedded local[N] master).")
    List<Integer> workers;

    @Option(names = "--seeds", split = ",", paramLabel = "SEED", defaultValue = "42,43,44",
            description = "Seeds: each setting is trained once per seed.")
    List<Long> seeds;

    @Option(names = "--epochs", defaultValue = "5", description = "Passes over the training set per run.")
    int epochs;

    @Option(names = "--eval-images", paramLabel = "N", defaultValue = "12000",
            description = "Test the model every this many training images (rounded to whole steps).")
    int evalImages;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = FashionMnistFiles.DEFAULT_DIRECTORY,
            description = "Directory with the FashionMNIST idx files.")
    String data;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "bench/results/scaling/results",
            description = "One result file per run; runs already there are skipped.")
    Path results;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "bench/results/scaling/study.md",
            description = "The report, rewritten from every result in --results (its hand-written end is kept); "
                    + "charts go to a folder of the same name beside it.")
    Path output;

    @Option(names = "--report-only", description = "Rewrite --output from the results there are; train nothing.")
    boolean reportOnly;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!SparkContexts.embedded()) {
            throw new ConfigException("the scaling study measures one machine with an embedded Spark master; run it "
                    + "with bin/fashion-spark, not spark-submit");
        }
        if (workers.stream().anyMatch(w -> w < 1) || seeds.isEmpty() || epochs < 1 || evalImages < 1) {
            throw new ConfigException("--workers, --epochs and --eval-images must be positive, with at least one "
                    + "seed");
        }
        List<String> names = recipes.stream().map(r -> r.trim().toLowerCase(java.util.Locale.ROOT)).toList();
        for (String r : names) {
            if (!r.equals(TrainingRecipe.NOTES_NAME) && !r.equals(TrainingRecipe.TUNED)) {
                throw new ConfigException("--recipes takes notes and tuned, got '" + r + "'");
            }
        }
        String command = BenchCommand.reproduceCommand(NAME, spec);
        if (!reportOnly) {
            RuntimeVersions versions = RuntimeVersions.detect();
            versions.requireCompatible();
            FashionMnistFiles.Splits splits = FashionMnistFiles.load(data, SparkContexts.hadoopConfiguration());
            List<ScalingStudy.Plan> plans = new ArrayList<>();
            for (ModelKind model : models) {
                for (String recipe : names) {
                    for (int w : workers) {
                        for (long seed : seeds) {
                            plans.add(new ScalingStudy.Plan(model, recipe, w, seed, epochs, evalImages, data));
                        }
                    }
                }
            }
            new ScalingStudy(results, splits.train(), splits.test(), Versions.of(versions), out).run(plans);
        }
        List<StudyRun> all = ScalingStudy.load(results);
        ScalingReport.write(output, all, command, results);
        out.printf("Wrote %s from %d results in %s%n", output, all.size(), results);
        out.flush();
        return ExitCodes.OK;
    }
}
