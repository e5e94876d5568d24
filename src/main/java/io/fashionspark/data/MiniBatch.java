package io.fashionspark.data;

import java.io.Serializable;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A minibatch as it travels to the executors: raw bytes (4x smaller than floats on the wire and in the
 * cache); {@link #toDataSet} makes the DL4J tensors where they are used.
 *
 * <p>A class, not a record: Spark's Kryo 4 cannot serialise records.
 */
public final class MiniBatch implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int NUM_CLASSES = 10;

    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final byte[] labels;

    public MiniBatch(int rows, int cols, byte[] pixels, byte[] labels) {
        if (pixels.length != labels.length * rows * cols) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + labels.length + " images of "
                    + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** A new minibatch of the consecutive examples {@code [from, to)} of this one. */
    public MiniBatch range(int from, int to) {
        int ppi = rows * cols;
        return new MiniBatch(rows, cols, Arrays.copyOfRange(pixels, from * ppi, to * ppi),
                Arrays.copyOfRange(labels, from, to));
    }

    /** A new minibatch of the examples at {@code indices[from..to)} of this one, in that order. */
    public MiniBatch select(int[] indices, int from, int to) {
        int ppi = rows * cols;
        byte[] px = new byte[(to - from) * ppi];
        byte[] lb = new byte[to - from];
        for (int i = from; i < to; i++) {
            int src = indices[i];
            System.arraycopy(pixels, src * ppi, px, (i - from) * ppi, ppi);
            lb[i - from] = labels[src];
        }
        return new MiniBatch(rows, cols, px, lb);
    }

    /**
     * Features scaled to [0, 1] in the shape a network takes ({@code exampleShape} per example, e.g. {784} or
     * {28, 28, 1}), one-hot labels {@code [n, 10]}.
     */
    public DataSet toDataSet(long... exampleShape) {
        int n = size();
        float[] features = new float[pixels.length];
        for (int i = 0; i < features.length; i++) {
            features[i] = (pixels[i] & 0xFF) / 255f;
        }
        float[] oneHot = new float[n * NUM_CLASSES];
        for (int i = 0; i < n; i++) {
            oneHot[i * NUM_CLASSES + (labels[i] & 0xFF)] = 1f;
        }
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        INDArray f = Nd4j.create(features, shape, 'c');
        INDArray l = Nd4j.create(oneHot, new long[] {n, NUM_CLASSES}, 'c');
        return new DataSet(f, l);
    }
}
