package io.fashionspark.job;

import io.fashionspark.config.TrainingConfig;
import io.fashionspark.data.DataFingerprint;
import io.fashionspark.data.FashionClasses;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.metrics.CsvSink;
import io.fashionspark.metrics.JsonLinesSink;
import io.fashionspark.metrics.MetricsCollector;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.model.ModelSummary;
import io.fashionspark.report.TrainingReport;
import io.fashionspark.rundir.RunDirectory;
import io.fashionspark.rundir.RunSummary;
import io.fashionspark.runtime.GitCommit;
import io.fashionspark.runtime.Versions;
import io.fashionspark.savedmodel.ModelProvenance;
import io.fashionspark.savedmodel.ModelZip;
import io.fashionspark.train.CheckpointWriter;
import io.fashionspark.train.ParameterAveragingTrainer;
import io.fashionspark.train.RunCheckpoints;
import io.fashionspark.train.TrainingOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One training run from settings and images to a trained model: what {@code train} and the Spark ML estimator
 * share. Into a run directory it writes what {@code train} always has ({@code metrics.jsonl}, {@code metrics.csv},
 * checkpoints, {@code model.zip} with its provenance, {@code summary.json}, {@code report.html}); without one it
 * trains and keeps the model in memory.
 */
public final class TrainingJob {
    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final Versions versions;

    public TrainingJob(JavaSparkContext sc, TrainingConfig config, Versions versions) {
        this.sc = sc;
        this.config = config;
        this.versions = versions;
    }

    /** The model and what the saved file says of it. */
    public record Trained(TrainingOutcome outcome, ModelProvenance provenance) {
        /** The model as a {@code model.zip} (DL4J's format plus {@code provenance.json}). */
        public byte[] modelZip() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                ModelZip.write(outcome.model(), provenance, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serialise the trained model: " + e.getMessage(), e);
            }
            return bytes.toByteArray();
        }
    }

    /** Trains with the metrics going to {@code sinks} only; nothing is written. */
    public Trained inMemory(LabelledImages train, LabelledImages test, List<? extends MetricsListener> sinks) {
        TrainingOutcome outcome;
        try (MetricsCollector metrics = new MetricsCollector(sinks)) {
            outcome = new ParameterAveragingTrainer(sc, config, metrics).train(train, test, CheckpointWriter.NONE);
        }
        return new Trained(outcome, provenance(GitCommit.find(), DataFingerprint.of(train, test), outcome));
    }

    /**
     * Trains into {@code run} (its {@code config.json} already written), from the start or from the checkpoint
     * {@code from}; metrics logged after that checkpoint are dropped and logged again. {@code console} sinks see
     * the metrics too. A report that cannot be drawn is a warning: the run itself succeeded.
     */
    public Trained intoRunDirectory(RunDirectory run, RunCheckpoints.Loaded from, LabelledImages train,
                                    LabelledImages test, List<? extends MetricsListener> console,
                                    ModelSummary modelSummary, long wallStartNanos, Consumer<String> warn)
            throws IOException {
        long keepUpTo = from == null ? -1 : from.progress().iteration();
        List<MetricsListener> sinks = new ArrayList<>();
        sinks.add(new JsonLinesSink(from == null ? run.openStream(RunDirectory.METRICS_JSONL)
                : run.continueStream(RunDirectory.METRICS_JSONL, JsonLinesSink.loggedUpTo(keepUpTo))));
        sinks.add(from == null ? new CsvSink(run.openStream(RunDirectory.METRICS_CSV), true)
                : new CsvSink(run.continueStream(RunDirectory.METRICS_CSV, CsvSink.loggedUpTo(keepUpTo)), false));
        sinks.addAll(console);
        TrainingOutcome outcome;
        try (MetricsCollector metrics = new MetricsCollector(sinks)) {
            ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(sc, config, metrics);
            RunCheckpoints checkpoints = new RunCheckpoints(run, config.run().keepCheckpoints());
            outcome = from == null ? trainer.train(train, test, checkpoints)
                    : trainer.resume(from.model(), from.blockMomentum(), from.progress(), train, test,
                            checkpoints);
        }
        String commit = GitCommit.find();
        ModelProvenance provenance = provenance(commit, DataFingerprint.of(train, test), outcome);
        run.writeAtomically(RunDirectory.MODEL, o -> ModelZip.write(outcome.model(), provenance, o));
        RunSummary summary = summary(commit, modelSummary, outcome, (System.nanoTime() - wallStartNanos) / 1e9);
        run.writeAtomically(RunDirectory.SUMMARY, summary::writeTo);
        TrainingReport.writeOrWarn(run, sc.hadoopConfiguration(), warn);
        return new Trained(outcome, provenance);
    }

    /** What the saved model says of itself (the file may be copied far from its run directory). */
    private ModelProvenance provenance(String gitCommit, DataFingerprint data, TrainingOutcome outcome) {
        return new ModelProvenance(ModelProvenance.FORMAT, "fashion-spark",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), config, versions, gitCommit, sc.master(),
                sc.sc().applicationId(), data, outcome.iterations(), outcome.imagesTrained(),
                outcome.finalEvaluation().accuracy(), outcome.finalEvaluation().loss());
    }

    private RunSummary summary(String gitCommit, ModelSummary modelSummary, TrainingOutcome outcome,
                               double wallSeconds) {
        Map<String, Double> perClass = new LinkedHashMap<>();
        double[] acc = outcome.finalEvaluation().perClassAccuracy();
        for (int i = 0; i < acc.length; i++) {
            perClass.put(FashionClasses.NAMES.get(i), acc[i]);
        }
        return new RunSummary("fashion-spark", config, versions, sc.master(), sc.sc().applicationId(), gitCommit,
                new RunSummary.ModelFacts(modelSummary.model(), modelSummary.trainableParams(),
                        modelSummary.totalParams()),
                new RunSummary.Timings(wallSeconds, outcome.trainSeconds(), outcome.evalSeconds(),
                        outcome.imagesPerSecond()),
                outcome.iterations(), outcome.imagesTrained(), outcome.finalEvaluation().accuracy(),
                outcome.finalEvaluation().loss(), FashionClasses.NAMES, perClass,
                outcome.finalEvaluation().confusion());
    }
}
