package io.fashionspark.ml;

import io.fashionspark.data.DataException;
import io.fashionspark.data.FashionClasses;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.MiniBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Classifies one partition on an executor: rows are read lazily in batches, so that memory stays bounded by the
 * batch whatever the partition's size, and each row comes out with its prediction, class name and probabilities
 * appended (and, when invalid images are kept, an error).
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** What happens to a row whose image cannot be used. */
    enum Invalid { ERROR, SKIP, KEEP }

    private final Broadcast<byte[]> modelZip;
    private final String modelKey;
    private final long[] exampleShape;
    private final int imageIndex;
    private final String imageColumn;
    private final ImageInput form;
    private final int batchSize;
    private final Invalid invalid;

    ScorePartition(Broadcast<byte[]> modelZip, String modelKey, long[] exampleShape, int imageIndex,
                   String imageColumn, ImageInput form, int batchSize, Invalid invalid) {
        this.modelZip = modelZip;
        this.modelKey = modelKey;
        this.exampleShape = exampleShape.clone();
        this.imageIndex = imageIndex;
        this.imageColumn = imageColumn;
        this.form = form;
        this.batchSize = batchSize;
        this.invalid = invalid;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();
            private MultiLayerNetwork net;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && rows.hasNext()) {
                    nextBatch();
                }
                if (ready.isEmpty() && net != null) {
                    NetworkPool.giveBack(modelKey, net);
                    net = null;
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            private void nextBatch() {
                List<Row> batch = new ArrayList<>(batchSize);
                List<byte[]> pixels = new ArrayList<>(batchSize);
                List<String> errors = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && rows.hasNext()) {
                    Row row = rows.next();
                    try {
                        pixels.add(form.pixels(row.get(imageIndex)));
                        errors.add(null);
                    } catch (DataException | ClassCastException e) {
                        String why = e.getMessage();
                        if (invalid == Invalid.ERROR) {
                            throw new DataException("image column '" + imageColumn + "': " + where(row) + why
                                    + " (set handleInvalid to 'keep' or 'skip' to go on past such rows)", e);
                        }
                        pixels.add(null);
                        errors.add(why);
                    }
                    batch.add(row);
                }
                float[][] probs = probabilities(pixels);
                for (int i = 0; i < batch.size(); i++) {
                    Row row = batch.get(i);
                    if (probs[i] == null && invalid == Invalid.SKIP) {
                        continue;
                    }
                    int extra = invalid == Invalid.KEEP ? 4 : 3;
                    Object[] values = new Object[row.length() + extra];
                    for (int c = 0; c < row.length(); c++) {
                        values[c] = row.get(c);
                    }
                    if (probs[i] != null) {
                        int best = argMax(probs[i]);
                        values[row.length()] = (double) best;
                        values[row.length() + 1] = FashionClasses.NAMES.get(best);
                        double[] p = new double[probs[i].length];
                        for (int k = 0; k < p.length; k++) {
                            p[k] = probs[i][k];
                        }
                        values[row.length() + 2] = Vectors.dense(p);
                    }
                    if (invalid == Invalid.KEEP) {
                        values[row.length() + 3] = errors.get(i);
                    }
                    ready.add(RowFactory.create(values));
                }
            }

            /** Class probabilities of the usable images (null for the others), one forward pass. */
            private float[][] probabilities(List<byte[]> pixels) {
                int usable = (int) pixels.stream().filter(p -> p != null).count();
                float[][] out = new float[pixels.size()][];
                if (usable == 0) {
                    return out;
                }
                int ppi = ImageInput.PIXELS;
                byte[] flat = new byte[usable * ppi];
                int k = 0;
                for (byte[] p : pixels) {
                    if (p != null) {
                        System.arraycopy(p, 0, flat, k++ * ppi, ppi);
                    }
                }
                if (net == null) {
                    net = NetworkPool.borrow(modelKey, modelZip::value);
                }
                MiniBatch batch = new MiniBatch(FashionMnistFiles.ROWS, FashionMnistFiles.COLS, flat,
                        new byte[usable]);
                INDArray result = net.output(batch.toDataSet(exampleShape).getFeatures(), false);
                float[] all = result.dup('c').data().asFloat();
                int classes = (int) result.size(1);
                k = 0;
                for (int i = 0; i < pixels.size(); i++) {
                    if (pixels.get(i) != null) {
                        out[i] = Arrays.copyOfRange(all, k * classes, (k + 1) * classes);
                        k++;
                    }
                }
                return out;
            }
        };
    }

    /** Where a bad row came from, when it says (an image struct's origin). */
    private String where(Row row) {
        if (form == ImageInput.IMAGE_STRUCT && row.get(imageIndex) instanceof Row image) {
            int origin = List.of(image.schema().fieldNames()).indexOf("origin");
            if (origin >= 0 && image.get(origin) != null) {
                return image.get(origin) + ": ";
            }
        }
        return "";
    }

    /** The most likely class; ties go to the lower label, as predict's ranking does. */
    static int argMax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
