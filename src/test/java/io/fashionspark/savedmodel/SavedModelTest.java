package io.fashionspark.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.model.ModelKind;
import io.fashionspark.pictures.InputImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Loading model.zip files: the three architectures' input shapes, and one clear sentence for anything else. */
public class SavedModelTest {
    @TempDir
    Path dir;

    private Path save(MultiLayerConfiguration conf, String name) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Path f = dir.resolve(name);
        ModelSerializer.writeModel(net, f.toFile(), true);
        return f;
    }

    private static SavedModel load(Path f) {
        return SavedModel.load(f.toString(), new Configuration());
    }

    private static String failure(Path f) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> load(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        return e.getMessage();
    }

    /** A dense network taking {@code nIn} values and giving {@code classes} probabilities. */
    public static MultiLayerConfiguration dense(int nIn, int classes) {
        return new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    @Test
    void readsEachArchitecturesInputShapeFromItsConfiguration() throws Exception {
        for (ModelKind kind : ModelKind.values()) {
            SavedModel m = load(save(kind.factory().configuration(1, 1e-3), kind.cliName() + ".zip"));
            assertArrayEquals(kind.factory().exampleShape(), m.exampleShape(), kind.cliName());
            assertEquals(kind.displayName(), m.architecture());
        }
        SavedModel other = load(save(dense(784, 10), "other.zip"));
        assertArrayEquals(new long[] {784}, other.exampleShape());
        assertEquals("a MultiLayerNetwork of 2 layers", other.architecture());
    }

    @Test
    void aChannelsFirstConvolutionTakesOneByTwentyEightByTwentyEight() throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).nOut(4).dataFormat(CNN2DFormat.NCHW).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NCHW))
                .build();
        assertArrayEquals(new long[] {1, 28, 28}, load(save(conf, "nchw.zip")).exampleShape());
    }

    @Test
    void probabilitiesOfEachImageSumToOne() throws Exception {
        SavedModel m = load(save(ModelKind.LENET.factory().configuration(1, 1e-3), "lenet.zip"));
        byte[][] data = IdxFixtures.synthetic(300, 2);
        List<InputImage> images = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            images.add(new InputImage("#" + i, Arrays.copyOfRange(data[0], i * 784, (i + 1) * 784)));
        }
        float[][] p = m.probabilities(images); // two batches of at most 256
        assertEquals(300, p.length);
        for (float[] row : p) {
            double sum = 0;
            for (float v : row) {
                sum += v;
            }
            assertEquals(10, row.length);
            assertEquals(1.0, sum, 1e-4);
        }
    }

    @Test
    void aModelOfAnotherInputShapeIsRefusedInOneSentence() throws Exception {
        Path tiny = save(dense(10, 10), "tiny.zip");
        assertEquals(tiny + ": the model expects inputs of shape [10], FashionMNIST images are 28x28x1",
                failure(tiny));
        MultiLayerConfiguration rgb = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(3).nOut(4).dataFormat(CNN2DFormat.NHWC).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(32, 32, 3, CNN2DFormat.NHWC))
                .build();
        Path colour = save(rgb, "rgb.zip");
        assertEquals(colour + ": the model expects inputs of shape HxWx3, FashionMNIST images are 28x28x1",
                failure(colour));
        MultiLayerConfiguration big = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(1).nOut(2).dataFormat(CNN2DFormat.NHWC).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(64, 64, 1, CNN2DFormat.NHWC))
                .build();
        Path large = save(big, "64x64.zip");
        assertTrue(failure(large).startsWith(large + ": the model does not accept FashionMNIST's 28x28x1 images (fed as 28x28x1: "), failure(large));
        Path five = save(dense(784, 5), "five.zip");
        assertEquals(five + ": the model predicts 5 classes, FashionMNIST has 10", failure(five));
    }

    @Test
    void aFileThatIsNotAModelIsRefusedInOneSentence() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertEquals(text + ": not a fashion-spark model (not a zip file)", failure(text));
        Path zip = dir.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write('x');
        }
        assertEquals(zip + ": not a fashion-spark model (a zip file without DL4J's configuration.json and "
                + "coefficients.bin)", failure(zip));
        Path garbage = dir.resolve("garbage.zip");
        try (OutputStream out = Files.newOutputStream(garbage)) {
            out.write(new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        }
        assertTrue(failure(garbage).contains("not a fashion-spark model ("), failure(garbage));
        ComputationGraphConfiguration cg = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(784).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "in")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(cg);
        graph.init();
        Path graphZip = dir.resolve("graph.zip");
        ModelSerializer.writeModel(graph, graphZip.toFile(), false);
        assertTrue(failure(graphZip).startsWith(graphZip + ": not a fashion-spark model (DL4J cannot load it as a "
                + "MultiLayerNetwork"), failure(graphZip));
        assertEquals(dir.resolve("absent.zip") + ": model file does not exist", failure(dir.resolve("absent.zip")));
    }

    @Test
    void aRunDirectoryPointsToItsModel() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        save(dense(784, 10), "run/model.zip");
        assertEquals(run + ": is a directory; --model takes the model.zip file; did you mean "
                + run.resolve("model.zip") + "?", failure(run));
    }
}
