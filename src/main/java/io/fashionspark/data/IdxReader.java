package io.fashionspark.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the idx format of (Fashion-)MNIST, gzip'd or raw, and checks everything it can:
 * the magic number, the dimensions, that the payload is complete and nothing trails it.
 */
public final class IdxReader {
    /** Magic of an unsigned-byte idx file: 0x0000 0x08 ndim. */
    private static final int UBYTE_TYPE = 0x08;

    private IdxReader() {
    }

    /** Reads an images file (idx3-ubyte) whose images must be {@code rows x cols}. */
    public static RawImages readImages(String name, InputStream in, int rows, int cols) {
        try (DataInputStream data = open(name, in)) {
            int[] dims = header(name, data, 3, "images (idx3-ubyte)");
            if (dims[1] != rows || dims[2] != cols) {
                throw new DataException(name + ": images are " + dims[1] + "x" + dims[2]
                        + ", expected " + rows + "x" + cols);
            }
            byte[] pixels = payload(name, data, (long) dims[0] * rows * cols, dims[0] + " images");
            return new RawImages(dims[0], rows, cols, pixels);
        } catch (IOException e) {
            throw ioError(name, e);
        }
    }

    /** Reads a labels file (idx1-ubyte) whose labels must lie in {@code 0..numClasses-1}. */
    public static byte[] readLabels(String name, InputStream in, int numClasses) {
        try (DataInputStream data = open(name, in)) {
            int[] dims = header(name, data, 1, "labels (idx1-ubyte)");
            byte[] labels = payload(name, data, dims[0], dims[0] + " labels");
            for (int i = 0; i < labels.length; i++) {
                int label = labels[i] & 0xFF;
                if (label >= numClasses) {
                    throw new DataException(name + ": label " + label + " at index " + i
                            + " is outside 0.." + (numClasses - 1));
                }
            }
            return labels;
        } catch (IOException e) {
            throw ioError(name, e);
        }
    }

    private static DataInputStream open(String name, InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == -1) {
            throw new DataException(name + ": file is empty");
        }
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new GZIPInputStream(in, 1 << 16) : in);
    }

    private static int[] header(String name, DataInputStream data, int ndim, String kind) throws IOException {
        int magic;
        try {
            magic = data.readInt();
        } catch (EOFException e) {
            throw new DataException(name + ": file ends inside the idx header");
        }
        int expected = (UBYTE_TYPE << 8) | ndim;
        if (magic != expected) {
            throw new DataException(String.format(
                    "%s: wrong magic number 0x%08X, expected 0x%08X for %s", name, magic, expected, kind));
        }
        int[] dims = new int[ndim];
        for (int i = 0; i < ndim; i++) {
            try {
                dims[i] = data.readInt();
            } catch (EOFException e) {
                throw new DataException(name + ": file ends inside the idx header");
            }
            if (dims[i] <= 0) {
                throw new DataException(name + ": dimension " + i + " is " + dims[i] + ", must be positive");
            }
        }
        return dims;
    }

    private static byte[] payload(String name, DataInputStream data, long size, String what) throws IOException {
        if (size > Integer.MAX_VALUE - 8) {
            throw new DataException(name + ": header declares " + what + ", too large to load");
        }
        byte[] bytes = new byte[(int) size];
        int read = data.readNBytes(bytes, 0, bytes.length);
        if (read < bytes.length) {
            throw new DataException(name + ": truncated: header declares " + what + " (" + size
                    + " bytes of data) but the file holds only " + read);
        }
        if (data.read() != -1) {
            throw new DataException(name + ": has data after the " + what + " its header declares");
        }
        return bytes;
    }

    private static DataException ioError(String name, IOException e) {
        if (e instanceof ZipException || e instanceof EOFException) {
            return new DataException(name + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        }
        return new DataException(name + ": cannot read: " + e.getMessage(), e);
    }
}
