package io.fashionspark.ml;

import io.fashionspark.runtime.SparkContexts;
import io.fashionspark.savedmodel.SavedModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A trained fashion-spark network as a Spark ML {@code Model}: {@link #transform} classifies a DataFrame's images
 * on the executors and adds the columns {@code prediction} (the label index, a double as MLlib's evaluators want
 * it), {@code predictedClass} (its name) and {@code probability} (a vector of the 10 class probabilities).
 *
 * <p>The network travels to each executor once (a broadcast of its {@code model.zip}), images are classified in
 * batches of {@code batchSize} per partition, and nothing is collected on the driver. Saved with the ML writer
 * ({@code model.write().save(path)}, or inside a saved {@code Pipeline}) as Spark's parameter metadata plus the
 * {@code model.zip} in {@code data/}. {@link #fromModelZip} makes one from any {@code model.zip} that
 * {@code train} wrote.
 */
public final class FashionClassifierModel extends Model<FashionClassifierModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** Where the network lies inside a saved model's directory. */
    static final String DATA_FILE = "data/model.zip";

    private final String uid;
    private final byte[] modelZip;
    private transient SavedModel network;

    private final Param<String> imageCol;
    private final Param<String> predictionCol;
    private final Param<String> predictedClassCol;
    private final Param<String> probabilityCol;
    private final Param<String> handleInvalid;
    private final Param<String> errorCol;
    private final IntParam batchSize;

    FashionClassifierModel(String uid, byte[] modelZip) {
        this.uid = uid;
        this.modelZip = modelZip;
        // Created here, not where declared: a Param takes its owner's uid when it is made.
        imageCol = new Param<>(this, "imageCol", "column of images: an image struct "
                + "(Spark's image source), binary (a picture's bytes or 784 grey levels) or 784 numbers");
        predictionCol = new Param<>(this, "predictionCol", "output column of the "
                + "predicted label index (double)");
        predictedClassCol = new Param<>(this, "predictedClassCol", "output column of the "
                + "predicted class's name");
        probabilityCol = new Param<>(this, "probabilityCol", "output column of the vector "
                + "of class probabilities");
        handleInvalid = new Param<>(this, "handleInvalid", "what to do with a row whose "
                + "image cannot be used: error (fail, naming it), skip (drop the row) or keep (null predictions and "
                + "the reason in errorCol)", MlParams.oneOf("error", "skip", "keep"));
        errorCol = new Param<>(this, "errorCol", "output column of why an image could not "
                + "be used (handleInvalid=keep)");
        batchSize = new IntParam(this, "batchSize", "images per forward pass on an executor",
                MlParams.atLeast(1));
        setDefault(imageCol, "image");
        setDefault(predictionCol, "prediction");
        setDefault(predictedClassCol, "predictedClass");
        setDefault(probabilityCol, "probability");
        setDefault(handleInvalid, "error");
        setDefault(errorCol, "error");
        setDefault(batchSize, 256);
    }

    /**
     * A model from the bytes of a {@code model.zip}, checked as {@code predict} checks it; {@code uid} is the
     * estimator's that fitted it, as Spark's own models keep it.
     */
    static FashionClassifierModel of(String uid, byte[] modelZip, String name) {
        FashionClassifierModel model = new FashionClassifierModel(uid, modelZip);
        model.network = SavedModel.fromBytes(name, null, modelZip);
        return model;
    }

    /** A model from a {@code model.zip} that {@code train} wrote: a local path or any Hadoop URI. */
    public static FashionClassifierModel fromModelZip(String file) {
        return read(file, SparkContexts.hadoopConfiguration(), Identifiable$.MODULE$.randomUID("fashionClassifier"));
    }

    /** The model in {@code file}, read once: checked as {@code predict} checks it, its bytes kept to broadcast. */
    private static FashionClassifierModel read(String file, Configuration conf, String uid) {
        SavedModel.ModelFile read = SavedModel.read(file, conf);
        FashionClassifierModel model = new FashionClassifierModel(uid, read.bytes());
        model.network = SavedModel.fromBytes(file, read.location(), read.bytes());
        return model;
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> imageCol() {
        return imageCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> predictedClassCol() {
        return predictedClassCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> handleInvalid() {
        return handleInvalid;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public FashionClassifierModel setImageCol(String value) {
        set(imageCol, value);
        return this;
    }

    public FashionClassifierModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public FashionClassifierModel setPredictedClassCol(String value) {
        set(predictedClassCol, value);
        return this;
    }

    public FashionClassifierModel setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public FashionClassifierModel setHandleInvalid(String value) {
        set(handleInvalid, value);
        return this;
    }

    public FashionClassifierModel setErrorCol(String value) {
        set(errorCol, value);
        return this;
    }

    public FashionClassifierModel setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /** The network, loaded and checked on the driver (once). */
    SavedModel network() {
        if (network == null) {
            network = SavedModel.fromBytes("model of " + uid, null, modelZip);
        }
        return network;
    }

    /** FashionDNN, FashionCNN, LeNet-5, or a description of another network. */
    public String architecture() {
        return network().architecture();
    }

    /** The model as a {@code model.zip}, as {@code train} writes it (for {@code evaluate} and {@code predict}). */
    public byte[] modelZip() {
        return modelZip.clone();
    }

    private ScorePartition.Invalid invalid() {
        return ScorePartition.Invalid.valueOf($(handleInvalid).toUpperCase(Locale.ROOT));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String image = $(imageCol);
        if (!java.util.List.of(schema.fieldNames()).contains(image)) {
            throw new IllegalArgumentException("no image column '" + image + "' among " + String.join(", ",
                    schema.fieldNames()) + " (set imageCol)");
        }
        ImageInput.of(image, schema.apply(image).dataType());
        StructType out = schema;
        java.util.List<String> added = new java.util.ArrayList<>(java.util.List.of($(predictionCol),
                $(predictedClassCol), $(probabilityCol)));
        if (invalid() == ScorePartition.Invalid.KEEP) {
            added.add($(errorCol));
        }
        for (String column : added) {
            if (java.util.List.of(schema.fieldNames()).contains(column)) {
                throw new IllegalArgumentException("output column '" + column + "' already exists; name another");
            }
        }
        out = out.add(new StructField($(predictionCol), DataTypes.DoubleType, true,
                org.apache.spark.sql.types.Metadata.empty()));
        out = out.add(new StructField($(predictedClassCol), DataTypes.StringType, true,
                org.apache.spark.sql.types.Metadata.empty()));
        out = out.add(new StructField($(probabilityCol), SQLDataTypes.VectorType(), true,
                org.apache.spark.sql.types.Metadata.empty()));
        if (invalid() == ScorePartition.Invalid.KEEP) {
            out = out.add(new StructField($(errorCol), DataTypes.StringType, true,
                    org.apache.spark.sql.types.Metadata.empty()));
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        StructType out = transformSchema(schema);
        String image = $(imageCol);
        long[] shape = network().exampleShape();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        // Sent to each executor once; tasks there share what it loads (NetworkPool).
        Broadcast<byte[]> zip = sc.broadcast(modelZip);
        ScorePartition score = new ScorePartition(zip, uid + "/" + digest(modelZip), shape,
                schema.fieldIndex(image), image, ImageInput.of(image, schema.apply(image).dataType()),
                (Integer) $(batchSize), invalid());
        return dataset.toDF().mapPartitions(score, Encoders.row(out));
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public FashionClassifierModel copy(ParamMap extra) {
        FashionClassifierModel copy = new FashionClassifierModel(uid, modelZip);
        copy.network = network;
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Reads a model saved by {@link #write()} (the reader a saved Pipeline uses). */
    public static MLReader<FashionClassifierModel> read() {
        return new Reader();
    }

    public static FashionClassifierModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final FashionClassifierModel model;

        Writer(FashionClassifierModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sc(), Option.empty(), Option.empty());
            Path file = new Path(path, DATA_FILE);
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                try (OutputStream out = fs.create(file, false)) {
                    out.write(model.modelZip);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot write the model: " + e.getMessage(), e);
            }
        }
    }

    private static final class Reader extends MLReader<FashionClassifierModel> {
        @Override
        public FashionClassifierModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(),
                    FashionClassifierModel.class.getName());
            FashionClassifierModel model = FashionClassifierModel.read(new Path(path, DATA_FILE).toString(),
                    sc().hadoopConfiguration(), metadata.uid());
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
