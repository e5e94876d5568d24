package io.fashionspark.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fashionspark.model.ModelKind;
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
    void aSavedFashionCnnLoadsWithItsReluLayers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork cnn = ModelKind.CNN.factory().create(1, 1e-3);
        java.io.File file = dir.resolve("cnn.zip").toFile();
        org.deeplearning4j.util.ModelSerializer.writeModel(cnn, file, true);
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork loaded =
                org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(cnn.getLayerWiseConfigurations(), loaded.getLayerWiseConfigurations());
        long relus = java.util.Arrays.stream(loaded.getLayers())
                .map(l -> l.conf().getLayer())
                .filter(l -> l instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer a
                        && a.getActivationFn() instanceof InPlaceRelu)
                .count();
        assertEquals(2, relus);
    }

    @Test
    void printsAndComparesAsOneReluDoes() {
        assertEquals("relu", new InPlaceRelu().toString());
        assertEquals(new InPlaceRelu(), new InPlaceRelu());
        assertEquals(new InPlaceRelu().hashCode(), new InPlaceRelu().hashCode());
    }
}
