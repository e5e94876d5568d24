package io.fashionspark.report;

import io.fashionspark.data.FashionClasses;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.fs.HadoopPaths;
import io.fashionspark.model.ModelKind;
import io.fashionspark.rundir.RunDirectory;
import io.fashionspark.savedmodel.ModelZip;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Labels the first test images with the run's saved model: {@code model.zip} from the run directory, the test
 * split from the data directory in the run's configuration.
 */
public final class SamplePredictor {
    /** As many as the reference's grid of test images. */
    public static final int DEFAULT_COUNT = 20;

    private SamplePredictor() {
    }

    /** Never throws for unreadable inputs: a report without the grid beats no report, so the reason is kept. */
    public static SampleGrid predict(RunResults run, Configuration conf, int count) {
        Object model = run.config().get("model");
        Object data = run.config().get("data");
        if (model == null || data == null) {
            return SampleGrid.unavailable("summary.json's config names no model or no data directory.");
        }
        ModelKind kind;
        try {
            kind = ModelKind.parse(model.toString());
        } catch (IllegalArgumentException e) {
            return SampleGrid.unavailable("summary.json's config has " + e.getMessage() + ".");
        }
        LabelledImages test;
        try {
            test = FashionMnistFiles.loadSplit(HadoopPaths.resolve(data.toString(), conf), "t10k");
        } catch (RuntimeException e) {
            return SampleGrid.unavailable("The test images could not be read from " + data + ": " + e.getMessage());
        }
        HadoopPaths.Location modelFile = HadoopPaths.resolve(run.location(), conf).child(RunDirectory.MODEL);
        MultiLayerNetwork net;
        try (InputStream in = modelFile.fs().open(modelFile.path())) {
            net = ModelZip.read(in.readAllBytes(), false);
        } catch (IOException | RuntimeException e) {
            return SampleGrid.unavailable("The model could not be loaded from " + modelFile + ": " + e.getMessage());
        }
        try {
            return SampleGrid.of(predict(net, kind, test, Math.min(count, test.size())), FashionClasses.NAMES);
        } catch (RuntimeException e) {
            return SampleGrid.unavailable("The model in " + modelFile + " could not label the " + kind.displayName()
                    + " test images: " + e.getMessage());
        }
    }

    static List<SamplePrediction> predict(MultiLayerNetwork net, ModelKind kind, LabelledImages test, int n) {
        DataSet batch = test.whole().range(0, n).toDataSet(kind.factory().exampleShape());
        INDArray probabilities = net.output(batch.getFeatures(), false);
        int rows = test.images().rows();
        int cols = test.images().cols();
        int ppi = test.images().pixelsPerImage();
        List<SamplePrediction> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            INDArray row = probabilities.getRow(i);
            int predicted = row.argMax().getInt(0);
            byte[] pixels = Arrays.copyOfRange(test.images().pixels(), i * ppi, (i + 1) * ppi);
            out.add(new SamplePrediction(pixels, rows, cols, test.label(i), predicted, row.getDouble(predicted)));
        }
        return out;
    }
}
