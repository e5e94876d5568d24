package io.fashionspark.model;

import io.fashionspark.kernels.ChannelsLastBatchNormalization;
import io.fashionspark.kernels.LinearDenseLayer;
import io.fashionspark.kernels.NarrowInputConvolutionLayer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * FashionCNN (docs/models.md): two conv/batch-norm/ReLU/max-pool blocks, then 2304-600-(dropout)-120-10.
 */
public final class FashionCnn implements NetworkFactory {
    /** PyTorch's BatchNorm2d momentum 0.1 is DL4J's decay 0.9; eps as PyTorch's. */
    private static final double BN_DECAY = 0.9;
    private static final double BN_EPS = 1e-5;

    @Override
    public MultiLayerConfiguration configuration(long seed, double learningRate) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .convolutionMode(ConvolutionMode.Truncate)
                // Convolutions keep their forward output for backprop instead of computing it again there (DL4J
                // recomputes it to take the activation's derivative, which for these identity activations is 1).
                .cacheMode(CacheMode.DEVICE)
                .list()
                // Its backward pass on our kernels: oneDNN's is slow for a one-channel input.
                .layer(NarrowInputConvolutionLayer.of(new ConvolutionLayer.Builder(3, 3).name("conv1").nIn(1).nOut(32)
                        .stride(1, 1).padding(1, 1).dataFormat(Layers.FORMAT).activation(Activation.IDENTITY)
                        .weightInit(Layers.torchDefault(9))))
                .layer(batchNorm("bn1"))
                .layer(Layers.relu("relu1"))
                .layer(Layers.maxPool("pool1"))
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(64).stride(1, 1).padding(0, 0)
                        .dataFormat(Layers.FORMAT).activation(Activation.IDENTITY)
                        .weightInit(Layers.torchDefault(32 * 9)).build())
                .layer(batchNorm("bn2"))
                .layer(Layers.relu("relu2"))
                .layer(Layers.maxPool("pool2"))
                // The original has no activation on fc1 and fc2; kept as in the reference (and their backward pass then
                // needs no second forward product, see LinearDenseLayer).
                .layer(LinearDenseLayer.of(new DenseLayer.Builder().name("fc1").nOut(600)
                        .activation(Activation.IDENTITY).weightInit(Layers.torchDefault(64 * 6 * 6))))
                .layer(new DropoutLayer.Builder(FashionDnn.KEEP_PROBABILITY).name("drop").build())
                .layer(LinearDenseLayer.of(new DenseLayer.Builder().name("fc2").nOut(120)
                        .activation(Activation.IDENTITY).weightInit(Layers.torchDefault(600))))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("fc3").nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(Layers.torchDefault(120)).build())
                .setInputType(inputType())
                .build();
    }

    /** DL4J's batch norm layer with this project's CPU kernels (see {@link ChannelsLastBatchNormalization}). */
    private static BatchNormalization batchNorm(String name) {
        BatchNormalization layer = new ChannelsLastBatchNormalization();
        layer.setLayerName(name);
        layer.setDecay(BN_DECAY);
        layer.setEps(BN_EPS);
        layer.setCnn2DFormat(Layers.FORMAT);
        return layer;
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
