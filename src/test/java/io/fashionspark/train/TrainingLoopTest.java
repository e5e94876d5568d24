package io.fashionspark.train;

import io.fashionspark.config.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.model.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The loop's schedule, without Spark: a scripted exchange stands in for the cluster and records the segments it is
 * asked to train, so the tests see which rounds the loop plans, where it takes the model back, and what the
 * listeners get, for evaluations, checkpoints, epoch ends and a resumed run.
 */
class TrainingLoopTest {
    /** Any model: the loop only hands it from the exchange to the listeners. */
    private static MultiLayerNetwork model;

    @BeforeAll
    static void aModel() {
        model = ModelKind.DNN.factory().create(1, 0.001);
    }

    /** Trains nothing: reports each planned round at once, with one loss per worker and step. */
    private static final class ScriptedExchange implements ReplicaExchange {
        final List<List<PlannedRound>> segments = new ArrayList<>();
        final int workers;
        /** The model is "back on the driver" only between a segment's last report and the next segment. */
        boolean modelHere = true;

        ScriptedExchange(int workers) {
            this.workers = workers;
        }

        @Override
        public void train(EpochShards shards, List<PlannedRound> rounds, Consumer<RoundReport> onRound) {
            segments.add(List.copyOf(rounds));
            modelHere = false;
            for (int i = 0; i < rounds.size(); i++) {
                PlannedRound r = rounds.get(i);
                List<WorkerLoss> losses = new ArrayList<>();
                for (int s = 0; s < r.steps(); s++) {
                    for (int w = 0; w < workers; w++) {
                        losses.add(new WorkerLoss(0, w, s, r.iteration() + s, 10));
                    }
                }
                modelHere = i == rounds.size() - 1;
                onRound.accept(new RoundReport(r, 1_000_000, r.iteration(), losses));
            }
        }

        @Override
        public MultiLayerNetwork model() {
            if (!modelHere) {
                throw new IllegalStateException("the model was asked for in the middle of a segment");
            }
            return model;
        }
    }

    /** Records every round it sees, and whether the model came with it. */
    private static final class Recorder implements RoundListener {
        final Trigger needs;
        final List<RoundEnd> rounds = new ArrayList<>();
        final List<Long> withModel = new ArrayList<>();

        Recorder(Trigger needs) {
            this.needs = needs;
        }

        @Override
        public void onRoundEnd(RoundEnd end, MultiLayerNetwork averaged) {
            rounds.add(end);
            if (averaged != null) {
                withModel.add(end.iteration());
            }
        }

        @Override
        public Trigger needsModel() {
            return needs;
        }
    }

    private static TrainingConfig config(int workers, int frequency, int epochs, TrainingRecipe recipe) {
        return TrainingConfig.builder().with(Settings.MODEL, ModelKind.DNN).with(Settings.DATA, "unused")
                .with(Settings.OUTPUT, "unused").with(Settings.WORKERS, workers)
                .with(Settings.BATCH_SIZE, 10).with(Settings.AVERAGING_FREQUENCY, frequency)
                .with(Settings.EPOCHS, epochs).with(Settings.LEARNING_RATE, 0.001).with(Settings.SEED, 1L)
                .with(Settings.EVAL_EVERY, 0).with(Settings.KEEP_CHECKPOINTS, 1).recipe(recipe).build();
    }

    private static ScriptedExchange run(TrainingConfig config, TrainingState state, List<RoundListener> listeners,
                                        List<Integer> epochsOpened) {
        ScriptedExchange exchange = new ScriptedExchange(config.workers());
        RoundRecipe recipe = new RoundRecipe(config, state.stepsPerEpoch(), null);
        TrainingLoop.run(config, state, recipe, exchange, epoch -> {
            epochsOpened.add(epoch);
            return null;
        }, listeners);
        return exchange;
    }

    @Test
    void segmentsEndWhereAListenerNeedsTheModelAndAtEveryEpochsEnd() {
        // 23 steps an epoch, rounds of 5: the last round of each epoch is 3 steps; evaluations every 12 iterations.
        TrainingConfig cfg = config(2, 5, 2, TrainingRecipe.NOTES);
        Recorder eval = new Recorder(Trigger.everyIterations(12).or(Trigger.everyEpoch()));
        Recorder metrics = new Recorder(Trigger.never());
        List<Integer> opened = new ArrayList<>();
        ScriptedExchange exchange = run(cfg, TrainingState.fresh(23), List.of(metrics, eval), opened);

        assertEquals(List.of(1, 2), opened, "each epoch's shards opened once, in order");
        List<Long> segmentEnds = exchange.segments.stream()
                .map(s -> s.get(s.size() - 1).iteration() + s.get(s.size() - 1).steps()).toList();
        // 12 falls inside the round 10-15, 24 inside 23-28 and 36 inside 33-38 (an epoch's rounds start at its first
        // step): each segment ends after that round; 23 and 46 are the epochs' ends.
        assertEquals(List.of(15L, 23L, 28L, 38L, 46L), segmentEnds);
        assertEquals(segmentEnds, eval.withModel, "the model comes back exactly where a segment ends");
        assertEquals(eval.withModel, metrics.withModel, "every listener sees the model the same rounds");

        List<Integer> lengths = metrics.rounds.stream().map(e -> (int) (e.iteration() - e.iterationBefore())).toList();
        assertEquals(List.of(5, 5, 5, 5, 3, 5, 5, 5, 5, 3), lengths, "rounds of 5, the epoch's rest last");
        assertEquals(46, metrics.rounds.get(metrics.rounds.size() - 1).iteration());
        assertTrue(metrics.rounds.get(4).epochDone() && metrics.rounds.get(9).epochDone());
        assertEquals(2 * 46, metrics.rounds.stream().mapToInt(e -> e.losses().size()).sum(),
                "every worker's loss on every step, once");
        assertEquals(2 * 46 * 10, metrics.rounds.stream().mapToInt(RoundEnd::images).sum());
    }

