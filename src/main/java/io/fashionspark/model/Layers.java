package io.fashionspark.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;

/** Layer pieces and initialisation shared by the models. */
final class Layers {
    /**
     * Channels-last throughout the convolutional models: with oneDNN it trains faster than NCHW on the CPU backend.
     * For one input channel the 28x28 image bytes are the same in both layouts.
     */
    static final CNN2DFormat FORMAT = CNN2DFormat.NHWC;

    private Layers() {
    }

    /**
     * PyTorch's default for Linear and Conv2d (kaiming_uniform with a = sqrt(5)) is U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
     * Using it keeps the reference notes' training dynamics; DL4J's own defaults differ.
     */
    static IWeightInit torchDefault(long fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return new WeightInitDistribution(new UniformDistribution(-bound, bound));
    }

    /**
     * ReLU as its own layer, never fused into a convolution: with DL4J M2.1's oneDNN helpers on, a convolution with
     * a fused ReLU gave NaN losses and native crashes (LeNet-5, measured); as separate layers it trains correctly.
     */
    static ActivationLayer relu(String name) {
        return new ActivationLayer.Builder().name(name).activation(Activation.RELU).build();
    }

    /** 2x2 max pooling with stride 2 (MaxPool2d(2) of the notes). */
    static SubsamplingLayer maxPool(String name) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name(name)
                .kernelSize(2, 2).stride(2, 2).dataFormat(FORMAT).build();
    }
}
