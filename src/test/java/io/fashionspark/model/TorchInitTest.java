package io.fashionspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** New networks start as the reference PyTorch modules do, and the seed alone decides the start. */
class TorchInitTest {

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void weightsAndBiasesAreUniformWithinOneOverRootFanIn(ModelKind kind) {
        MultiLayerNetwork net = kind.factory().create(3, 1e-3);
        int checked = 0;
        for (Layer layer : net.getLayers()) {
            INDArray w = layer.paramTable().get(DefaultParamInitializer.WEIGHT_KEY);
            INDArray b = layer.paramTable().get(DefaultParamInitializer.BIAS_KEY);
            if (w == null || b == null) {
                continue;
            }
            // The bound as a float (the parameters are floats).
            double bound = (float) (1.0 / Math.sqrt((double) w.length() / b.length())) * (1 + 1e-6);
            assertTrue(b.amaxNumber().doubleValue() <= bound, "bias beyond the bound in layer " + layer.getIndex());
            assertTrue(w.amaxNumber().doubleValue() <= bound, "weight beyond the bound in layer " + layer.getIndex());
            // Spread over the range, not all zero (DL4J's default bias) nor constant.
            assertTrue(b.stdNumber().doubleValue() > bound / 4, "biases not spread in layer " + layer.getIndex());
            checked++;
        }
        assertTrue(checked >= 3, "layers with weights and biases: " + checked);
    }

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void theSameSeedGivesTheSameStartAndAnotherSeedAnother(ModelKind kind) {
        float[] a = kind.factory().create(7, 1e-3).params().data().asFloat();
        float[] b = kind.factory().create(7, 1e-3).params().data().asFloat();
        float[] c = kind.factory().create(8, 1e-3).params().data().asFloat();
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c));
    }
}
