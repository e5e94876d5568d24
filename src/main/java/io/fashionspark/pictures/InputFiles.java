package io.fashionspark.pictures;

import io.fashionspark.data.DataException;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.IdxReader;
import io.fashionspark.data.RawImages;
import io.fashionspark.fs.HadoopPaths;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/**
 * Reads the files given to {@code predict}, and the pictures of the Spark ML model's binary column: pictures in any
 * form Java's ImageIO reads here ({@link #FORMATS}; one image each, an animated GIF's first frame, converted by
 * {@link ImageConverter}) and idx3-ubyte image files, gzip'd or raw (every image in them). The kind is told from the
 * file's first bytes, not its name. A picture the decoder reports as incomplete (a truncated JPEG) is refused as a
 * corrupt one is: a partly decoded picture would still get a confident class. Every failure is a
 * {@link DataException} whose message starts with the file's name as given.
 */
public final class InputFiles {
    /** Pictures above this many pixels are refused before decoding (a 100-megapixel photograph is ample). */
    static final long MAX_PIXELS = 100_000_000L;
    /** The picture forms read: the JDK's ImageIO readers, and WebP through TwelveMonkeys' plug-in. */
    public static final String FORMATS = "PNG, JPEG, GIF, BMP, WBMP, TIFF, WebP";
    private static final byte[] GZIP = {0x1F, (byte) 0x8B};
    /** Any unsigned-byte idx file: idx1 (labels) is recognised too, for a clear "not images" message. */
    private static final byte[] IDX_UBYTE = {0, 0, 0x08};

    static {
        // ImageIO finds plug-ins on the class path it started with; on an executor the application's jar is on a
        // class loader of its own, so WebP's reader is registered from it explicitly.
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try {
            t.setContextClassLoader(InputFiles.class.getClassLoader());
            ImageIO.scanForPlugins();
        } finally {
            t.setContextClassLoader(before);
        }
    }

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
        if (bytes.length == 0) {
            throw new DataException(file + ": file is empty");
        }
        return List.of(new InputImage(file, ImageConverter.toFashionMnist(decode(file, bytes))));
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
        String format = "";
        try {
            var in = new BytesImageInputStream(bytes);
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException(file + ": not a picture in a form this reads (" + FORMATS + ") nor an "
                        + "idx3-ubyte image file (it starts with " + hex(bytes) + ")");
            }
            var reader = readers.next();
            format = reader.getFormatName().toUpperCase(java.util.Locale.ROOT);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new DataException(file + ": picture of " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels is too large (at most " + MAX_PIXELS / 1_000_000 + " megapixels)");
                }
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    // The JPEG reader decodes a truncated file to the end it has, and only warns.
                    throw new DataException(file + ": the " + format + " picture decodes only in part ("
                            + String.join("; ", warnings) + ")");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException d) {
                throw d;
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new DataException(file + ": cannot decode the " + (format.isEmpty() ? "" : format + " ")
                    + "picture (" + why + ")", e);
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

    /** Whether {@code bytes} are a picture that one of ImageIO's readers says it can decode (from its header). */
    public static boolean isPicture(byte[] bytes) {
        if (bytes.length == 0 || startsWith(bytes, GZIP) || startsWith(bytes, IDX_UBYTE)) {
            return false;
        }
        try {
            return ImageIO.getImageReaders(new BytesImageInputStream(bytes)).hasNext();
        } catch (RuntimeException e) {
            return false;
        }
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
