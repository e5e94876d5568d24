package io.fashionspark.pictures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.Pictures;
import io.fashionspark.data.DataException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What predict reads: idx files image by image, pictures by their content; each failure names the file. */
class InputFilesTest {
    @TempDir
    Path dir;

    private static List<InputImage> read(Path f) {
        return InputFiles.read(f.toString(), new Configuration());
    }

    private static String failure(Path f) {
        DataException e = assertThrows(DataException.class, () -> read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void idxFilesGiveEveryImageByIndexGzipOrRaw() throws Exception {
        byte[][] data = IdxFixtures.synthetic(5, 3);
        byte[] raw = IdxFixtures.idx(3, new int[] {5, 28, 28}, data[0]);
        for (Path f : new Path[] {Files.write(dir.resolve("images.idx3"), raw),
            Files.write(dir.resolve("images.gz"), IdxFixtures.gzip(raw))}) {
            List<InputImage> images = read(f);
            assertEquals(5, images.size());
            for (int i = 0; i < 5; i++) {
                assertEquals(f + "#" + i, images.get(i).name());
                assertArrayEquals(Arrays.copyOfRange(data[0], i * 784, (i + 1) * 784), images.get(i).pixels());
            }
        }
    }

    @Test
    void theKindIsToldByContentNotByName() throws Exception {
        byte[] px = IdxFixtures.synthetic(1, 1)[0];
        Path pngNamedJpg = Files.write(dir.resolve("photo.jpg"), Pictures.encode(Pictures.grey(px), "png"));
        assertEquals(1, read(pngNamedJpg).size());
    }

    @Test
    void brokenFilesAreNamedWithWhatIsWrong() throws Exception {
        assertTrue(failure(dir.resolve("absent.png")).endsWith("no such file"));
        assertTrue(failure(Files.write(dir.resolve("empty.png"), new byte[0])).endsWith("file is empty"));
        assertTrue(failure(dir).endsWith("is a directory, expected an image or idx file"));
        String text = failure(Files.writeString(dir.resolve("notes.png"), "not a picture", StandardCharsets.UTF_8));
        assertTrue(text.contains("not a picture in a form this reads (PNG, JPEG, GIF, BMP, WBMP, TIFF, WebP) nor an idx3-ubyte "
                + "image file (it starts with 6E 6F 74 20)"),
                text);
        byte[] png = Pictures.encode(Pictures.grey(new byte[784]), "png");
        byte[] corrupt = Arrays.copyOf(png, png.length);
        Arrays.fill(corrupt, 16, corrupt.length, (byte) 0x5A);
        assertTrue(failure(Files.write(dir.resolve("corrupt.png"), corrupt)).contains("cannot decode the PNG picture"));
        byte[] jpeg = Pictures.encode(Pictures.blackOnWhite(new byte[784], 40, 40), "jpg");
        String truncated = failure(Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, 12)));
        assertTrue(truncated.contains("cannot decode the JPEG picture"), truncated);
        byte[] labels = IdxFixtures.idx(1, new int[] {3}, new byte[] {1, 2, 3});
        String idx1 = failure(Files.write(dir.resolve("labels.idx1"), labels));
        assertTrue(idx1.contains("wrong magic number 0x00000801, expected 0x00000803"), idx1);
        String notImages = failure(Files.write(dir.resolve("small.idx3"),
                IdxFixtures.idx(3, new int[] {1, 10, 10}, new byte[100])));
        assertTrue(notImages.contains("images are 10x10, expected 28x28"), notImages);
    }
}
