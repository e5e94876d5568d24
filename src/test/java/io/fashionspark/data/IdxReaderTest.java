package io.fashionspark.data;

import static io.fashionspark.IdxFixtures.gzip;
import static io.fashionspark.IdxFixtures.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final byte[] TWO_IMAGES = new byte[2 * 784];

    static {
        for (int i = 0; i < TWO_IMAGES.length; i++) {
            TWO_IMAGES[i] = (byte) i;
        }
    }

    private static RawImages images(byte[] file) {
        return IdxReader.readImages("images.idx", new ByteArrayInputStream(file), 28, 28);
    }

    private static byte[] labels(byte[] file) {
        return IdxReader.readLabels("labels.idx", new ByteArrayInputStream(file), 10);
    }

    private static String failure(Runnable r) {
        return assertThrows(DataException.class, r::run).getMessage();
    }

    @Test
    void readsRawAndGzippedImagesAlike() {
        byte[] raw = idx(3, new int[] {2, 28, 28}, TWO_IMAGES);
        RawImages a = images(raw);
        RawImages b = images(gzip(raw));
        assertEquals(2, a.count());
        assertArrayEquals(TWO_IMAGES, a.pixels());
        assertArrayEquals(a.pixels(), b.pixels());
    }

    @Test
    void readsLabels() {
        assertArrayEquals(new byte[] {0, 9, 3}, labels(idx(1, new int[] {3}, new byte[] {0, 9, 3})));
    }

    @Test
    void rejectsWrongMagicNamingTheFile() {
        byte[] file = idx(1, new int[] {2}, new byte[] {0, 0});
        String msg = failure(() -> images(file));
        assertTrue(msg.startsWith("images.idx: wrong magic number 0x00000801, expected 0x00000803"), msg);
    }

    @Test
    void rejectsTruncatedImages() {
        byte[] full = idx(3, new int[] {2, 28, 28}, TWO_IMAGES);
        byte[] cut = Arrays.copyOf(full, full.length - 100);
        String msg = failure(() -> images(cut));
        assertTrue(msg.contains("truncated") && msg.contains("2 images"), msg);
    }

    @Test
    void rejectsTruncatedGzip() {
        byte[] gz = gzip(idx(3, new int[] {2, 28, 28}, TWO_IMAGES));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        String msg = failure(() -> images(cut));
        assertTrue(msg.startsWith("images.idx: "), msg);
        assertTrue(msg.contains("gzip") || msg.contains("truncated"), msg);
    }

    @Test
    void rejectsCorruptGzip() {
        byte[] gz = gzip(idx(3, new int[] {2, 28, 28}, TWO_IMAGES));
        for (int i = 20; i < 40; i++) {
            gz[i] ^= 0x5A;
        }
        String msg = failure(() -> images(gz));
        assertTrue(msg.startsWith("images.idx: corrupt or truncated gzip data"), msg);
    }

    @Test
    void rejectsTrailingData() {
        byte[] file = idx(1, new int[] {2}, new byte[] {1, 2, 3});
        assertTrue(failure(() -> labels(file)).contains("data after the 2 labels"));
    }

    @Test
    void rejectsImagesThatAreNot28x28() {
        byte[] file = idx(3, new int[] {1, 32, 32}, new byte[32 * 32]);
        assertTrue(failure(() -> images(file)).contains("images are 32x32, expected 28x28"));
    }

    @Test
    void rejectsLabelOutOfRange() {
        byte[] file = idx(1, new int[] {3}, new byte[] {1, 10, 2});
        assertEquals("labels.idx: label 10 at index 1 is outside 0..9", failure(() -> labels(file)));
    }

    @Test
    void rejectsEmptyFile() {
        assertEquals("images.idx: file is empty", failure(() -> images(new byte[0])));
    }

    @Test
    void rejectsHeaderCutShort() {
        assertEquals("labels.idx: file ends inside the idx header",
                failure(() -> labels(new byte[] {0, 0, 8, 1, 0})));
    }

    @Test
    void loadsADirectoryAndChecksImageAndLabelCountsAgree(@TempDir Path dir) throws Exception {
        IdxFixtures.writeDataset(dir, 30, 20, 1);
        FashionMnistFiles.Splits splits = FashionMnistFiles.load(dir.toString(), new Configuration());
        assertEquals(30, splits.train().size());
        assertEquals(20, splits.test().size());

        // Swap in a labels file with a different count.
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idx(1, new int[] {19}, new byte[19])));
        String msg = failure(() -> FashionMnistFiles.load(dir.toString(), new Configuration()));
        assertTrue(msg.contains("holds 20 images but") && msg.contains("holds 19 labels"), msg);
    }

    @Test
    void namesTheMissingFile(@TempDir Path dir) throws Exception {
        IdxFixtures.writeDataset(dir, 10, 10, 1);
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
        String msg = failure(() -> FashionMnistFiles.load(dir.toString(), new Configuration()));
        assertTrue(msg.endsWith("missing train-labels-idx1-ubyte.gz (or train-labels-idx1-ubyte)"), msg);
    }

    @Test
    void rejectsAMissingDirectoryAndAFileGivenAsDirectory(@TempDir Path dir) throws Exception {
        assertTrue(failure(() -> FashionMnistFiles.load(dir.resolve("nope").toString(), new Configuration()))
                .contains("data directory does not exist"));
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertTrue(failure(() -> FashionMnistFiles.load(file.toString(), new Configuration())).contains("is a file"));
    }

    @Test
    void namesADirectoryWhereAnIdxFileShouldBe(@TempDir Path dir) throws Exception {
        IdxFixtures.writeDataset(dir, 10, 10, 1);
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        Files.createDirectories(dir.resolve("t10k-images-idx3-ubyte.gz"));
        String msg = failure(() -> FashionMnistFiles.load(dir.toString(), new Configuration()));
        assertTrue(msg.contains("t10k-images-idx3-ubyte.gz") && msg.contains("directory"), msg);
    }

    @Test
    void miniBatchScalesPixelsToUnitRangeAndOneHotsLabels() {
        byte[] px = new byte[2 * 784];
        px[0] = (byte) 255;
        px[784 + 1] = (byte) 51;
        MiniBatch b = new MiniBatch(28, 28, px, new byte[] {3, 7});
        var ds = b.toDataSet(28, 28, 1);
        assertArrayEquals(new long[] {2, 28, 28, 1}, ds.getFeatures().shape());
        assertEquals(1.0, ds.getFeatures().getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(0.2, ds.getFeatures().getDouble(1, 0, 1, 0), 1e-6);
        assertEquals(1.0, ds.getLabels().getDouble(0, 3), 0);
        assertEquals(1.0, ds.getLabels().getDouble(1, 7), 0);
        assertEquals(2.0, ds.getLabels().sumNumber().doubleValue(), 0);
    }
}
