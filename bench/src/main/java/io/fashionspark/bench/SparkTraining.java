package io.fashionspark.bench;

import io.fashionspark.config.Exchange;
import io.fashionspark.config.Settings;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.metrics.AveragingRound;
import io.fashionspark.metrics.MetricsListener;
import io.fashionspark.metrics.TestEvaluation;
import io.fashionspark.model.ModelKind;
import io.fashionspark.train.ParameterAveragingTrainer;
import io.fashionspark.train.TrainingOutcome;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * DL4J on Spark: the project's own {@link ParameterAveragingTrainer}, exactly as {@code train} runs it (no
 * checkpoints), with dl4j-spark's per-phase training stats and Spark's task metrics switched on.
 */
final class SparkTraining {
    private SparkTraining() {
    }

    /** What one run gives back. */
    /** {@code evaluations}: each test evaluation with the training time before it. */
    record Outcome(TrainingOutcome training, long rounds, RoundBreakdown breakdown,
                   List<FullRun.Checkpoint> evaluations) {
    }

    static TrainingConfig config(ModelKind kind, String data, int workers, int batchSize, int averagingFrequency,
                                 int epochs, long seed, double learningRate, int evalEvery) {
        return config(kind, data, workers, batchSize, averagingFrequency, epochs, seed, learningRate, evalEvery,
                Exchange.DRIVER);
    }

    static TrainingConfig config(ModelKind kind, String data, int workers, int batchSize, int averagingFrequency,
                                 int epochs, long seed, double learningRate, int evalEvery, Exchange exchange) {
        // No limits (bench cuts its own subsets), no checkpoints: bench writes no run directory. The notes' recipe:
        // the comparison with the PyTorch reference trains what the notes train.
        return TrainingConfig.builder().with(Settings.MODEL, kind).with(Settings.DATA, data)
                .with(Settings.WORKERS, workers).with(Settings.BATCH_SIZE, batchSize)
                .with(Settings.AVERAGING_FREQUENCY, averagingFrequency).with(Settings.EPOCHS, epochs)
                .with(Settings.LEARNING_RATE, learningRate).with(Settings.SEED, seed)
                .with(Settings.EVAL_EVERY, evalEvery).with(Settings.KEEP_CHECKPOINTS, 1).recipe(TrainingRecipe.NOTES)
                .with(Settings.EXCHANGE, exchange).build();
    }

    /** What trained a scenario of {@code exchange}. */
    static ScenarioResult.Engine engine(Exchange exchange) {
        return exchange == Exchange.DRIVER ? ScenarioResult.Engine.SPARK : ScenarioResult.Engine.SPARK_ALLREDUCE;
    }

    /** Trains and tests. */
    static Outcome run(JavaSparkContext sc, TrainingConfig config, LabelledImages train, LabelledImages test) {
        Recorder recorder = new Recorder();
        SparkTaskTimes tasks = SparkTaskTimes.attach(sc.sc());
        try {
            ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(sc, config, recorder)
                    .collectTrainingStats();
            TrainingOutcome outcome = trainer.train(train, test);
            RoundBreakdown breakdown = trainer.peerTimes() != null
                    ? RoundBreakdown.ofPeers(trainer.peerTimes(), recorder.rounds, outcome.trainSeconds())
                    : RoundBreakdown.of(trainer.trainingStats(), recorder.rounds, outcome.trainSeconds(),
                            tasks.totals(sc.sc()));
            return new Outcome(outcome, recorder.rounds, breakdown, List.copyOf(recorder.evaluations));
        } finally {
            tasks.detach(sc.sc());
        }
    }

    /** Counts rounds and notes each evaluation with the training time spent before it. */
    private static final class Recorder implements MetricsListener {
        long rounds;
        double trainSeconds;
        final List<FullRun.Checkpoint> evaluations = new ArrayList<>();

        @Override
        public void onRound(AveragingRound event) {
            rounds++;
            trainSeconds += event.seconds();
        }

        @Override
        public void onEvaluation(TestEvaluation event) {
            evaluations.add(new FullRun.Checkpoint(event.imagesSeen(), trainSeconds, event.accuracy()));
        }
    }
}
