package io.fashionspark.savedmodel;

import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.MiniBatch;
import io.fashionspark.fs.HadoopPaths;
import io.fashionspark.model.ModelKind;
import io.fashionspark.pictures.InputImage;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@code model.zip} (DL4J {@code ModelSerializer} format, as {@code train} writes it) loaded and checked: that it
 * is a MultiLayerNetwork, that it takes one 28x28x1 image (flat as 784 values for the DNN, 28x28x1 channels-last or
 * 1x28x28 channels-first for convolutional models, read from the first layer's configuration) and gives 10 class
 * probabilities. Every problem is a {@link ModelFileException} naming the file.
 */
public final class SavedModel {
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final long PIXELS = (long) FashionMnistFiles.ROWS * FashionMnistFiles.COLS;
    /** Images per forward pass on the driver. */
    static final int BATCH = 256;

    private final String name;
    private final HadoopPaths.Location location;
    private final MultiLayerNetwork network;
    private final long[] exampleShape;
    private final String architecture;
    private final ModelProvenance provenance;

    private SavedModel(String name, HadoopPaths.Location location, MultiLayerNetwork network, long[] exampleShape,
                       String architecture, ModelProvenance provenance) {
        this.provenance = provenance;
        this.name = name;
        this.location = location;
        this.network = network;
        this.exampleShape = exampleShape;
        this.architecture = architecture;
    }

    /** Loads {@code file} (a local path or a Hadoop URI) without its updater state, and checks it. */
    public static SavedModel load(String file, Configuration conf) {
        ModelFile read = read(file, conf);
        return fromBytes(file, read.location(), read.bytes());
    }

    /** A model file's location and whole content. */
    public record ModelFile(HadoopPaths.Location location, byte[] bytes) {
    }

    /**
     * Reads {@code file} whole, with {@link #load}'s messages for a bad location, a missing file or a directory;
     * for callers that keep the bytes as well as the checked model ({@link #fromBytes}).
     */
    public static ModelFile read(String file, Configuration conf) {
        HadoopPaths.Location loc;
        try {
            loc = HadoopPaths.resolve(file, conf);
        } catch (HadoopPaths.UnsupportedLocationException | IllegalArgumentException e) {
            throw new ModelFileException(file + ": " + e.getMessage(), e);
        }
        return new ModelFile(loc, readBytes(file, loc));
    }

    /**
     * Checks and loads a model from the bytes of its {@code model.zip}; {@code file} names it in messages,
     * {@code loc} is where it was read from (null when it was not read from a file).
     */
    public static SavedModel fromBytes(String file, HadoopPaths.Location loc, byte[] bytes) {
        if (bytes.length < ZIP.length || !Arrays.equals(bytes, 0, ZIP.length, ZIP, 0, ZIP.length)) {
            throw notAModel(file, "not a zip file", null);
        }
        Set<String> entries = entries(file, bytes);
        if (!entries.contains(ModelSerializer.CONFIGURATION_JSON) || !entries.contains(ModelSerializer.COEFFICIENTS_BIN)) {
            throw notAModel(file, "a zip file without DL4J's " + ModelSerializer.CONFIGURATION_JSON + " and "
                    + ModelSerializer.COEFFICIENTS_BIN, null);
        }
        MultiLayerNetwork net;
        try {
            net = ModelZip.read(bytes, false);
        } catch (IOException | RuntimeException e) {
            throw notAModel(file, "DL4J cannot load it as a MultiLayerNetwork: " + brief(e), e);
        }
        MultiLayerConfiguration mlc = net.getLayerWiseConfigurations();
        long[] shape = exampleShape(file, mlc);
        checkOutputs(file, mlc);
        ModelProvenance provenance;
        try {
            provenance = ModelZip.provenance(bytes).orElse(null);
        } catch (IOException | RuntimeException e) {
            throw notAModel(file, ModelZip.PROVENANCE + " cannot be read: " + brief(e), e);
        }
        SavedModel model = new SavedModel(file, loc, net, shape, architecture(mlc), provenance);
        model.checkForwardPass();
        return model;
    }

    private static byte[] readBytes(String file, HadoopPaths.Location loc) {
        try {
            FileStatus status = loc.fs().getFileStatus(loc.path());
            if (status.isDirectory()) {
                String hint = loc.fs().exists(loc.child("model.zip").path())
                        ? "; did you mean " + (file.endsWith("/") ? file : file + "/") + "model.zip?" : "";
                throw new ModelFileException(file + ": is a directory; --model takes the model.zip file" + hint);
            }
            try (InputStream in = loc.fs().open(loc.path())) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new ModelFileException(file + ": model file does not exist");
        } catch (IOException e) {
            throw new ModelFileException(file + ": cannot read the model: " + e.getMessage(), e);
        }
    }

    private static Set<String> entries(String file, byte[] bytes) {
        Set<String> names = new HashSet<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                names.add(e.getName());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw notAModel(file, "a corrupt zip file: " + brief(e), e);
        }
        return names;
    }

    /**
     * What one example looks like to the network, from its first layer (and an input preprocessor before it):
     * {784} for a dense first layer, {28, 28, 1} or {1, 28, 28} for a 2D convolution by its data format.
     */
    static long[] exampleShape(String file, MultiLayerConfiguration conf) {
        if (conf.getConfs().isEmpty()) {
            throw notAModel(file, "a network without layers", null);
        }
        Layer first = conf.getConf(0).getLayer();
        InputPreProcessor pre = conf.getInputPreProcess(0);
        if (pre instanceof FeedForwardToCnnPreProcessor p) {
            long values = p.getInputHeight() * p.getInputWidth() * p.getNumChannels();
            if (p.getInputHeight() != FashionMnistFiles.ROWS || p.getInputWidth() != FashionMnistFiles.COLS
                    || p.getNumChannels() != 1) {
                throw wrongShape(file, "[" + values + "] (reshaped to " + p.getInputHeight() + "x"
                        + p.getInputWidth() + "x" + p.getNumChannels() + ")");
            }
            return new long[] {PIXELS};
        }
        if (first instanceof Convolution1DLayer || first instanceof Convolution3D) {
            throw wrongShape(file, "of a " + first.getClass().getSimpleName() + " (not 2D images)");
        }
        if (first instanceof ConvolutionLayer c) {
            CNN2DFormat format = c.getCnn2dDataFormat() == null ? CNN2DFormat.NCHW : c.getCnn2dDataFormat();
            if (c.getNIn() != 1) {
                throw wrongShape(file, format == CNN2DFormat.NHWC ? "HxWx" + c.getNIn() : c.getNIn() + "xHxW");
            }
            return format == CNN2DFormat.NHWC
                    ? new long[] {FashionMnistFiles.ROWS, FashionMnistFiles.COLS, 1}
                    : new long[] {1, FashionMnistFiles.ROWS, FashionMnistFiles.COLS};
        }
        if (first instanceof FeedForwardLayer f && pre == null) {
            if (f.getNIn() != PIXELS) {
                throw wrongShape(file, "[" + f.getNIn() + "]");
            }
            return new long[] {PIXELS};
        }
        throw notAModel(file, "its first layer, " + first.getClass().getSimpleName()
                + (pre == null ? "" : " after a " + pre.getClass().getSimpleName())
                + ", takes neither images nor flat vectors", null);
    }

    private static void checkOutputs(String file, MultiLayerConfiguration conf) {
        Layer last = conf.getConf(conf.getConfs().size() - 1).getLayer();
        if (last instanceof FeedForwardLayer f && f.getNOut() != FashionMnistFiles.NUM_CLASSES) {
            throw new ModelFileException(file + ": the model predicts " + f.getNOut()
                    + " classes, FashionMNIST has " + FashionMnistFiles.NUM_CLASSES);
        }
    }

    /** One black image through the network: whatever the configuration says, it must give 10 probabilities. */
    private void checkForwardPass() {
        long[] out;
        try {
            out = output(new byte[(int) PIXELS], 1).shape();
        } catch (RuntimeException e) {
            throw new ModelFileException(name + ": the model does not accept FashionMNIST's 28x28x1 images (fed as "
                    + shapeText(exampleShape) + ": " + brief(e) + ")", e);
        }
        if (out.length != 2 || out[1] != FashionMnistFiles.NUM_CLASSES) {
            throw new ModelFileException(name + ": the model's output has shape " + Arrays.toString(out)
                    + ", expected " + FashionMnistFiles.NUM_CLASSES + " class probabilities per image");
        }
    }

    /** The name as given on the command line. */
    public String name() {
        return name;
    }

    public HadoopPaths.Location location() {
        return location;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    /** One example's feature shape as the network takes it, e.g. {784} or {28, 28, 1}. */
    public long[] exampleShape() {
        return exampleShape.clone();
    }

    /** FashionDNN, FashionCNN or LeNet-5 when the layers are theirs, else a description of the network. */
    public String architecture() {
        return architecture;
    }

    /** Where the model came from; empty for models saved before model.zip carried its provenance. */
    public Optional<ModelProvenance> provenance() {
        return Optional.ofNullable(provenance);
    }

    /** The architecture whose layers these are, if it is one of this project's. */
    public Optional<ModelKind> kind() {
        return kindOf(network.getLayerWiseConfigurations());
    }

    public long parameters() {
        return network.numParams();
    }

    /** Class probabilities {@code [count, 10]} of {@code count} 28x28 images given as grey-level bytes. */
    INDArray output(byte[] pixels, int count) {
        MiniBatch batch = new MiniBatch(FashionMnistFiles.ROWS, FashionMnistFiles.COLS, pixels, new byte[count]);
        return network.output(batch.toDataSet(exampleShape).getFeatures(), false);
    }

    /** Class probabilities of each image, in batches of {@value #BATCH}; row i belongs to {@code images.get(i)}. */
    public float[][] probabilities(List<InputImage> images) {
        float[][] probs = new float[images.size()][];
        int ppi = (int) PIXELS;
        for (int from = 0; from < images.size(); from += BATCH) {
            int to = Math.min(images.size(), from + BATCH);
            byte[] pixels = new byte[(to - from) * ppi];
            for (int i = from; i < to; i++) {
                System.arraycopy(images.get(i).pixels(), 0, pixels, (i - from) * ppi, ppi);
            }
            INDArray out = output(pixels, to - from);
            float[] flat = out.dup('c').data().asFloat();
            int classes = (int) out.size(1);
            for (int i = from; i < to; i++) {
                probs[i] = Arrays.copyOfRange(flat, (i - from) * classes, (i - from + 1) * classes);
            }
        }
        return probs;
    }

    static String shapeText(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    private static String architecture(MultiLayerConfiguration conf) {
        return kindOf(conf).map(ModelKind::displayName)
                .orElse("a MultiLayerNetwork of " + conf.getConfs().size() + " layers");
    }

    private static Optional<ModelKind> kindOf(MultiLayerConfiguration conf) {
        List<String> layers = signature(conf);
        for (ModelKind kind : ModelKind.values()) {
            if (signature(kind.factory().configuration(0, 1e-3)).equals(layers)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** Each layer's name, type and output size: what tells this project's architectures apart. */
    private static List<String> signature(MultiLayerConfiguration conf) {
        List<String> sig = new ArrayList<>();
        for (NeuralNetConfiguration c : conf.getConfs()) {
            Layer l = c.getLayer();
            sig.add(l.getLayerName() + ":" + l.getClass().getSimpleName()
                    + (l instanceof FeedForwardLayer f ? ":" + f.getNOut() : ""));
        }
        return sig;
    }

    private static ModelFileException wrongShape(String file, String shape) {
        return new ModelFileException(file + ": the model expects inputs of shape " + shape
                + ", FashionMNIST images are 28x28x1");
    }

    private static ModelFileException notAModel(String file, String why, Throwable cause) {
        return new ModelFileException(file + ": not a fashion-spark model (" + why + ")", cause);
    }

    /** The first line of an exception's message, shortened: enough to say what is wrong in one sentence. */
    static String brief(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl).strip();
        }
        return m.length() > 160 ? m.substring(0, 157) + "..." : m;
    }
}
