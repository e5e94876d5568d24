package io.fashionspark.pictures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.Pictures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pictures of clothing as people take them come out as FashionMNIST's 28x28 white-on-black images. */
class ImageConverterTest {
    @TempDir
    Path dir;

    private byte[] viaFile(byte[] encoded, String name) throws Exception {
        Path f = Files.write(dir.resolve(name), encoded);
        var images = InputFiles.read(f.toString(), new Configuration());
        assertEquals(1, images.size());
        assertEquals(f.toString(), images.get(0).name());
        return images.get(0).pixels();
    }

    @Test
    void aFashionMnistStyleGreyPngPassesThroughUnchanged() throws Exception {
        // Black background; a cross touching all four sides, so the garment's box is the whole picture.
        byte[] px = new byte[784];
        for (int i = 0; i < 28; i++) {
            px[14 * 28 + i] = (byte) (100 + 5 * i);
            px[i * 28 + 9] = (byte) (255 - 3 * i);
        }
        for (int y = 5; y < 12; y++) {
            for (int x = 15; x < 25; x++) {
                px[y * 28 + x] = (byte) (x * 9 + y);
            }
        }
        assertArrayEquals(px, viaFile(Pictures.encode(Pictures.grey(px), "png"), "grey.png"));
    }

    @Test
    void blackOnWhiteColourPicturesComeBackAsTheirWhiteOnBlackOriginals() throws Exception {
        byte[][] data = IdxFixtures.synthetic(10, 5);
        for (String format : new String[] {"png", "jpg"}) {
            double worst = 0;
            for (int i = 0; i < 10; i++) {
                byte[] original = Pictures.image(data[0], i);
                BufferedImage picture = Pictures.blackOnWhite(original, 100, 140);
                byte[] converted = viaFile(Pictures.encode(picture, format), i + "." + format);
                double diff = Pictures.meanAbsDiff(original, converted);
                worst = Math.max(worst, diff);
                // The bright bar of class k is rows 2k+2..2k+4: the brightest row must lie in it.
                int k = data[1][i];
                int row = brightestRow(converted);
                assertTrue(row >= 2 * k + 2 && row <= 2 * k + 4, format + " image " + i + ": row " + row);
            }
            // In grey levels 0..255; the original's noise alone spans 0..39.
            assertTrue(worst < ("png".equals(format) ? 8 : 10), format + ": worst mean difference " + worst);
        }
    }

    private static int brightestRow(byte[] px) {
        int best = -1;
        double bestSum = -1;
        for (int y = 0; y < 28; y++) {
            double s = 0;
            for (int x = 0; x < 28; x++) {
                s += px[y * 28 + x] & 0xFF;
            }
            if (s > bestSum) {
                bestSum = s;
                best = y;
            }
        }
        return best;
    }

    @Test
    void aWideGarmentKeepsItsAspectRatioAndIsCentred() {
        // 200x100, black, a white 160x40 rectangle: 4:1, so 28x7 in the result, rows 10..16.
        BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 30; y < 70; y++) {
            for (int x = 20; x < 180; x++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        byte[] px = ImageConverter.toFashionMnist(img);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int expected = y >= 10 && y <= 16 ? 255 : 0;
                assertEquals(expected, px[y * 28 + x] & 0xFF, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void aColouredGarmentIsConvertedByItsLuminance() {
        // Pure red on white: luminance 0.299, inverted 0.701 of white.
        BufferedImage img = new BufferedImage(60, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 60; x++) {
                boolean garment = x >= 10 && x < 50 && y >= 10 && y < 50;
                img.setRGB(x, y, garment ? 0xFF0000 : 0xFFFFFF);
            }
        }
        byte[] px = ImageConverter.toFashionMnist(img);
        assertEquals(Math.round(255 * (1 - 0.299)), px[14 * 28 + 14] & 0xFF, 1);
        assertEquals(Math.round(255 * (1 - 0.299)), px[0] & 0xFF, 1, "the garment fills the 28x28 square");
    }

    @Test
    void aLightGreyBackgroundBecomesBlackAndTheGarmentIsStretched() {
        // Grey 50 on grey 200: inverted 205 on 55; background to 0, the garment to (205-55)/(255-55) of white.
        BufferedImage img = new BufferedImage(80, 80, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 80; x++) {
                boolean garment = x >= 20 && x < 60 && y >= 10 && y < 70;
                img.getRaster().setSample(x, y, 0, garment ? 50 : 200);
            }
        }
        byte[] px = ImageConverter.toFashionMnist(img);
        assertEquals(Math.round(255 * 150.0 / 200), px[14 * 28 + 14] & 0xFF, 1);
        assertEquals(0, px[14 * 28] & 0xFF, "background beside the garment (40x60 becomes 19x28)");
    }

    @Test
    void transparentPixelsAreBackground() throws Exception {
        BufferedImage img = new BufferedImage(50, 50, BufferedImage.TYPE_INT_ARGB);
        for (int y = 10; y < 40; y++) {
            for (int x = 10; x < 40; x++) {
                img.setRGB(x, y, 0xFF000000); // opaque black garment; the rest is fully transparent
            }
        }
        byte[] px = viaFile(Pictures.encode(img, "png"), "alpha.png");
        assertEquals(255, px[14 * 28 + 14] & 0xFF);
        assertEquals(255, px[0] & 0xFF, "the garment's box fills the square");
    }

    @Test
    void aBlankPictureIsAllBackground() {
        BufferedImage img = new BufferedImage(30, 30, BufferedImage.TYPE_INT_RGB);
        assertArrayEquals(new byte[784], ImageConverter.toFashionMnist(img));
    }

    @Test
    void areaAveragingKeepsTheMean() {
        double[] src = new double[10 * 7];
        for (int i = 0; i < src.length; i++) {
            src[i] = (i * 37 % 11) / 10.0;
        }
        double[] small = ImageConverter.resize(src, 10, 7, 4, 3);
        double a = 0;
        for (double v : src) {
            a += v;
        }
        double b = 0;
        for (double v : small) {
            b += v;
        }
        assertEquals(a / src.length, b / small.length, 1e-12);
    }
}
