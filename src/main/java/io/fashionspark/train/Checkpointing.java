package io.fashionspark.train;

import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Saves the model with its updater state, its block momentum and the run's counters when its trigger fires. */
final class Checkpointing implements RoundListener {
    private final Trigger when;
    private final CheckpointWriter writer;
    private final TrainingState state;
    private final Supplier<INDArray> blockMomentum;
    private final int evalEvery;
    private final int checkpointEvery;

    Checkpointing(Trigger when, CheckpointWriter writer, TrainingState state, Supplier<INDArray> blockMomentum,
                  int evalEvery, int checkpointEvery) {
        this.when = when;
        this.writer = writer;
        this.state = state;
        this.blockMomentum = blockMomentum;
        this.evalEvery = evalEvery;
        this.checkpointEvery = checkpointEvery;
    }

    @Override
    public Trigger needsModel() {
        return when;
    }

    @Override
    public void onRoundEnd(RoundEnd end, MultiLayerNetwork averaged) {
        if (when.firesAt(end)) {
            writer.write(averaged, blockMomentum.get(), state.snapshot(evalEvery, checkpointEvery));
        }
    }
}
