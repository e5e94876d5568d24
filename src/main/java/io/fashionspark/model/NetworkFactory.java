package io.fashionspark.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Builds one network architecture. Model definitions know nothing of Spark or of the data source. */
public interface NetworkFactory {
    /** The architecture for this seed and Adam learning rate. */
    MultiLayerConfiguration configuration(long seed, double learningRate);

    /**
     * A new network of this architecture, initialised as the reference PyTorch modules are (docs/models.md): weights and
     * biases of every dense and convolution layer uniform in +-1/sqrt(fan-in) (DL4J would start the biases at 0).
     */
    default MultiLayerNetwork create(long seed, double learningRate) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(seed, learningRate));
        net.init();
        Layers.torchDefaultBiases(net, seed);
        return net;
    }

    /** What the first layer takes. */
    InputType inputType();

    /** Shape of one example's features as the network takes them (without the minibatch dimension). */
    long[] exampleShape();
}
