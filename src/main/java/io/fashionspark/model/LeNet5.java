package io.fashionspark.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** LeNet-5 {@code Net} of the notes: padding 2 on the first conv stands in for the 32x32 zero-padded input. */
public final class LeNet5 implements NetworkFactory {
    @Override
    public MultiLayerConfiguration configuration(long seed, double learningRate) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nIn(1).nOut(6).padding(2, 2)
                        .dataFormat(FashionCnn.FORMAT).activation(Activation.IDENTITY)
                        .weightInit(Inits.torchDefault(25)).build())
                .layer(relu("relu1"))
                .layer(pool("pool1"))
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(16)
                        .dataFormat(FashionCnn.FORMAT).activation(Activation.IDENTITY)
                        .weightInit(Inits.torchDefault(6 * 25)).build())
                .layer(relu("relu2"))
                .layer(pool("pool2"))
                .layer(new DenseLayer.Builder().name("fc1").nOut(120).activation(Activation.RELU)
                        .weightInit(Inits.torchDefault(400)).build())
                .layer(new DenseLayer.Builder().name("fc2").nOut(84).activation(Activation.RELU)
                        .weightInit(Inits.torchDefault(120)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("fc3").nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(Inits.torchDefault(84)).build())
                .setInputType(inputType())
                .build();
    }

    /**
     * ReLU as its own layer, not fused into the convolution: DL4J M2.1's oneDNN convolution helper produced NaN
     * losses and native crashes with a fused ReLU here (measured; separate layers train correctly).
     */
    private static ActivationLayer relu(String name) {
        return new ActivationLayer.Builder().name(name).activation(Activation.RELU).build();
    }

    private static SubsamplingLayer pool(String name) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name(name)
                .kernelSize(2, 2).stride(2, 2).dataFormat(FashionCnn.FORMAT).build();
    }

    @Override
    public InputType inputType() {
        return InputType.convolutional(28, 28, 1, FashionCnn.FORMAT);
    }

    @Override
    public long[] exampleShape() {
        return new long[] {28, 28, 1};
    }
}
