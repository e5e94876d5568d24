package io.fashionspark.pictures;

/**
 * One picture to classify: its name as reported ({@code FILE}, or {@code FILE#i} for the i-th image, from 0, of an
 * idx file) and its 28x28 grey levels, row-major, white garment on black as in FashionMNIST.
 */
public record InputImage(String name, byte[] pixels) {
    public InputImage {
        if (pixels.length != ImageConverter.SIZE * ImageConverter.SIZE) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixels, expected 28x28");
        }
    }
}
