package io.fashionspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.fashionspark.model.ModelKind;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The driver's block-momentum filter on known parameters, with the averaging of a round played by hand. */
class BlockMomentumTest {
    private static MultiLayerNetwork network() {
        return ModelKind.DNN.factory().create(5, 0.001);
    }

    /** A round's average: the start moved by {@code change}. */
    private static INDArray averaged(MultiLayerNetwork net, INDArray change) {
        net.setParams(net.params().add(change));
        return net.params().dup();
    }

    @Test
    void momentumZeroAndRateOneLeaveTheAverageBitForBit() {
        for (boolean nesterov : new boolean[] {false, true}) {
            MultiLayerNetwork net = network();
            BlockMomentum filter = new BlockMomentum(0, 1, nesterov, null);
            for (int round = 0; round < 3; round++) {
                filter.beforeRound(net);
                INDArray average = averaged(net, Nd4j.randn(net.params().dataType(), net.params().shape()).muli(0.01));
                filter.afterRound(net);
                assertArrayEquals(average.toFloatVector(), net.params().toFloatVector(), 0f,
                        "nesterov " + nesterov + ", round " + round);
            }
        }
    }

    @Test
    void classicMomentumAddsTheLastChangeScaled() {
        MultiLayerNetwork net = network();
        INDArray w0 = net.params().dup();
        INDArray g1 = Nd4j.rand(net.params().dataType(), net.params().shape()).muli(0.01);
        INDArray g2 = Nd4j.rand(net.params().dataType(), net.params().shape()).muli(0.01);
        BlockMomentum filter = new BlockMomentum(0.5, 2, false, null);
        filter.beforeRound(net);
        averaged(net, g1);
        filter.afterRound(net);
        // D1 = 2 G1; W1 = W0 + D1.
        INDArray w1 = w0.add(g1.mul(2));
        assertArrayEquals(w1.toFloatVector(), net.params().toFloatVector(), 1e-6f);
        filter.beforeRound(net);
        averaged(net, g2);
        filter.afterRound(net);
        // D2 = 0.5 D1 + 2 G2; W2 = W1 + D2.
        INDArray d2 = g1.mul(2 * 0.5).add(g2.mul(2));
        assertArrayEquals(w1.add(d2).toFloatVector(), net.params().toFloatVector(), 1e-6f);
        assertArrayEquals(d2.toFloatVector(), filter.state().toFloatVector(), 1e-6f);
    }

    @Test
    void nesterovStartsFromTheLookAheadPointAndResumesFromItsState() {
        MultiLayerNetwork net = network();
        INDArray w = net.params().dup();
        INDArray d = Nd4j.rand(net.params().dataType(), net.params().shape()).muli(0.01);
        BlockMomentum filter = new BlockMomentum(0.75, 1, true, d);
        filter.beforeRound(net);
        assertArrayEquals(w.add(d.mul(0.75)).toFloatVector(), net.params().toFloatVector(), 1e-6f,
                "the workers start at W + m D");
        INDArray g = Nd4j.rand(net.params().dataType(), net.params().shape()).muli(0.01);
        averaged(net, g);
        filter.afterRound(net);
        // From the look-ahead S = W + m D the workers moved by G: D' = m D + G, W' = W + D'.
        INDArray d2 = d.mul(0.75).add(g);
        assertArrayEquals(w.add(d2).toFloatVector(), net.params().toFloatVector(), 1e-6f);
    }
}
