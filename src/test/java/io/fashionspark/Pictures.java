package io.fashionspark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Draws FashionMNIST-style images as the pictures people take: dark garments on white, larger, in colour. */
public final class Pictures {
    private Pictures() {
    }

    /**
     * A {@code width x height} RGB picture, white, with the 28x28 white-on-black {@code pixels} drawn inverted
     * (black on white) as large as fits, centred: as {@code bin/make-pictures} draws them (the bench module's
     * {@code CataloguePictures}, which its tests hold to this drawing; the product cannot depend on the bench).
     */
    public static BufferedImage blackOnWhite(byte[] pixels, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int side = Math.min(width, height);
        int x0 = (width - side) / 2;
        int y0 = (height - side) / 2;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grey = 255;
                if (x >= x0 && x < x0 + side && y >= y0 && y < y0 + side) {
                    grey = 255 - (pixels[(y - y0) * 28 / side * 28 + (x - x0) * 28 / side] & 0xFF);
                }
                img.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
            }
        }
        return img;
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
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no " + format + " writer in this JVM");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
