package io.fashionspark.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Hangs off the training loop; each does one job (metrics, divergence check, evaluation, checkpoints). Called on
 * the driver, in the order given to the trainer, after every averaging round. (DL4J's {@code TrainingListener}, a
 * different thing, hangs off one network's fit: {@link WorkerLossListener} is one.)
 */
@FunctionalInterface
public interface RoundListener {
    /**
     * @param end      the round that has just ended
     * @param averaged the averaged model after it (with its updater state), at the rounds where
     *                 {@link #needsModel()} fires and at each segment's end; null at the others, where an exchange
     *                 that averages among the workers has not brought it to the driver. Do not modify it.
     */
    void onRoundEnd(RoundEnd end, MultiLayerNetwork averaged);

    /** The rounds after which this listener uses the model: the loop has the exchange hand it back there. */
    default Trigger needsModel() {
        return Trigger.never();
    }
}
