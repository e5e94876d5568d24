package io.fashionspark;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writes small idx files for tests: well-formed ones with learnable synthetic images, and broken ones. */
public final class IdxFixtures {
    private IdxFixtures() {
    }

    /** idx bytes: magic {@code 0x0000 08 ndim}, the dimensions, then the payload. */
    public static byte[] idx(int ndim, int[] dims, byte[] payload) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0x0800 | ndim);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(payload);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(raw);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Labels cycling 0..9 and 28x28 images where class k lights a 3-row bar at rows 2k+2..2k+4 over low noise:
     * easy to learn, so a working trainer reaches high accuracy in a few dozen steps.
     */
    public static byte[][] synthetic(int n, long seed) {
        Random rnd = new Random(seed);
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(10);
            labels[i] = (byte) k;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int v = rnd.nextInt(40);
                if (row >= 2 * k + 2 && row <= 2 * k + 4) {
                    v = 180 + rnd.nextInt(76);
                }
                pixels[i * 784 + p] = (byte) v;
            }
        }
        return new byte[][] {pixels, labels};
    }

    /** Writes a FashionMNIST-style directory of gzip'd idx files with {@code train} and {@code test} examples. */
    public static Path writeDataset(Path dir, int train, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        writeSplit(dir, "train", synthetic(train, seed));
        writeSplit(dir, "t10k", synthetic(test, seed + 1));
        return dir;
    }

    public static void writeSplit(Path dir, String prefix, byte[][] data) throws IOException {
        int n = data[1].length;
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), gzip(idx(3, new int[] {n, 28, 28}, data[0])));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(idx(1, new int[] {n}, data[1])));
    }
}
