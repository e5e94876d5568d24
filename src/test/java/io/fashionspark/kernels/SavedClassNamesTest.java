package io.fashionspark.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.model.ModelKind;
import io.fashionspark.savedmodel.ModelZip;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Models saved while this package's classes lived in {@code io.fashionspark.model} name them there; they still
 * load, as the same networks. The files were written by train before the move (test resources).
 */
class SavedClassNamesTest {
    private static final Path SAVED = Path.of("src/test/resources/saved-before-1.1");

    @Test
    void anOlderLeNetModelZipLoadsWithItsUpdaterOnTheMovedClasses() throws Exception {
        byte[] zip = Files.readAllBytes(SAVED.resolve("lenet-model.zip"));
        assertThrows(RuntimeException.class, () -> ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(zip), true), "DL4J alone cannot find the old class names");

        MultiLayerNetwork net = ModelZip.read(zip, true);
        assertInstanceOf(NarrowInputConvolutionLayer.class, net.getLayerWiseConfigurations().getConf(0).getLayer());
        assertEquals(61_706, net.numParams());
        assertNotNull(net.getUpdater().getStateViewArray(), "Adam's state came back");
        assertSameLayers(ModelKind.LENET.factory().configuration(42, 1e-3), net.getLayerWiseConfigurations());
        assertEquals(10, net.output(Nd4j.rand(2, 28, 28, 1)).size(1));
    }

    @Test
    void anOlderFashionCnnConfigurationIsTodaysFashionCnn() throws Exception {
        String old = Files.readString(SAVED.resolve("cnn-configuration.json"));
        assertTrue(old.contains("\"io.fashionspark.model.LinearDenseLayer\""), "the resource names the old package");
        MultiLayerNetwork fresh = ModelKind.CNN.factory().create(42, 1e-3);
        // The old configuration with today's coefficients: a model.zip as the older train wrote it.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(ModelSerializer.CONFIGURATION_JSON));
            zip.write(old.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry(ModelSerializer.COEFFICIENTS_BIN));
            Nd4j.write(fresh.params(), new java.io.DataOutputStream(zip));
        }
        MultiLayerNetwork net = ModelZip.read(out.toByteArray(), false);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        assertSameLayers(ModelKind.CNN.factory().configuration(42, 1e-3), conf);
        assertInstanceOf(ChannelsLastBatchNormalization.class, conf.getConf(1).getLayer());
        assertInstanceOf(LinearDenseLayer.class, conf.getConf(8).getLayer());
        assertEquals(fresh.params(), net.params());
    }

    /** Layer by layer, the same configuration as today's (training counters aside). */
    private static void assertSameLayers(MultiLayerConfiguration expected, MultiLayerConfiguration actual)
            throws Exception {
        assertEquals(expected.getConfs().size(), actual.getConfs().size());
        for (int i = 0; i < expected.getConfs().size(); i++) {
            assertEquals(NeuralNetConfiguration.mapper().writeValueAsString(expected.getConf(i).getLayer()),
                    NeuralNetConfiguration.mapper().writeValueAsString(actual.getConf(i).getLayer()), "layer " + i);
        }
    }

    @Test
    void onlyTheOldNamesOfThisPackagesClassesAreRewritten() {
        String json = "{\"@class\":\"io.fashionspark.model.InPlaceRelu\",\"x\":\"io.fashionspark.model.ModelKind\"}";
        assertEquals("{\"@class\":\"io.fashionspark.kernels.InPlaceRelu\",\"x\":\"io.fashionspark.model.ModelKind\"}",
                SavedClassNames.upgrade(json));
    }
}
