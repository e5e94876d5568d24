package io.fashionspark.predict;

import io.fashionspark.data.DataException;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.IdxReader;
import io.fashionspark.data.RawImages;
import io.fashionspark.rundir.HadoopPaths;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/**
 * Reads the files given to {@code predict}: PNG or JPEG pictures (one image each, converted by
 * {@link ImageConverter}) and idx3-ubyte image files, gzip'd or raw (every image in them). The kind is told from
 * the file's first bytes, not its name. Every failure is a {@link DataException} whose message starts with the
 * file's name as given.
 */
public final class InputFiles {
    /** Pictures above this many pixels are refused before decoding (a 100-megapixel photograph is ample). */
    static final long MAX_PIXELS = 100_000_000L;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] GZIP = {0x1F, (byte) 0x8B};
    /** Any unsigned-byte idx file: idx1 (labels) is recognised too, for a clear "not images" message. */
    private static final byte[] IDX_UBYTE = {0, 0, 0x08};

    private InputFiles() {
    }

    /** The images of one file (a local path or a Hadoop URI). */
    public static List<InputImage> read(String file, Configuration conf) {
        return parse(file, readBytes(file, conf));
    }

    /** The images of one file's content, {@code file} naming it in messages and in the images' names. */
    public static List<InputImage> parse(String file, byte[] bytes) {
        if (startsWith(bytes, GZIP) || startsWith(bytes, IDX_UBYTE)) {
            return idxImages(file, bytes);
        }
        if (startsWith(bytes, PNG) || startsWith(bytes, JPEG)) {
            return List.of(new InputImage(file, ImageConverter.toFashionMnist(decode(file, bytes))));
        }
        if (bytes.length == 0) {
            throw new DataException(file + ": file is empty");
        }
        throw new DataException(file + ": not a PNG or JPEG picture nor an idx3-ubyte image file (it starts with "
                + hex(bytes) + ")");
    }

    private static byte[] readBytes(String file, Configuration conf) {
        HadoopPaths.Location loc;
        try {
            loc = HadoopPaths.resolve(file, conf);
        } catch (HadoopPaths.UnsupportedLocationException | IllegalArgumentException e) {
            throw new DataException(file + ": " + e.getMessage(), e);
        }
        try {
            FileStatus status = loc.fs().getFileStatus(loc.path());
            if (status.isDirectory()) {
                throw new DataException(file + ": is a directory, expected an image or idx file");
            }
            try (InputStream in = loc.fs().open(loc.path())) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static BufferedImage decode(String file, byte[] bytes) {
        try {
            var in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException(file + ": no decoder for this picture");
            }
            var reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new DataException(file + ": picture of " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels is too large (at most " + MAX_PIXELS / 1_000_000 + " megapixels)");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException d) {
                throw d;
            }
            String format = startsWith(bytes, PNG) ? "PNG" : "JPEG";
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new DataException(file + ": cannot decode the " + format + " picture (" + why + ")", e);
        }
    }

    private static List<InputImage> idxImages(String file, byte[] bytes) {
        RawImages raw = IdxReader.readImages(file, new ByteArrayInputStream(bytes), FashionMnistFiles.ROWS,
                FashionMnistFiles.COLS);
        int ppi = raw.pixelsPerImage();
        List<InputImage> images = new ArrayList<>(raw.count());
        for (int i = 0; i < raw.count(); i++) {
            images.add(new InputImage(file + "#" + i, Arrays.copyOfRange(raw.pixels(), i * ppi, (i + 1) * ppi)));
        }
        return images;
    }

    /** Whether {@code bytes} start as a PNG or JPEG file does. */
    public static boolean isPicture(byte[] bytes) {
        return startsWith(bytes, PNG) || startsWith(bytes, JPEG);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            sb.append(String.format("%02X ", bytes[i] & 0xFF));
        }
        return sb.toString().trim();
    }
}