    @Test
    void withNoListenerNeedingTheModelASegmentIsAWholeEpoch() {
        TrainingConfig cfg = config(4, 1, 3, TrainingRecipe.NOTES);
        Recorder quiet = new Recorder(Trigger.never());
        ScriptedExchange exchange = run(cfg, TrainingState.fresh(7), List.of(quiet), new ArrayList<>());
        assertEquals(3, exchange.segments.size(), "one barrier stage an epoch");
        assertEquals(List.of(7L, 14L, 21L), quiet.withModel);
        assertEquals(21, quiet.rounds.size(), "averaging after every step");
    }

    @Test
    void checkpointsAndEvaluationsOnDifferentPeriodsBothGetTheModel() {
        TrainingConfig cfg = config(2, 2, 1, TrainingRecipe.NOTES);
        Recorder eval = new Recorder(Trigger.everyIterations(6));
        Recorder checkpoints = new Recorder(Trigger.everyIterations(10));
        ScriptedExchange exchange = run(cfg, TrainingState.fresh(20), List.of(eval, checkpoints), new ArrayList<>());
        assertEquals(List.of(6L, 10L, 12L, 18L, 20L), eval.withModel);
        assertEquals(5, exchange.segments.size());
        for (RoundEnd e : checkpoints.rounds) {
            if (e.iteration() % 10 == 0) {
                assertTrue(checkpoints.withModel.contains(e.iteration()), "a checkpoint at " + e.iteration());
            }
        }
    }

    @Test
    void aResumedRunPlansTheRoundsTheUninterruptedRunHadLeft() {
        TrainingRecipe syncFirst = syncFirst();
        TrainingConfig cfg = config(2, 4, 2, syncFirst);
        Recorder whole = new Recorder(Trigger.everyIterations(9));
        run(cfg, TrainingState.fresh(30), List.of(whole), new ArrayList<>());

        // Stop after the round that ends at iteration 38 (epoch 2), as a checkpoint there would.
        RoundEnd at = whole.rounds.stream().filter(e -> e.iteration() == 38).findFirst().orElseThrow();
        TrainingProgress saved = new TrainingProgress(at.epoch(), at.stepsDoneInEpoch(), at.iteration(), at.round(),
                at.iteration() * 20, at.stepsDoneInEpoch() * 20, 0, 0, 0, 45, 0);
        Recorder resumed = new Recorder(Trigger.everyIterations(9));
        List<Integer> opened = new ArrayList<>();
        run(cfg, TrainingState.resume(saved, 30), List.of(resumed), opened);

        assertEquals(List.of(2), opened, "only the epoch it stopped in, and on");
        List<RoundEnd> rest = whole.rounds.subList(whole.rounds.indexOf(at) + 1, whole.rounds.size());
        assertEquals(rest.stream().map(e -> List.of(e.iterationBefore(), e.iteration())).toList(),
                resumed.rounds.stream().map(e -> List.of(e.iterationBefore(), e.iteration())).toList());
        assertEquals(whole.withModel.stream().filter(i -> i > 38).toList(), resumed.withModel);
        assertNotNull(resumed.rounds.get(resumed.rounds.size() - 1));
    }

    @Test
    void theFirstRoundsOfASyncRecipeAverageEveryStep() {
        TrainingRecipe syncFirst = syncFirst();
        TrainingConfig cfg = config(2, 4, 1, syncFirst);
        Recorder r = new Recorder(Trigger.never());
        run(cfg, TrainingState.fresh(20), List.of(r), new ArrayList<>());
        List<Integer> lengths = r.rounds.stream().map(e -> (int) (e.iteration() - e.iterationBefore())).toList();
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 4, 2), lengths);
    }

    /** The notes' recipe, but averaging after every step for the first half epoch. */
    private static TrainingRecipe syncFirst() {
        TrainingRecipe n = TrainingRecipe.NOTES;
        return new TrainingRecipe(n.lrScaling(), n.lrWarmupEpochs(), n.lrDecay(), 0.5, n.blockMomentum(),
                n.blockLearningRate(), n.blockNesterov(), n.adamState(), n.adamBeta2(), n.maxGlobalBatch(),
                n.syncWorkers());
    }
}
