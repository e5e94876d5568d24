package io.fashionspark.pictures;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * A picture's bytes as ImageIO reads them, with their length known: ImageIO's own memory stream reports none, and
 * then the WBMP reader takes any two zero bytes and a size for a picture (784 raw grey levels often start so).
 */
final class BytesImageInputStream extends ImageInputStreamImpl {
    private final byte[] bytes;

    BytesImageInputStream(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read() {
        bitOffset = 0;
        return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        bitOffset = 0;
        if (streamPos >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(len, bytes.length - streamPos);
        System.arraycopy(bytes, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return bytes.length;
    }
}
