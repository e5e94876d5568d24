package io.fashionspark.model;

import io.fashionspark.kernels.NarrowInputConvolutionLayer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** LeNet-5 (docs/models.md): padding 2 on the first conv stands in for the 32x32 zero-padded input. */
public final class LeNet5 implements NetworkFactory {
    @Override
    public MultiLayerConfiguration configuration(long seed, double learningRate) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .convolutionMode(ConvolutionMode.Truncate)
                // As FashionCNN: convolutions keep their forward output for backprop (see there).
                .cacheMode(CacheMode.DEVICE)
                .list()
                // As FashionCNN's first convolution: backward pass on our kernels (see NarrowInputConvolutionLayer).
                .layer(NarrowInputConvolutionLayer.of(new ConvolutionLayer.Builder(5, 5).name("conv1").nIn(1).nOut(6)
                        .padding(2, 2).dataFormat(Layers.FORMAT).activation(Activation.IDENTITY)
                        .weightInit(Layers.torchDefault(25))))
                .layer(Layers.relu("relu1"))
                .layer(Layers.maxPool("pool1"))
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(16)
                        .dataFormat(Layers.FORMAT).activation(Activation.IDENTITY)
                        .weightInit(Layers.torchDefault(6 * 25)).build())
                .layer(Layers.relu("relu2"))
                .layer(Layers.maxPool("pool2"))
                .layer(new DenseLayer.Builder().name("fc1").nOut(120).activation(Activation.RELU)
                        .weightInit(Layers.torchDefault(400)).build())
                .layer(new DenseLayer.Builder().name("fc2").nOut(84).activation(Activation.RELU)
                        .weightInit(Layers.torchDefault(120)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("fc3").nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(Layers.torchDefault(84)).build())
                .setInputType(inputType())
                .build();
    }

    @Override
    public InputType inputType() {
        return InputType.convolutional(28, 28, 1, Layers.FORMAT);
    }

    @Override
    public long[] exampleShape() {
        return new long[] {28, 28, 1};
    }
}
