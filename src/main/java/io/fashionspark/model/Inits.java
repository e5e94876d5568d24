package io.fashionspark.model;

import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;

/** Weight initialisation shared by the models. */
final class Inits {
    private Inits() {
    }

    /**
     * PyTorch's default for Linear and Conv2d (kaiming_uniform with a = sqrt(5)) is U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
     * Using it keeps the reference notes' training dynamics; DL4J's own defaults differ.
     */
    static IWeightInit torchDefault(long fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return new WeightInitDistribution(new UniformDistribution(-bound, bound));
    }
}
