package io.fashionspark.train;

/**
 * One worker's loss on one minibatch, as an exchange brings it to the driver.
 *
 * @param timestampMs when the worker fitted it
 * @param worker      the worker (its shard's partition)
 * @param step        the minibatch's index within its averaging round (0-based)
 * @param loss        the loss the worker's replica reported after fitting it
 * @param examples    images in the minibatch
 */
public record WorkerLoss(long timestampMs, int worker, int step, double loss, int examples) {
}
