package io.fashionspark.model;

import io.fashionspark.kernels.InPlaceRelu;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Layer pieces and initialisation shared by the models. */
public final class Layers {
    /**
     * Channels-last throughout the convolutional models: with oneDNN it trains faster than NCHW on the CPU backend.
     * For one input channel the 28x28 image bytes are the same in both layouts.
     */
    static final CNN2DFormat FORMAT = CNN2DFormat.NHWC;

    private Layers() {
    }

    /**
     * PyTorch's default for Linear and Conv2d (kaiming_uniform with a = sqrt(5)) is U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
     * Using it keeps the reference PyTorch models' training dynamics; DL4J's own defaults differ.
     */
    public static IWeightInit torchDefault(long fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return new WeightInitDistribution(new UniformDistribution(-bound, bound));
    }

    /**
     * PyTorch's default bias of Linear and Conv2d: uniform in +-1/sqrt(fanIn), the weights' fan-in (the weight count
     * over the output count). Layers without both weights and biases (batch norm, pooling) keep DL4J's values.
     */
    static void torchDefaultBiases(MultiLayerNetwork net, long seed) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            Map<String, INDArray> params = layer.paramTable();
            INDArray w = params.get(DefaultParamInitializer.WEIGHT_KEY);
            INDArray b = params.get(DefaultParamInitializer.BIAS_KEY);
            if (w == null || b == null || b.length() == 0) {
                continue;
            }
            double bound = 1.0 / Math.sqrt((double) w.length() / b.length());
            float[] values = new float[(int) b.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            b.assign(Nd4j.create(values, b.shape(), b.ordering()));
        }
    }

    /**
     * ReLU as its own layer, never fused into a convolution: with DL4J M2.1's oneDNN helpers on, a convolution with
     * a fused ReLU gave NaN losses and native crashes (LeNet-5, measured); as separate layers it trains correctly.
     * {@link InPlaceRelu} because DL4J's ReLU gradient is slow on activations this large.
     */
    static ActivationLayer relu(String name) {
        return new ActivationLayer.Builder().name(name).activation(new InPlaceRelu()).build();
    }

    /** 2x2 max pooling with stride 2 (the reference's MaxPool2d(2)). */
    static SubsamplingLayer maxPool(String name) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name(name)
                .kernelSize(2, 2).stride(2, 2).dataFormat(FORMAT).build();
    }
}
