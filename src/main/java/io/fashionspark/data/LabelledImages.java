package io.fashionspark.data;

import java.util.Arrays;

/**
 * A split of FashionMNIST held compactly as bytes (47 MB for the training set, against 188 MB as floats);
 * images become float tensors only when a minibatch is made.
 */
public record LabelledImages(String source, RawImages images, byte[] labels) {
    public LabelledImages {
        if (images.count() != labels.length) {
            throw new DataException(source + ": " + images.count() + " images but " + labels.length + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** The first {@code n} examples (for quick runs and tests). */
    public LabelledImages head(int n) {
        if (n >= size()) {
            return this;
        }
        int ppi = images.pixelsPerImage();
        RawImages cut = new RawImages(n, images.rows(), images.cols(), Arrays.copyOf(images.pixels(), n * ppi));
        return new LabelledImages(source, cut, Arrays.copyOf(labels, n));
    }

    /** Copies the examples at {@code indices[from..to)} into a compact minibatch. */
    public MiniBatch batch(int[] indices, int from, int to) {
        return whole().select(indices, from, to);
    }

    /** The whole split as one minibatch, sharing these bytes (not copied): what is broadcast to the executors. */
    public MiniBatch whole() {
        return new MiniBatch(images.rows(), images.cols(), images.pixels(), labels);
    }
}
