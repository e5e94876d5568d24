package io.fashionspark.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves the model with its updater state, the recipe's block momentum (null when it has none) and the run's
 * progress; called between averaging rounds.
 */
@FunctionalInterface
public interface CheckpointWriter {
    CheckpointWriter NONE = (model, blockMomentum, progress) -> { };

    void write(MultiLayerNetwork model, INDArray blockMomentum, TrainingProgress progress);
}
