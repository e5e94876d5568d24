package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fashionspark.model.ModelKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FLOP counts against hand-computed multiply-adds of the layers in MODELS.md. */
class FlopCounterTest {
    @Test
    void fashionDnnIsItsThreeDenseLayers() {
        FlopCounter.Count c = FlopCounter.count(ModelKind.DNN);
        assertEquals(List.of(new FlopCounter.LayerMacs("fc1", "DenseLayer", 784 * 256),
                new FlopCounter.LayerMacs("fc2", "DenseLayer", 256 * 128),
                new FlopCounter.LayerMacs("fc3", "OutputLayer", 128 * 10)), c.layers());
        // 234,752: the DNN's weight count in MODELS.md, as a dense layer does one MAC per weight per image.
        assertEquals(234_752, c.forwardMacs());
        assertEquals(2 * 234_752, c.forwardFlops());
        assertEquals(6 * 234_752, c.trainingFlops());
    }

    @Test
    void fashionCnnCountsConvolutionsPerOutputPosition() {
        FlopCounter.Count c = FlopCounter.count(ModelKind.CNN);
        long conv1 = 28L * 28 * 32 * 3 * 3 * 1;   // padding 1 keeps 28x28
        long conv2 = 12L * 12 * 64 * 3 * 3 * 32;  // 14x14 after the pool, no padding: 12x12
        long fc1 = 64L * 6 * 6 * 600;
        long fc2 = 600L * 120;
        long fc3 = 120L * 10;
        assertEquals(List.of(new FlopCounter.LayerMacs("conv1", "NarrowInputConvolutionLayer", conv1),
                new FlopCounter.LayerMacs("conv2", "ConvolutionLayer", conv2),
                new FlopCounter.LayerMacs("fc1", "LinearDenseLayer", fc1),
                new FlopCounter.LayerMacs("fc2", "LinearDenseLayer", fc2),
                new FlopCounter.LayerMacs("fc3", "OutputLayer", fc3)), c.layers());
        assertEquals(4_335_600, c.forwardMacs());
        assertEquals(3 * 2 * 4_335_600L, c.trainingFlops());
    }

    @Test
    void lenetCountsItsPaddedFirstConvolution() {
        FlopCounter.Count c = FlopCounter.count(ModelKind.LENET);
        long expected = 28L * 28 * 6 * 5 * 5 * 1 + 10L * 10 * 16 * 5 * 5 * 6 + 400 * 120 + 120 * 84 + 84 * 10;
        assertEquals(expected, c.forwardMacs());
    }
}
