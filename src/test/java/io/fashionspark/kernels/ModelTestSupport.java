package io.fashionspark.kernels;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the tests of the replaced kernels share: labels, and a model's round trip through a saved file. */
final class ModelTestSupport {
    private ModelTestSupport() {
    }

    /** One-hot labels [examples, classes], example i of class i mod classes. */
    static INDArray oneHotLabels(int examples, int classes) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, classes);
        for (int i = 0; i < examples; i++) {
            labels.putScalar(i, i % classes, 1.0);
        }
        return labels;
    }

    /** The network written with its updater, as {@code train} saves it, and read back. */
    static MultiLayerNetwork saveAndLoad(MultiLayerNetwork net, Path dir) throws IOException {
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        return ModelSerializer.restoreMultiLayerNetwork(file, true);
    }
}
