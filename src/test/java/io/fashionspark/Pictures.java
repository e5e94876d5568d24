package io.fashionspark;

import io.fashionspark.inference.CataloguePictures;
import java.awt.image.BufferedImage;
import java.io.IOException;

/** Draws FashionMNIST-style images as the pictures people take: dark garments on white, larger, in colour. */
public final class Pictures {
    private Pictures() {
    }

    /** As {@code bin/make-pictures} draws them. */
    public static BufferedImage blackOnWhite(byte[] pixels, int width, int height) {
        return CataloguePictures.blackOnWhite(pixels, width, height);
    }

    /** A 28x28 8-bit grey picture of exactly these grey levels. */
    public static BufferedImage grey(byte[] pixels) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < pixels.length; i++) {
            img.getRaster().setSample(i % 28, i / 28, 0, pixels[i] & 0xFF);
        }
        return img;
    }

    /** The picture encoded as "png" or "jpg". */
    public static byte[] encode(BufferedImage img, String format) {
        return CataloguePictures.encode(img, format);
    }

    /** Image {@code i} (28x28 bytes) of the {@code pixels} of a data set. */
    public static byte[] image(byte[] pixels, int i) {
        return java.util.Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784);
    }

    /** Mean absolute difference of two 28x28 images in grey levels (0..255). */
    public static double meanAbsDiff(byte[] a, byte[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return s / a.length;
    }
}
