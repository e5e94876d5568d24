package io.fashionspark.data;

import io.fashionspark.fs.HadoopPaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/** Locates and loads the four FashionMNIST idx files of a directory (local or any Hadoop URI), gzip'd or raw. */
public final class FashionMnistFiles {
    /** Where Debian's {@code dataset-fashion-mnist} package puts them. */
    public static final String DEFAULT_DIRECTORY = "/usr/share/datasets/fashion-mnist";
    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int NUM_CLASSES = 10;

    /** The two splits, both validated. */
    public record Splits(LabelledImages train, LabelledImages test) {
    }

    private FashionMnistFiles() {
    }

    public static Splits load(String directory, Configuration conf) {
        HadoopPaths.Location dir;
        try {
            dir = HadoopPaths.resolve(directory, conf);
        } catch (HadoopPaths.UnsupportedLocationException e) {
            throw new DataException(e.getMessage(), e);
        }
        checkDirectory(dir);
        LabelledImages train = loadSplit(dir, "train");
        LabelledImages test = loadSplit(dir, "t10k");
        return new Splits(train, test);
    }

    /** The test split alone ({@code t10k-*}), validated; for evaluating a trained model. */
    public static LabelledImages loadTest(String directory, Configuration conf) {
        HadoopPaths.Location dir = HadoopPaths.resolve(directory, conf);
        checkDirectory(dir);
        return loadSplit(dir, "t10k");
    }

    /** Loads {@code <prefix>-images-idx3-ubyte[.gz]} with {@code <prefix>-labels-idx1-ubyte[.gz]}. */
    public static LabelledImages loadSplit(HadoopPaths.Location dir, String prefix) {
        HadoopPaths.Location imagesFile = find(dir, prefix + "-images-idx3-ubyte");
        HadoopPaths.Location labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
        RawImages images;
        byte[] labels;
        try (InputStream in = open(imagesFile)) {
            images = IdxReader.readImages(imagesFile.toString(), in, ROWS, COLS);
        } catch (IOException e) {
            throw new DataException(imagesFile + ": cannot read: " + e.getMessage(), e);
        }
        try (InputStream in = open(labelsFile)) {
            labels = IdxReader.readLabels(labelsFile.toString(), in, NUM_CLASSES);
        } catch (IOException e) {
            throw new DataException(labelsFile + ": cannot read: " + e.getMessage(), e);
        }
        if (images.count() != labels.length) {
            throw new DataException(imagesFile + " holds " + images.count() + " images but " + labelsFile + " holds "
                    + labels.length + " labels; they must belong together");
        }
        return new LabelledImages(imagesFile.toString(), images, labels);
    }

    private static void checkDirectory(HadoopPaths.Location dir) {
        try {
            FileStatus st = dir.fs().getFileStatus(dir.path());
            if (!st.isDirectory()) {
                throw new DataException(dir + ": is a file; --data takes the directory holding the idx files");
            }
        } catch (FileNotFoundException e) {
            String hint = dir.path().toString().contains(DEFAULT_DIRECTORY)
                    ? " (install it with: sudo apt-get install dataset-fashion-mnist)" : "";
            throw new DataException(dir + ": data directory does not exist" + hint);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot read the data directory: " + e.getMessage(), e);
        }
    }

    private static HadoopPaths.Location find(HadoopPaths.Location dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            HadoopPaths.Location candidate = dir.child(name);
            try {
                FileStatus st = candidate.fs().getFileStatus(candidate.path());
                if (st.isDirectory()) {
                    throw new DataException(candidate + ": is a directory, expected an idx file");
                }
                return candidate;
            } catch (FileNotFoundException e) {
                // try the next name
            } catch (IOException e) {
                throw new DataException(candidate + ": cannot read: " + e.getMessage(), e);
            }
        }
        throw new DataException(dir + ": missing " + base + ".gz (or " + base + ")");
    }

    private static InputStream open(HadoopPaths.Location file) throws IOException {
        return file.fs().open(file.path());
    }
}
