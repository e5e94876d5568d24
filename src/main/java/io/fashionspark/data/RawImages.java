package io.fashionspark.data;

/** Images as stored in an idx file: {@code count} images of {@code rows x cols} unsigned bytes, row-major. */
public record RawImages(int count, int rows, int cols, byte[] pixels) {
    public int pixelsPerImage() {
        return rows * cols;
    }
}
