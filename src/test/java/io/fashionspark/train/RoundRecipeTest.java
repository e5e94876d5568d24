package io.fashionspark.train;

import io.fashionspark.config.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.config.TrainingRecipe.AdamState;
import io.fashionspark.config.TrainingRecipe.LrDecay;
import io.fashionspark.config.TrainingRecipe.LrScaling;
import io.fashionspark.model.ModelKind;
import org.junit.jupiter.api.Test;

/** The recipe round by round: the rate each round's workers get and how many steps the round has. */
class RoundRecipeTest {
    /** 4 workers, 2 epochs of 100 steps, base rate 0.001, averaging every 5. */
    private static RoundRecipe recipe(TrainingRecipe r) {
        TrainingConfig c = TrainingConfig.builder().with(Settings.MODEL, ModelKind.DNN).with(Settings.DATA, "d")
                .with(Settings.OUTPUT, "o").with(Settings.WORKERS, 4)
                .with(Settings.BATCH_SIZE, 100).with(Settings.AVERAGING_FREQUENCY, 5).with(Settings.EPOCHS, 2)
                .with(Settings.LEARNING_RATE, 0.001).with(Settings.SEED, 1L).with(Settings.KEEP_CHECKPOINTS, 1)
                .recipe(r).build();
        return new RoundRecipe(c, 100, null);
    }

    @Test
    void theNotesSetUpKeepsOneRateAndOnePeriod() {
        RoundRecipe notes = recipe(TrainingRecipe.NOTES);
        assertTrue(notes.constantRate());
        for (long it : new long[] {0, 17, 100, 199}) {
            assertEquals(0.001, notes.rateAt(it));
            assertEquals(5, notes.stepsOfRound(it, 100));
        }
        assertEquals(3, notes.stepsOfRound(97, 3), "a round never crosses the epoch's end");
    }

    @Test
    void warmUpClimbsToTheScaledPeakThenCosineFallsToZero() {
        RoundRecipe r = recipe(new TrainingRecipe(LrScaling.LINEAR, 0.4, LrDecay.COSINE, 0, 0, 1, false,
                AdamState.AVERAGED, 0.999, 0, 0));
        assertFalse(r.constantRate());
        assertEquals(0.004 / 40, r.rateAt(0), 1e-12);
        assertEquals(0.004 * 25 / 40, r.rateAt(24), 1e-12);
        assertEquals(0.004, r.rateAt(40), 1e-12, "the peak is the rate times 4 workers, reached after the warm-up");
        assertEquals(0.002, r.rateAt(120), 1e-12, "half-way through the decay: half the peak");
        assertTrue(r.rateAt(199) < 0.004 * 0.001, "near 0 at the last iteration: " + r.rateAt(199));
    }

    @Test
    void theWarmUpTakesAtMostAFifthOfTheRun() {
        // The tuned recipe's 1 epoch of warm-up: all of a 1-epoch run and half of a 2-epoch one, were it not capped.
        assertEquals(0.2, RoundRecipe.warmupEpochs(1, 1), 1e-12);
        assertEquals(0.4, RoundRecipe.warmupEpochs(1, 2), 1e-12);
        assertEquals(1, RoundRecipe.warmupEpochs(1, 5), 1e-12, "5 epochs and more warm up as asked");
        assertEquals(1, RoundRecipe.warmupEpochs(1, 30), 1e-12);
        assertEquals(0, RoundRecipe.warmupEpochs(0, 1), 1e-12);
        // 2 epochs of 100 steps with 1 epoch asked: 40 steps of warm-up, then the cosine over the other 160.
        RoundRecipe r = recipe(new TrainingRecipe(LrScaling.LINEAR, 1, LrDecay.COSINE, 0, 0, 1, false,
                AdamState.AVERAGED, 0.999, 0, 0));
        assertEquals(0.004, r.rateAt(40), 1e-12);
        assertTrue(r.rateAt(100) < 0.004, "decaying by the first epoch's end: " + r.rateAt(100));
    }

    @Test
    void stepDecayAndSquareRootScaling() {
        RoundRecipe r = recipe(new TrainingRecipe(LrScaling.SQRT, 0, LrDecay.STEP, 0, 0, 1, false,
                AdamState.AVERAGED, 0.999, 0, 0));
        assertEquals(0.002, r.rateAt(0), 1e-12);
        assertEquals(0.002, r.rateAt(99), 1e-12);
        assertEquals(0.0002, r.rateAt(100), 1e-12);
        assertEquals(0.00002, r.rateAt(150), 1e-12);
    }

    @Test
    void postLocalSgdAveragesEveryStepFirstThenEveryPeriod() {
        RoundRecipe r = recipe(new TrainingRecipe(LrScaling.NONE, 0, LrDecay.CONSTANT, 0.25, 0, 1, false,
                AdamState.AVERAGED, 0.999, 0, 0));
        assertEquals(1, r.stepsOfRound(0, 100));
        assertEquals(1, r.stepsOfRound(24, 76));
        assertEquals(5, r.stepsOfRound(25, 75));
    }
}
