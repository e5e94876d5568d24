package io.fashionspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The in-place ReLU computes exactly what DL4J's ReLU computes, forward and backward, zeros included. */
class InPlaceReluTest {

    @Test
    void sameValuesAndGradientsAsDl4jsRelu() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 5, 5, 3);
        // Exact zeros and ties: the gradient at 0 must be DL4J's (0).
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(0.0);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, 4, 5, 5, 3);

        INDArray expectedOut = new ActivationReLU().getActivation(x.dup(), true);
        INDArray expectedGrad = new ActivationReLU().backprop(x.dup(), epsilon.dup()).getFirst();
        INDArray out = new InPlaceRelu().getActivation(x.dup(), true);
        INDArray grad = new InPlaceRelu().backprop(x.dup(), epsilon.dup()).getFirst();

        assertEquals(expectedOut, out);
        assertEquals(expectedGrad, grad);
        assertEquals(0.0, grad.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).amaxNumber().doubleValue());
    }

    @Test
    void printsAndComparesAsOneReluDoes() {
        assertEquals("relu", new InPlaceRelu().toString());
        assertEquals(new InPlaceRelu(), new InPlaceRelu());
        assertEquals(new InPlaceRelu().hashCode(), new InPlaceRelu().hashCode());
    }
}
