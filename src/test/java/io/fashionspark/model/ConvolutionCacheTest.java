package io.fashionspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The convolutional models keep each convolution's forward output for backprop (DL4J's cache mode) instead of
 * computing it again: same loss and same gradients as without the cache, to the bit.
 */
class ConvolutionCacheTest {

    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"CNN", "LENET"})
    void cachedForwardOutputsGiveTheGradientsOfRecomputedOnes(ModelKind kind) {
        MultiLayerConfiguration cached = kind.factory().configuration(5, 1e-3);
        assertEquals(CacheMode.DEVICE, cached.getCacheMode());
        MultiLayerConfiguration recomputed = cached.clone();
        recomputed.setCacheMode(CacheMode.NONE);
        recomputed.getConfs().forEach(c -> c.setCacheMode(CacheMode.NONE));

        Nd4j.getRandom().setSeed(9);
        INDArray features = Nd4j.rand(DataType.FLOAT, 16, 28, 28, 1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, 10);
        for (int i = 0; i < 16; i++) {
            labels.putScalar(i, i % 10, 1.0);
        }
        Map<String, INDArray> a = gradients(cached, features, labels);
        Map<String, INDArray> b = gradients(recomputed, features, labels);
        assertEquals(b.keySet(), a.keySet());
        for (String key : a.keySet()) {
            assertEquals(b.get(key), a.get(key), key);
        }
    }

    private static Map<String, INDArray> gradients(MultiLayerConfiguration conf, INDArray features,
                                                   INDArray labels) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // The same dropout masks for both networks.
        Nd4j.getRandom().setSeed(11);
        net.setInput(features);
        net.setLabels(labels);
        net.computeGradientAndScore();
        Map<String, INDArray> out = new java.util.TreeMap<>();
        net.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }
}
