package io.fashionspark.kernels;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network-side layer of {@link LinearDenseLayer}: DL4J's dense layer, whose backward pass, for the identity
 * activation, takes the incoming gradient as delta instead of recomputing x W + b to differentiate the identity.
 * The rest is DL4J M2.1's {@code BaseLayer.backpropGradient} step for step, so the gradients are the same. Cases that
 * read the recomputed product or the input again (a mask, layer norm, weight noise, dropout on the layer's input)
 * keep DL4J's own path.
 */
final class LinearDenseLayerImpl extends DenseLayer {

    LinearDenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!(layerConf().getActivationFn() instanceof ActivationIdentity) || maskArray != null || hasLayerNorm()
                || layerConf().getWeightNoise() != null || layerConf().getIDropout() != null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray delta = epsilon; // d identity(z) / dz = 1

        Gradient gradient = new DefaultGradient();
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            delta.sum(biasGrad, 0);
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);
        }
        INDArray weights = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[] {weights.size(0), delta.size(0)}, 'f');
        epsilonNext = weights.mmuli(delta.transpose(), epsilonNext).transpose();

        INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        Nd4j.gemm(input.castTo(weightGrad.dataType()), delta, weightGrad, true, false, 1.0, 0.0);
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);

        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
    }
}
