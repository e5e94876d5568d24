package io.fashionspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The architectures against MODELS.md: parameter totals, layer shapes, and what a forward pass returns. */
class ModelSummaryTest {

    private static MultiLayerNetwork build(ModelKind kind) {
        MultiLayerNetwork net = new MultiLayerNetwork(kind.factory().configuration(1, 1e-3));
        net.init();
        return net;
    }

    @ParameterizedTest
    @CsvSource({"DNN, 235146", "CNN, 1475338", "LENET, 61706"})
    void trainableParameterCountsMatchTheReference(ModelKind kind, long expected) {
        assertEquals(expected, ModelSummary.of(kind, build(kind)).trainableParams());
    }

    @Test
    void cnnLayerShapesMatchTheReferenceTable() {
        ModelSummary s = ModelSummary.of(ModelKind.CNN, build(ModelKind.CNN));
        List<String> shapes = s.rows().stream().map(ModelSummary.Row::outputShape).toList();
        assertEquals(List.of("32x28x28", "32x28x28", "32x28x28", "32x14x14", "64x12x12", "64x12x12", "64x12x12",
                "64x6x6", "600", "600", "120", "10"), shapes);
        assertEquals(1_383_000, s.rows().get(8).trainableParams());
        // DL4J keeps batch norm's running mean and variance in the parameter vector: 2 x (32 + 64).
        assertEquals(1_475_338 + 192, s.totalParams());
    }

    @Test
    void leNetShapesMatchTheReference() {
        ModelSummary s = ModelSummary.of(ModelKind.LENET, build(ModelKind.LENET));
        List<String> shapes = s.rows().stream().map(ModelSummary.Row::outputShape).toList();
        assertEquals(List.of("6x28x28", "6x28x28", "6x14x14", "16x10x10", "16x10x10", "16x5x5", "120", "84", "10"),
                shapes);
        assertEquals(156, s.rows().get(0).trainableParams());
    }

    @Test
    void dropoutKeepsThreeQuartersAsPyTorchsDropQuarter() {
        var conf = build(ModelKind.DNN).getLayerWiseConfigurations().getConf(1).getLayer();
        DropoutLayer drop = (DropoutLayer) conf;
        assertEquals(0.75, ((org.deeplearning4j.nn.conf.dropout.Dropout) drop.getIDropout()).getP(), 0);
    }

    @ParameterizedTest
    @CsvSource({"DNN", "CNN", "LENET"})
    void forwardPassGivesTenProbabilitiesPerImage(ModelKind kind) {
        long[] shape = kind.factory().exampleShape();
        long[] batch = new long[shape.length + 1];
        batch[0] = 3;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        INDArray out = build(kind).output(Nd4j.rand(batch));
        assertArrayEquals(new long[] {3, 10}, out.shape());
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, out.getRow(i).sumNumber().doubleValue(), 1e-4);
        }
    }

    @Test
    void tablePrintsEveryLayerAndTheTotal() {
        String table = ModelSummary.of(ModelKind.DNN, build(ModelKind.DNN)).toTable();
        assertTrue(table.contains("fc1") && table.contains("200,960") && table.contains("Trainable parameters: 235,146"),
                table);
    }

    @Test
    void unknownModelNameListsTheChoices() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelKind.parse("resnet"));
        assertEquals("unknown model 'resnet': choose one of dnn, cnn, lenet", e.getMessage());
        assertEquals(ModelKind.CNN, ModelKind.parse(" CNN "));
    }
}
