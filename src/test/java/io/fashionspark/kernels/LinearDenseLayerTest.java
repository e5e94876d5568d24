package io.fashionspark.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fashionspark.model.Layers;
import io.fashionspark.model.ModelKind;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A dense layer without activation whose backward pass skips DL4J's second forward product is DL4J's dense layer in
 * every other respect: the same configuration, the same gradients and training steps to the bit, and it is saved and
 * loaded as itself.
 */
class LinearDenseLayerTest {

    @Test
    void itIsDl4jsDenseLayerButForItsClass() {
        String ours = network(true).getLayerWiseConfigurations().toJson();
        String theirs = network(false).getLayerWiseConfigurations().toJson();
        assertEquals(theirs, ours.replace(LinearDenseLayer.class.getName(), DenseLayer.class.getName()));
    }

    @Test
    void gradientsAndTrainingStepsAreDl4jsToTheBit() {
        MultiLayerNetwork ours = network(true);
        MultiLayerNetwork theirs = network(false);
        assertInstanceOf(LinearDenseLayerImpl.class, ours.getLayer(0));
        assertEquals(theirs.params(), ours.params());

        Nd4j.getRandom().setSeed(3);
        INDArray features = Nd4j.randn(DataType.FLOAT, 12, 20);
        INDArray labels = ModelTestSupport.oneHotLabels(12, 4);
        Nd4j.getRandom().setSeed(5); // the same dropout masks
        Gradient want = theirs.calculateGradients(features, labels, null, null).getFirst();
        Nd4j.getRandom().setSeed(5);
        Gradient got = ours.calculateGradients(features, labels, null, null).getFirst();
        assertEquals(want.gradientForVariable().keySet(), got.gradientForVariable().keySet());
        for (Map.Entry<String, INDArray> e : want.gradientForVariable().entrySet()) {
            assertArrayEquals(values(e.getValue()), values(got.getGradientFor(e.getKey())), e.getKey());
        }

        for (int step = 0; step < 3; step++) {
            Nd4j.getRandom().setSeed(10 + step);
            theirs.fit(features, labels);
            Nd4j.getRandom().setSeed(10 + step);
            ours.fit(features, labels);
        }
        assertArrayEquals(values(theirs.params()), values(ours.params()), "parameters after 3 Adam steps");
    }

    @Test
    void anActivationOtherThanTheIdentityIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearDenseLayer.of(new DenseLayer.Builder().name("fc").nOut(3).activation(Activation.RELU)));
        assertEquals(true, e.getMessage().contains("identity"), e.getMessage());
    }

    @Test
    void fashionCnnUsesItForBothHiddenDenseLayers() {
        MultiLayerNetwork cnn = ModelKind.CNN.factory().create(1, 1e-3);
        assertInstanceOf(LinearDenseLayerImpl.class, cnn.getLayer("fc1"));
        assertInstanceOf(LinearDenseLayerImpl.class, cnn.getLayer("fc2"));
    }

    @Test
    void savedAndLoadedModelsKeepIt(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = network(true);
        MultiLayerNetwork loaded = ModelTestSupport.saveAndLoad(net, dir);
        assertInstanceOf(LinearDenseLayer.class, loaded.getLayer(0).conf().getLayer());
        assertInstanceOf(LinearDenseLayerImpl.class, loaded.getLayer(0));
        assertEquals(net.getLayerWiseConfigurations(), loaded.getLayerWiseConfigurations());
    }

    /** Two linear layers around a dropout layer, as in FashionCNN's head. */
    private static MultiLayerNetwork network(boolean ours) {
        DenseLayer.Builder first = new DenseLayer.Builder().name("a").nOut(7).activation(Activation.IDENTITY)
                .weightInit(Layers.torchDefault(20));
        DenseLayer.Builder second = new DenseLayer.Builder().name("b").nOut(5).activation(Activation.IDENTITY);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(17)
                .updater(new Adam(0.01))
                .list()
                .layer(ours ? LinearDenseLayer.of(first) : first.build())
                .layer(new DropoutLayer.Builder(0.75).name("drop").build())
                .layer(ours ? LinearDenseLayer.of(second) : second.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(20))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static float[] values(INDArray a) {
        return a.dup('c').reshape(a.length()).toFloatVector();
    }
}
