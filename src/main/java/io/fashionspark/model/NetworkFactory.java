package io.fashionspark.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** Builds one network architecture. Model definitions know nothing of Spark or of the data source. */
public interface NetworkFactory {
    /** The architecture for this seed and Adam learning rate. */
    MultiLayerConfiguration configuration(long seed, double learningRate);

    /** What the first layer takes. */
    InputType inputType();

    /** Shape of one example's features as the network takes them (without the minibatch dimension). */
    long[] exampleShape();
}
