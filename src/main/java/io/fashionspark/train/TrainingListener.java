package io.fashionspark.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Hangs off the training loop; each does one job (metrics, divergence check, evaluation, checkpoints). Called on
 * the driver, in the order given to the trainer, after every averaging round.
 */
@FunctionalInterface
public interface TrainingListener {
    /**
     * @param end      the round that has just ended
     * @param averaged the averaged model after it (with its updater state); do not modify it
     */
    void onRoundEnd(RoundEnd end, MultiLayerNetwork averaged);
}
