package io.fashionspark.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The rounds of the next segment: from where the run stands to the first round after which a listener needs the
 * model, at the latest the epoch's end. Rounds are a function of the iteration reached ({@link RoundRecipe}), so
 * the plan is the rounds the loop would have run one at a time.
 */
final class SegmentPlan {
    private SegmentPlan() {
    }

    static List<ReplicaExchange.PlannedRound> next(TrainingState state, RoundRecipe recipe, Trigger modelNeeded) {
        List<ReplicaExchange.PlannedRound> rounds = new ArrayList<>();
        int done = state.stepsDoneInEpoch();
        long iteration = state.iteration();
        while (done < state.stepsPerEpoch()) {
            int steps = recipe.stepsOfRound(iteration, state.stepsPerEpoch() - done);
            rounds.add(new ReplicaExchange.PlannedRound(done, done + steps, iteration));
            boolean needed = modelNeeded.firesAt(state.preview(done, iteration, steps));
            done += steps;
            iteration += steps;
            if (needed) {
                break;
            }
        }
        return rounds;
    }
}
