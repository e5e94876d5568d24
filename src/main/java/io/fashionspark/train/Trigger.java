package io.fashionspark.train;

/**
 * When something happens at the end of an averaging round (a test evaluation, a checkpoint): a small composable
 * condition on the round that just ended, instead of counters advanced by hand in the loop. Triggers hold no
 * state, so a resumed run fires exactly where the uninterrupted run would have.
 */
@FunctionalInterface
public interface Trigger {
    boolean firesAt(RoundEnd end);

    /** Never fires. */
    static Trigger never() {
        return end -> false;
    }

    /**
     * Fires at the end of each round that reaches or passes a multiple of {@code iterations} (rounds span several
     * iterations, so the multiple itself may fall inside one). 0 or less: never.
     */
    static Trigger everyIterations(long iterations) {
        if (iterations <= 0) {
            return never();
        }
        return end -> end.iteration() / iterations > end.iterationBefore() / iterations;
    }

    /** Fires at the end of every {@code epochs}-th epoch. 0 or less: never. */
    static Trigger everyEpochs(int epochs) {
        if (epochs <= 0) {
            return never();
        }
        return end -> end.epochDone() && end.epoch() % epochs == 0;
    }

    /** Fires at the end of every epoch. */
    static Trigger everyEpoch() {
        return everyEpochs(1);
    }

    default Trigger or(Trigger other) {
        return end -> firesAt(end) || other.firesAt(end);
    }

    default Trigger and(Trigger other) {
        return end -> firesAt(end) && other.firesAt(end);
    }

    /**
     * The first iteration after {@code iteration} at which {@link #everyIterations} with this period would fire:
     * what a checkpoint records of its schedule. {@link Long#MAX_VALUE} for a period of 0 or less.
     */
    static long nextMultiple(long iteration, long period) {
        return period <= 0 ? Long.MAX_VALUE : (iteration / period + 1) * period;
    }
}
