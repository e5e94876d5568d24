package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fashionspark.Pictures;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The catalogue {@code bin/make-pictures} writes is drawn as the product's tests draw their pictures. */
class CataloguePicturesTest {
    @Test
    void catalogueAndTestPicturesAreDrawnAlike() {
        byte[] pixels = new byte[784];
        new Random(7).nextBytes(pixels);
        for (int[] size : new int[][] {{CataloguePictures.WIDTH, CataloguePictures.HEIGHT}, {28, 28}, {140, 100}}) {
            BufferedImage catalogue = CataloguePictures.blackOnWhite(pixels, size[0], size[1]);
            BufferedImage test = Pictures.blackOnWhite(pixels, size[0], size[1]);
            assertArrayEquals(rgb(test), rgb(catalogue), size[0] + "x" + size[1]);
        }
        BufferedImage picture = CataloguePictures.blackOnWhite(pixels, 100, 140);
        assertArrayEquals(Pictures.encode(picture, "png"), CataloguePictures.encode(picture, "png"));
        assertEquals(255, picture.getRGB(0, 0) & 0xFF, "white around the garment");
    }

    private static int[] rgb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
