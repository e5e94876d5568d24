package io.fashionspark.data;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/**
 * How much of the test set is also in the training set, image for image. A test set that is the training set (the
 * train files copied over the t10k ones, say) makes the test accuracy measure memory, not generalisation; the real
 * FashionMNIST shares only a handful of images between its splits.
 */
public final class SplitOverlap {
    /** Above this share of test images found in the training set, the split is reported. */
    public static final double WARN_ABOVE = 0.5;

    private SplitOverlap() {
    }

    /** The share (0..1) of test images whose pixels equal some training image's. */
    public static double shareOfTestInTrain(LabelledImages train, LabelledImages test) {
        int n = train.images().pixelsPerImage();
        Set<ByteBuffer> seen = new HashSet<>(train.size() * 2);
        byte[] trainPixels = train.images().pixels();
        for (int i = 0; i < train.size(); i++) {
            seen.add(ByteBuffer.wrap(trainPixels, i * n, n).slice());
        }
        byte[] testPixels = test.images().pixels();
        int found = 0;
        for (int i = 0; i < test.size(); i++) {
            if (seen.contains(ByteBuffer.wrap(testPixels, i * n, n).slice())) {
                found++;
            }
        }
        return test.size() == 0 ? 0 : found / (double) test.size();
    }

    /** A one-sentence warning when most of the test set is training data, else null. */
    public static String warning(LabelledImages train, LabelledImages test) {
        double share = shareOfTestInTrain(train, test);
        if (share <= WARN_ABOVE) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "%.0f%% of the test images (%s) are also training images (%s): "
                + "test accuracy will measure memory, not generalisation; check that the t10k files are the test set",
                100 * share, test.source(), train.source());
    }
}
