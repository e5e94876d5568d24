package io.fashionspark.bench;

import io.fashionspark.data.FashionClasses;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;

/**
 * Makes a catalogue of product-style pictures from the FashionMNIST test set, for trying and measuring
 * {@code predict --output} at scale ({@code bin/make-pictures}): each test image drawn black on white at 100x140,
 * as PNG and as JPEG, in turn, until there are as many pictures as asked (past 20,000 the images repeat). Files go
 * in folders of 1,000 and are named by the test image and its class, so accuracy can be read off the output.
 */
public final class CataloguePictures {
    public static final int WIDTH = 100;
    public static final int HEIGHT = 140;
    private static final int PER_FOLDER = 1000;

    private CataloguePictures() {
    }

    /**
     * A {@code width x height} RGB picture, white, with the 28x28 white-on-black {@code pixels} drawn inverted
     * (black on white) as large as fits, centred: the garment as a shop photographs it.
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
                    int sx = (x - x0) * 28 / side;
                    int sy = (y - y0) * 28 / side;
                    grey = 255 - (pixels[sy * 28 + sx] & 0xFF);
                }
                img.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
            }
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

    /** Writes {@code count} pictures of {@code test} under {@code out}; returns the bytes written. */
    public static long write(LabelledImages test, Path out, int count) throws IOException {
        long bytes = 0;
        byte[] pixels = test.images().pixels();
        for (int n = 0; n < count; n++) {
            int i = (n / 2) % test.size();
            String format = n % 2 == 0 ? "png" : "jpg";
            Path folder = Files.createDirectories(out.resolve(String.format(Locale.ROOT, "%04d", n / PER_FOLDER)));
            String name = String.format(Locale.ROOT, "%06d-test%05d-%s.%s", n, i,
                    FashionClasses.NAMES.get(test.label(i)).toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "_"),
                    format);
            byte[] encoded = encode(blackOnWhite(Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784), WIDTH, HEIGHT),
                    format);
            Files.write(folder.resolve(name), encoded);
            bytes += encoded.length;
        }
        return bytes;
    }

    /** {@code DATA_DIR OUT_DIR COUNT}: see {@code bin/make-pictures}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: make-pictures DATA_DIR OUT_DIR COUNT");
            System.exit(2);
        }
        int count;
        try {
            count = Integer.parseInt(args[2]);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1) {
            System.err.println("make-pictures: COUNT must be a positive number, got '" + args[2] + "'");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        if (Files.exists(out)) {
            System.err.println("make-pictures: " + out + " exists; give a new directory");
            System.exit(4);
        }
        LabelledImages test = FashionMnistFiles.loadTest(args[0], new Configuration());
        long start = System.nanoTime();
        long bytes = write(test, out, count);
        System.out.printf(Locale.ROOT, "make-pictures: wrote %,d pictures (%,d bytes) of %s under %s in %.1f s%n",
                count, bytes, test.source(), out, (System.nanoTime() - start) / 1e9);
    }
}
