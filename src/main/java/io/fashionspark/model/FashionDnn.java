package io.fashionspark.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** FashionDNN (docs/models.md): 784-256-(dropout 0.25)-128-10, ReLU, softmax + cross-entropy. */
public final class FashionDnn implements NetworkFactory {
    /** PyTorch's Dropout(0.25) drops a quarter; DL4J's dropout argument is the probability to KEEP. */
    static final double KEEP_PROBABILITY = 0.75;

    @Override
    public MultiLayerConfiguration configuration(long seed, double learningRate) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(784).nOut(256)
                        .activation(Activation.RELU).weightInit(Layers.torchDefault(784)).build())
                .layer(new DropoutLayer.Builder(KEEP_PROBABILITY).name("drop").build())
                .layer(new DenseLayer.Builder().name("fc2").nIn(256).nOut(128)
                        .activation(Activation.RELU).weightInit(Layers.torchDefault(256)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("fc3").nIn(128).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(Layers.torchDefault(128)).build())
                .setInputType(inputType())
                .build();
    }

    @Override
    public InputType inputType() {
        return InputType.feedForward(784);
    }

    @Override
    public long[] exampleShape() {
        return new long[] {784};
    }
}
