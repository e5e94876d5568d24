package io.fashionspark.scaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fashionspark.bench.MachineFacts;
import io.fashionspark.config.SettingValues;
import io.fashionspark.config.Settings;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.job.TrainingJob;
import io.fashionspark.metrics.AveragingRound;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.metrics.TestEvaluation;
import io.fashionspark.model.ModelKind;
import io.fashionspark.rundir.AtomicFiles;
import io.fashionspark.runtime.SparkContexts;
import io.fashionspark.runtime.Versions;
import io.fashionspark.train.TrainingOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Trains the study's runs one after another on the embedded master, each with a Spark of its own worker count, and
 * keeps one result file per run in {@code results}: a run whose file exists is not trained again, so the study
 * runs in parts (by model, recipe or worker count) and an interrupted part resumes with the run it was in.
 */
public final class ScalingStudy {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path results;
    private final LabelledImages train;
    private final LabelledImages test;
    private final Versions versions;
    private final PrintWriter out;

    public ScalingStudy(Path results, LabelledImages train, LabelledImages test, Versions versions, PrintWriter out) {
        this.results = results;
        this.train = train;
        this.test = test;
        this.versions = versions;
        this.out = out;
    }

    /** One run to make: the study's settings for these. */
    public record Plan(ModelKind model, String recipe, int workers, long seed, int epochs, int evalImages,
                       String data) {
        /** The run's settings: the declared defaults, the notes' recipe or the tuned one, tested every evalImages. */
        TrainingConfig config() {
            // Tests every evalImages of the tuned recipe's steps, whichever recipe trains (as the study always has).
            int tunedStep = values(Settings.RECIPE.defaultText()).build().imagesPerStep();
            return values(recipe).with(Settings.EVAL_EVERY, Math.max(1, evalImages / tunedStep)).build();
        }

        /** The defaults under {@code recipeName}, with this plan's model, data, workers, seed and epochs. */
        private TrainingConfig.Builder values(String recipeName) {
            return new TrainingConfig.Builder(SettingValues.read(s -> s == Settings.RECIPE ? recipeName
                    : s.defaultText(), s -> false)).with(Settings.MODEL, model).with(Settings.DATA, data)
                    .with(Settings.WORKERS, workers).with(Settings.SEED, seed).with(Settings.EPOCHS, epochs)
                    .with(Settings.TRAIN_LIMIT, 0).with(Settings.TEST_LIMIT, 0).with(Settings.CHECKPOINT_EVERY, 0)
                    .with(Settings.CHECKPOINT_EVERY_EPOCHS, 0);
        }

        String fileName() {
            return StudyRun.fileName(model.cliName(), recipe, workers, seed);
        }
    }

    /** Trains each plan whose result is not there yet; returns how many it trained. */
    public int run(List<Plan> plans) {
        int trained = 0;
        for (Plan plan : plans) {
            Path file = results.resolve(plan.fileName());
            if (Files.exists(file)) {
                out.printf("%s: done before, kept%n", plan.fileName());
                out.flush();
                continue;
            }
            out.printf("%s: training %s, recipe %s, workers %d, seed %d, %d epochs%n", plan.fileName(),
                    plan.model().displayName(), plan.recipe(), plan.workers(), plan.seed(), plan.epochs());
            out.flush();
            StudyRun result = train(plan);
            save(file, result);
            out.printf("%s: %.2f%% in %.0f s (%.0f images/s)%n", plan.fileName(), 100 * result.finalAccuracy(),
                    result.wallSeconds(), result.imagesPerSecond());
            out.flush();
            trained++;
        }
        return trained;
    }

    private StudyRun train(Plan plan) {
        TrainingConfig config = plan.config();
        long start = System.nanoTime();
        Curve curve = new Curve(config.imagesPerStep());
        TrainingOutcome outcome;
        try (JavaSparkContext sc = SparkContexts.create("fashion-spark scaling " + plan.fileName(), plan.workers())) {
            outcome = new TrainingJob(sc, config, versions).inMemory(train, test, List.of(curve)).outcome();
        }
        return new StudyRun(plan.model().cliName(), plan.recipe(), plan.workers(), plan.seed(), plan.epochs(),
                config.batchSize(), outcome.finalEvaluation().accuracy(), curve.points, outcome.trainSeconds(),
                (System.nanoTime() - start) / 1e9, outcome.imagesPerSecond(), Instant.now().toString(),
                config.averagingFrequency(), MachineFacts.identity());
    }

    /** Written aside and moved into place: a result file is whole or absent. */
    private static void save(Path file, StudyRun result) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a study result as JSON: " + e.getMessage(), e);
        }
    }

    /** Every result in {@code results}, in file-name order. */
    public static List<StudyRun> load(Path results) {
        List<StudyRun> runs = new ArrayList<>();
        if (!Files.isDirectory(results)) {
            return runs;
        }
        try (var files = Files.list(results)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                runs.add(JSON.readValue(f.toFile(), StudyRun.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(results + ": cannot read the results: " + e.getMessage(), e);
        }
        return runs;
    }

    /** The test curve of one run, with the averaging rounds done at each test. */
    private static final class Curve implements MetricsListener {
        private final int imagesPerStep;
        private final List<StudyRun.Point> points = new ArrayList<>();
        private long rounds;

        Curve(int imagesPerStep) {
            this.imagesPerStep = imagesPerStep;
        }

        @Override
        public void onRound(AveragingRound event) {
            rounds = event.round();
        }

        @Override
        public void onEvaluation(TestEvaluation event) {
            long images = event.iteration() * imagesPerStep;
            // An epoch's end can fall on a scheduled test: one point per position.
            if (points.isEmpty() || points.get(points.size() - 1).images() != images) {
                points.add(new StudyRun.Point(images, rounds, event.accuracy()));
            }
        }
    }
}
