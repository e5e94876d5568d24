package io.fashionspark.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Block-wise model-update filtering (BMUF, Chen and Huo 2016) on the driver. Each round the workers start from
 * {@code S} and the driver averages their parameters into {@code A}; the round's change {@code G = A - S} goes
 * through a global momentum: {@code D = m D + r G}, and the model becomes {@code W + D} where {@code W} is the model
 * before the round. With Nesterov momentum the workers start from the look-ahead point {@code S = W + m D}.
 *
 * <p>The new model is computed as {@code A + m D_old + (r - 1) G} (classic) or {@code A + (r - 1) G} (Nesterov),
 * which equal {@code W + D} but add exact zeros when {@code m = 0} and {@code r = 1}: the filter then leaves the
 * average bit for bit as plain averaging made it, where {@code W + (A - W)} would round differently.
 * Adam's moment estimates are averaged as before and not filtered.
 */
final class BlockMomentum {
    private final double momentum;
    private final double rate;
    private final boolean nesterov;
    /** D: the filtered change of the last round; zeros before the first. */
    private INDArray delta;
    /** S: where this round's workers started. */
    private INDArray start;

    BlockMomentum(double momentum, double rate, boolean nesterov, INDArray state) {
        this.momentum = momentum;
        this.rate = rate;
        this.nesterov = nesterov;
        this.delta = state == null ? null : state.dup();
    }

    /** Records the round's start and, with Nesterov momentum, moves the network to the look-ahead point. */
    void beforeRound(MultiLayerNetwork network) {
        INDArray params = network.params();
        if (delta == null) {
            delta = params.ulike();
        } else if (!java.util.Arrays.equals(delta.shape(), params.shape())) {
            throw new IllegalStateException("the checkpoint's block momentum has shape "
                    + java.util.Arrays.toString(delta.shape()) + ", the model's parameters "
                    + java.util.Arrays.toString(params.shape()));
        }
        if (nesterov) {
            network.setParams(params.add(delta.mul(momentum)));
        }
        start = network.params().dup();
    }

    /** Replaces the network's averaged parameters with the filtered model. */
    void afterRound(MultiLayerNetwork network) {
        INDArray average = network.params().dup();
        INDArray change = average.sub(start);
        INDArray model = average.add(change.mul(rate - 1));
        if (!nesterov) {
            model.addi(delta.mul(momentum));
        }
        delta = delta.muli(momentum).addi(change.muli(rate));
        network.setParams(model);
        start = null;
    }

    /** D, for checkpoints: with the model's parameters it is all a resumed run needs. */
    INDArray state() {
        return delta;
    }
}
