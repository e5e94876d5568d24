package io.fashionspark.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.model.ModelKind;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The project's batch norm kernels give what DL4J's own layer gives: activations, every gradient, and the running
 * statistics after training steps, in training and in inference; and the swap survives saving and loading.
 */
class ChannelsLastBatchNormTest {
    private static final int CHANNELS = 6;

    @Test
    void activationsGradientsAndRunningStatisticsMatchDl4jsLayer() {
        MultiLayerNetwork ours = network(true);
        MultiLayerNetwork theirs = network(false);
        assertInstanceOf(ChannelsLastBatchNormHelper.class, ours.getLayer(1).getHelper());
        assertTrue(!(theirs.getLayer(1).getHelper() instanceof ChannelsLastBatchNormHelper));

        // Gamma and beta away from 1 and 0, so that a mistake in either shows.
        INDArray start = ours.params().dup();
        Nd4j.getRandom().setSeed(5);
        start.addi(Nd4j.rand(DataType.FLOAT, start.shape()).subi(0.5));
        ours.setParams(start.dup());
        theirs.setParams(start.dup());

        DataSet batch = batch(11, 32);
        assertClose(theirs.output(batch.getFeatures(), true), ours.output(batch.getFeatures(), true), 1e-4,
                "training-mode output");

        ours.setInput(batch.getFeatures());
        ours.setLabels(batch.getLabels());
        theirs.setInput(batch.getFeatures());
        theirs.setLabels(batch.getLabels());
        ours.computeGradientAndScore();
        theirs.computeGradientAndScore();
        assertEquals(theirs.score(), ours.score(), 1e-5, "loss");
        Gradient g = ours.gradient();
        Map<String, INDArray> expected = theirs.gradient().gradientForVariable();
        assertEquals(expected.keySet(), g.gradientForVariable().keySet());
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            assertClose(e.getValue(), g.getGradientFor(e.getKey()), 1e-4, "gradient of " + e.getKey());
        }

        // Training steps move the running mean and log-std the same way, and inference then uses them the same way.
        for (int step = 0; step < 3; step++) {
            DataSet next = batch(12 + step, 32);
            ours.fit(next);
            theirs.fit(next);
        }
        assertClose(theirs.params(), ours.params(), 1e-4, "parameters after 3 steps");
        DataSet test = batch(99, 7);
        assertClose(theirs.output(test.getFeatures()), ours.output(test.getFeatures()), 1e-4, "inference output");
    }

    @Test
    void afterADenseLayerItGivesWhatDl4jGives() {
        MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
        for (int i = 0; i < 2; i++) {
            BatchNormalization bn = i == 0 ? new ChannelsLastBatchNormalization()
                    : new BatchNormalization.Builder().build();
            bn.setCnn2DFormat(CNN2DFormat.NHWC);
            nets[i] = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1)).list()
                    .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(5)
                            .activation(Activation.IDENTITY).build())
                    .layer(bn)
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.feedForward(7)).build());
            nets[i].init();
        }
        Nd4j.getRandom().setSeed(8);
        INDArray features = Nd4j.randn(DataType.FLOAT, 9, 7).muli(3).addi(1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 9, 4);
        for (int i = 0; i < 9; i++) {
            labels.putScalar(i, i % 4, 1.0);
        }
        for (MultiLayerNetwork net : nets) {
            net.fit(new DataSet(features, labels));
        }
        assertClose(nets[1].params(), nets[0].params(), 1e-5, "parameters after a step");
        assertClose(nets[1].output(features), nets[0].output(features), 1e-5, "inference output");
    }

    @Test
    void savedAndLoadedModelsKeepTheKernels(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = network(true);
        MultiLayerNetwork loaded = ModelTestSupport.saveAndLoad(net, dir);
        assertInstanceOf(ChannelsLastBatchNormalization.class, loaded.getLayer(1).conf().getLayer());
        assertInstanceOf(ChannelsLastBatchNormHelper.class, loaded.getLayer(1).getHelper());
        assertEquals(net.getLayerWiseConfigurations(), loaded.getLayerWiseConfigurations());
        DataSet test = batch(3, 5);
        assertClose(net.output(test.getFeatures()), loaded.output(test.getFeatures()), 0, "output after loading");
    }

    @Test
    void fashionCnnUsesTheKernelsInBothBatchNormLayers() {
        MultiLayerNetwork cnn = ModelKind.CNN.factory().create(1, 1e-3);
        long swapped = java.util.Arrays.stream(cnn.getLayers())
                .filter(l -> l.getHelper() instanceof ChannelsLastBatchNormHelper).count();
        assertEquals(2, swapped);
    }

    private static MultiLayerNetwork network(boolean ourKernels) {
        BatchNormalization bn;
        if (ourKernels) {
            bn = new ChannelsLastBatchNormalization();
            bn.setLayerName("bn");
            bn.setDecay(0.9);
            bn.setEps(1e-5);
            bn.setCnn2DFormat(CNN2DFormat.NHWC);
        } else {
            bn = new BatchNormalization.Builder().name("bn").decay(0.9).eps(1e-5).dataFormat(CNN2DFormat.NHWC).build();
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                // Plain SGD: Adam would turn the conv bias's gradient, zero but for rounding (batch norm removes the mean), into
                // full-size steps of either sign and hide the comparison in noise.
                .updater(new Sgd(0.1))
                .list()
                // A convolution in front, so that the gradient batch norm passes back shows in its weights'.
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(CHANNELS).dataFormat(CNN2DFormat.NHWC)
                        .activation(Activation.IDENTITY).build())
                .layer(bn)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 4, CHANNELS, CNN2DFormat.NHWC))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** NHWC features with channel means and spreads far from 0 and 1, and one-hot labels. */
    private static DataSet batch(long seed, int examples) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.randn(DataType.FLOAT, examples, 5, 4, CHANNELS);
        INDArray channelScale = Nd4j.linspace(DataType.FLOAT, 0.5, 3, CHANNELS);
        INDArray channelShift = Nd4j.linspace(DataType.FLOAT, -4, 6, CHANNELS);
        features.reshape('c', (long) examples * 5 * 4, CHANNELS).muliRowVector(channelScale).addiRowVector(channelShift);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, 4);
        for (int i = 0; i < examples; i++) {
            labels.putScalar(i, (i * 7 + seed) % 4, 1.0);
        }
        return new DataSet(features, labels);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance * scale, what + ": largest difference " + diff + " (scale " + scale + ")");
    }
}
