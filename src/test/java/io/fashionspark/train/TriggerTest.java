package io.fashionspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When evaluations and checkpoints happen, decided by triggers alone: no Spark, no network. */
class TriggerTest {
    /** The round ends of {@code epochs} epochs of {@code steps} steps, averaged every {@code every} steps. */
    private static List<RoundEnd> rounds(int epochs, int steps, int every) {
        List<RoundEnd> ends = new ArrayList<>();
        TrainingState state = TrainingState.fresh(steps);
        for (; state.epoch() <= epochs; state.startNextEpoch()) {
            while (!state.epochDone()) {
                int n = Math.min(steps - state.stepsDoneInEpoch(), every);
                ends.add(state.roundTrained(n, n * 10, 1_000_000, 1.0));
            }
        }
        return ends;
    }

    private static List<Long> firings(Trigger t, List<RoundEnd> ends) {
        return ends.stream().filter(t::firesAt).map(RoundEnd::iteration).toList();
    }

    @Test
    void everyIterationsFiresAtTheRoundThatReachesOrPassesEachMultiple() {
        // 23 steps an epoch, rounds of 5: iterations 5, 10, 15, 20, 23 | 28, 33, 38, 43, 46.
        List<RoundEnd> ends = rounds(2, 23, 5);
        assertEquals(List.of(10L, 20L, 33L, 43L), firings(Trigger.everyIterations(10), ends));
        assertEquals(List.of(5L, 10L, 15L, 20L, 23L, 28L, 33L, 38L, 43L, 46L), firings(Trigger.everyIterations(1),
                ends));
        assertEquals(List.of(), firings(Trigger.everyIterations(0), ends), "0 is off");
    }

    @Test
    void everyEpochsFiresAtTheLastRoundOfEveryNthEpoch() {
        List<RoundEnd> ends = rounds(4, 7, 3);
        assertEquals(List.of(7L, 14L, 21L, 28L), firings(Trigger.everyEpoch(), ends));
        assertEquals(List.of(14L, 28L), firings(Trigger.everyEpochs(2), ends));
        assertEquals(List.of(), firings(Trigger.everyEpochs(0), ends), "0 is off");
    }

    @Test
    void triggersCompose() {
        List<RoundEnd> ends = rounds(2, 23, 5);
        Trigger evaluate = Trigger.everyIterations(10).or(Trigger.everyEpoch());
        assertEquals(List.of(10L, 20L, 23L, 33L, 43L, 46L), firings(evaluate, ends));
        assertEquals(List.of(46L), firings(Trigger.everyEpoch().and(Trigger.everyEpochs(2)), ends));
        assertEquals(List.of(), firings(Trigger.never().and(Trigger.everyEpoch()), ends));
    }

    @Test
    void aResumedRunFiresWhereTheUninterruptedOneDid() {
        List<RoundEnd> whole = rounds(2, 23, 5);
        Trigger t = Trigger.everyIterations(7).or(Trigger.everyEpochs(2));
        // Stop after the round that ends at iteration 28 (mid epoch 2), snapshot, resume, carry on.
        TrainingState first = TrainingState.fresh(23);
        List<RoundEnd> ends = new ArrayList<>();
        for (; first.epoch() <= 2 && first.iteration() < 28; ) {
            int n = Math.min(23 - first.stepsDoneInEpoch(), 5);
            ends.add(first.roundTrained(n, n * 10, 1, 1.0));
            if (first.epochDone()) {
                first.startNextEpoch();
            }
        }
        TrainingProgress saved = first.snapshot(7, 0);
        assertEquals(35, saved.nextEval(), "the next multiple of 7 after 28");
        assertEquals(Long.MAX_VALUE, saved.nextCheckpoint(), "off");
        TrainingState resumed = TrainingState.resume(saved, 23);
        for (; resumed.epoch() <= 2; resumed.startNextEpoch()) {
            while (!resumed.epochDone()) {
                int n = Math.min(23 - resumed.stepsDoneInEpoch(), 5);
                ends.add(resumed.roundTrained(n, n * 10, 1, 1.0));
            }
        }
        assertEquals(whole.stream().map(RoundEnd::iteration).toList(), ends.stream().map(RoundEnd::iteration).toList());
        assertEquals(firings(t, whole), firings(t, ends));
    }

    @Test
    void aCheckpointThatClosedItsEpochResumesAtTheNextEpochsStart() {
        TrainingState s = TrainingState.fresh(10);
        s.roundTrained(10, 100, 2_000_000_000L, 1.0);
        assertTrue(s.epochDone());
        TrainingProgress p = s.snapshot(0, 0);
        assertEquals(1, p.epoch());
        assertEquals(10, p.stepsDoneInEpoch());
        TrainingState resumed = TrainingState.resume(p, 10);
        assertEquals(2, resumed.epoch());
        assertEquals(0, resumed.stepsDoneInEpoch());
        assertFalse(resumed.epochDone());
        assertEquals(0, resumed.epochImages());
        assertEquals(100, resumed.imagesTrained());
        assertEquals(2.0, resumed.trainSeconds(), 1e-9);
    }
}
