package io.fashionspark.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Saves the averaged model with its updater state and the run's progress; called between averaging rounds. */
@FunctionalInterface
public interface CheckpointWriter {
    CheckpointWriter NONE = (model, progress) -> { };

    void write(MultiLayerNetwork model, TrainingProgress progress);
}
