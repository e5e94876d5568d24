package io.fashionspark.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.model.ModelKind;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The backward pass of a convolution over few input channels, on the project's kernels, gives what DL4J's own
 * (oneDNN) gives: weight, bias and input gradients, for paddings, strides and channel counts around FashionCNN's
 * and LeNet-5's first layers; their first convolutions use it and their second do not; saved models keep it.
 */
class NarrowInputConvolutionTest {
    private static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    @ParameterizedTest(name = "{0} channels, {1}x{2} kernel, stride {3}, padding {4}, oneDNN {5}")
    @CsvSource({"1, 3, 3, 1, 1, true", "1, 3, 3, 1, 1, false", "3, 3, 3, 1, 1, true", "2, 5, 3, 2, 0, true",
        "2, 5, 3, 2, 0, false", "1, 5, 5, 1, 2, true", "4, 2, 2, 2, 1, false"})
    void gradientsMatchDl4jsConvolution(int channels, int kH, int kW, int stride, int pad, boolean oneDnn) {
        // DL4J's oneDNN helpers or its built-in code, for both networks: the reference, and our forward pass.
        String before = System.setProperty(HELPERS_DISABLE, Boolean.toString(!oneDnn));
        MultiLayerNetwork ours;
        MultiLayerNetwork theirs;
        try {
            ours = network(true, channels, kH, kW, stride, pad, true);
            theirs = network(false, channels, kH, kW, stride, pad, true);
        } finally {
            restore(before);
        }
        assertInstanceOf(NarrowInputConvolutionHelper.class, ours.getLayer(0).getHelper());
        assertEquals(oneDnn, theirs.getLayer(0).getHelper() instanceof MKLDNNConvHelper);
        theirs.setParams(ours.params().dup());

        Nd4j.getRandom().setSeed(21);
        INDArray features = Nd4j.randn(DataType.FLOAT, 6, 9, 11, channels);
        INDArray labels = ModelTestSupport.oneHotLabels(6, 4);
        Pair<Gradient, INDArray> expected = theirs.calculateGradients(features, labels, null, null);
        Pair<Gradient, INDArray> actual = ours.calculateGradients(features, labels, null, null);

        Map<String, INDArray> want = expected.getFirst().gradientForVariable();
        assertEquals(want.keySet(), actual.getFirst().gradientForVariable().keySet());
        for (Map.Entry<String, INDArray> e : want.entrySet()) {
            assertClose(e.getValue(), actual.getFirst().getGradientFor(e.getKey()), "gradient of " + e.getKey());
        }
        assertClose(expected.getSecond(), actual.getSecond(), "input gradient");
    }

    @Test
    void withoutBiasOnlyTheWeightsGetAGradient() {
        MultiLayerNetwork ours = network(true, 1, 3, 3, 1, 1, false);
        MultiLayerNetwork theirs = network(false, 1, 3, 3, 1, 1, false);
        theirs.setParams(ours.params().dup());
        INDArray features = Nd4j.rand(DataType.FLOAT, 4, 9, 11, 1);
        INDArray labels = ModelTestSupport.oneHotLabels(4, 4);
        Gradient expected = theirs.calculateGradients(features, labels, null, null).getFirst();
        Gradient actual = ours.calculateGradients(features, labels, null, null).getFirst();
        assertEquals(expected.gradientForVariable().keySet(), actual.gradientForVariable().keySet());
        assertClose(expected.getGradientFor("0_W"), actual.getGradientFor("0_W"), "weight gradient");
    }

    @Test
    void trainingStepsFollowDl4jsConvolution() {
        MultiLayerNetwork ours = network(true, 1, 3, 3, 1, 1, true);
        MultiLayerNetwork theirs = network(false, 1, 3, 3, 1, 1, true);
        theirs.setParams(ours.params().dup());
        Nd4j.getRandom().setSeed(4);
        for (int step = 0; step < 3; step++) {
            INDArray features = Nd4j.rand(DataType.FLOAT, 8, 9, 11, 1);
            ours.fit(features, ModelTestSupport.oneHotLabels(8, 4));
            theirs.fit(features, ModelTestSupport.oneHotLabels(8, 4));
        }
        assertClose(theirs.params(), ours.params(), "parameters after 3 steps");
    }

    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"CNN", "LENET"})
    void theConvolutionalModelsUseItForTheImageOnly(ModelKind kind) {
        MultiLayerNetwork net = kind.factory().create(1, 1e-3);
        assertInstanceOf(NarrowInputConvolutionHelper.class, net.getLayer("conv1").getHelper());
        assertFalse(net.getLayer("conv2").getHelper() instanceof NarrowInputConvolutionHelper);
    }

    @Test
    void savedAndLoadedModelsKeepIt(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = network(true, 1, 3, 3, 1, 1, true);
        MultiLayerNetwork loaded = ModelTestSupport.saveAndLoad(net, dir);
        assertInstanceOf(NarrowInputConvolutionLayer.class, loaded.getLayer(0).conf().getLayer());
        assertInstanceOf(NarrowInputConvolutionHelper.class, loaded.getLayer(0).getHelper());
        assertEquals(net.getLayerWiseConfigurations(), loaded.getLayerWiseConfigurations());
    }

    private static void restore(String helpersDisable) {
        if (helpersDisable == null) {
            System.clearProperty(HELPERS_DISABLE);
        } else {
            System.setProperty(HELPERS_DISABLE, helpersDisable);
        }
    }

    private static MultiLayerNetwork network(boolean ourKernels, int channels, int kH, int kW, int stride, int pad,
            boolean bias) {
        ConvolutionLayer.Builder conv = new ConvolutionLayer.Builder(kH, kW).nIn(channels).nOut(5).hasBias(bias)
                .stride(stride, stride).padding(pad, pad).dataFormat(CNN2DFormat.NHWC)
                .activation(Activation.IDENTITY);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(13)
                .updater(new Sgd(0.1))
                .convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(ourKernels ? NarrowInputConvolutionLayer.of(conv) : conv.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(9, 11, channels, CNN2DFormat.NHWC))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()), what + ": shapes differ");
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": max difference " + diff + " at scale " + scale);
    }
}
