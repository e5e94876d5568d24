package io.fashionspark.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Saves the averaged model with its updater state and the run's counters when its trigger fires. */
final class Checkpointing implements TrainingListener {
    private final Trigger when;
    private final CheckpointWriter writer;
    private final TrainingState state;
    private final int evalEvery;
    private final int checkpointEvery;

    Checkpointing(Trigger when, CheckpointWriter writer, TrainingState state, int evalEvery, int checkpointEvery) {
        this.when = when;
        this.writer = writer;
        this.state = state;
        this.evalEvery = evalEvery;
        this.checkpointEvery = checkpointEvery;
    }

    @Override
    public void onRoundEnd(RoundEnd end, MultiLayerNetwork averaged) {
        if (when.firesAt(end)) {
            writer.write(averaged, state.snapshot(evalEvery, checkpointEvery));
        }
    }
}
