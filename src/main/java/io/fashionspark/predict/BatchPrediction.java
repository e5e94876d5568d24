package io.fashionspark.predict;

import io.fashionspark.config.ConfigException;
import io.fashionspark.fs.HadoopPaths;
import io.fashionspark.ml.FashionClassifierModel;
import io.fashionspark.ml.ImageInput;
import io.fashionspark.rundir.NoSpaceLeftException;
import io.fashionspark.rundir.OutputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * {@code predict --output}: every listed picture, idx image and table row classified on the executors and written
 * as one Spark job output. The rows are written into a hidden directory beside the output and renamed into place
 * only once the job has succeeded, so the output is either complete or absent (and an existing one is left as it
 * was unless it is to be replaced). Images are read, decoded and classified as a stream, a batch at a time, so an
 * executor's memory does not grow with the number of pictures.
 */
public final class BatchPrediction {
    /** Listed files per task: enough to amortise a task's start, small enough to keep every worker busy to the end. */
    static final int FILES_PER_TASK = 1000;
    private static final List<String> IMAGE_COLUMNS = List.of("image", "content", "pixels", "features");

    private final SparkSession spark;
    private final FashionClassifierModel model;
    private final int top;
    private final int workers;
    private final String imageColumn;

    /** {@code imageColumn}: of Parquet inputs; null picks the first usable of image, content, pixels, features. */
    public BatchPrediction(SparkSession spark, FashionClassifierModel model, int top, int workers,
                           String imageColumn) {
        this.spark = spark;
        this.model = model;
        this.top = top;
        this.workers = workers;
        this.imageColumn = imageColumn;
    }

    /** How many images were classified and how many failed, and where they were written. */
    public record Result(long classified, long failed, String output) {
    }

    /** Refuses an output that exists unless it is to be replaced; nothing is read or written before. */
    public static HadoopPaths.Location checkOutput(String output, boolean overwrite,
                                                   org.apache.hadoop.conf.Configuration conf) {
        HadoopPaths.Location target;
        try {
            target = HadoopPaths.resolve(output, conf);
        } catch (HadoopPaths.UnsupportedLocationException | IllegalArgumentException e) {
            throw new OutputException(output + ": " + e.getMessage(), e);
        }
        if (target.path().getParent() == null) {
            throw new ConfigException("--output " + output + ": not a directory path");
        }
        try {
            if (!overwrite && target.fs().exists(target.path())) {
                throw new OutputException(output + ": exists; give --overwrite to replace it (it is left as it is)");
            }
        } catch (IOException e) {
            throw new OutputException(output + ": cannot be checked: " + e.getMessage(), e);
        }
        return target;
    }

    public Result run(InputListing inputs, String output, OutputFormat format, boolean overwrite) {
        HadoopPaths.Location target = checkOutput(output, overwrite, spark.sparkContext().hadoopConfiguration());
        Dataset<Row> rows = null;
        if (!inputs.files().isEmpty() || !inputs.problems().isEmpty()) {
            rows = classify(files(inputs));
        }
        for (String table : inputs.tables()) {
            Dataset<Row> t = table(table);
            rows = rows == null ? t : rows.union(t);
        }
        if (rows == null) {
            throw new ConfigException("no inputs to classify");
        }
        FileSystem fs = target.fs();
        Path temp = new Path(target.path().getParent(), "." + target.path().getName() + ".tmp-" + UUID.randomUUID());
        try {
            rows.write().format(format.sparkFormat()).option("header", "true").save(temp.toString());
            replace(fs, temp, target.path(), overwrite);
        } catch (IOException e) {
            throw new OutputException(output + ": cannot be written: " + e.getMessage(), e);
        } catch (Exception e) {
            // Executors report a full device inside Spark's job failure (a SparkException, which Scala throws
            // undeclared); the hidden directory is removed below.
            if (NoSpaceLeftException.isNoSpace(e)) {
                throw NoSpaceLeftException.writing(target.path().getParent().toString(), target.path().getName(), e);
            }
            throw e;
        } finally {
            deleteQuietly(fs, temp);
        }
        // Errors are one line, but a path may hold a line break: CSV fields may span lines (for JSON, multiLine
        // would mean one document per file, not JSON Lines).
        Dataset<Row> written = spark.read().format(format.sparkFormat()).option("header", "true")
                .option("multiLine", String.valueOf(format == OutputFormat.CSV))
                .schema(TopClasses.schema(top)).load(target.path().toString());
        long total = written.count();
        long failed = written.where(functions.col("error").isNotNull()).count();
        return new Result(total - failed, failed, target.toString());
    }

    /** Listed files (and the inputs that could not be listed, as rows with their error), read in tasks. */
    private Dataset<Row> files(InputListing inputs) {
        List<Tuple2<String, String>> entries = new ArrayList<>();
        inputs.problems().forEach(p -> entries.add(new Tuple2<>(p.path(), p.error())));
        inputs.files().forEach(f -> entries.add(new Tuple2<>(f, null)));
        int partitions = Math.max(1, Math.min(entries.size(),
                Math.max(4 * workers, (entries.size() + FILES_PER_TASK - 1) / FILES_PER_TASK)));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        var hadoop = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        JavaRDD<Row> read = jsc.parallelize(entries, partitions).flatMap(new ReadFiles(hadoop));
        StructType schema = new StructType().add("path", DataTypes.StringType, false)
                .add("content", DataTypes.BinaryType).add("readError", DataTypes.StringType);
        return spark.createDataFrame(read, schema);
    }

    /** A Parquet table's rows, named by a path column when it has one, else by file and row. */
    private Dataset<Row> table(String table) {
        Dataset<Row> df = spark.read().parquet(table);
        String image = imageColumn(table, df.schema());
        List<String> names = List.of(df.schema().fieldNames());
        Column path;
        if (names.contains("path") && df.schema().apply("path").dataType().equals(DataTypes.StringType)) {
            path = df.col("path");
        } else if (names.contains("origin")) {
            path = df.col("origin").cast(DataTypes.StringType);
        } else if (ImageInput.of(image, df.schema().apply(image).dataType()) == ImageInput.IMAGE_STRUCT) {
            path = df.col(image).getField("origin");
        } else {
            path = functions.concat(functions.input_file_name(), functions.lit("#"),
                    functions.monotonically_increasing_id().cast(DataTypes.StringType));
        }
        return classify(df.select(path.as("path"), df.col(image).as("content"),
                functions.lit(null).cast(DataTypes.StringType).as("readError")));
    }

    private String imageColumn(String table, StructType schema) {
        List<String> names = List.of(schema.fieldNames());
        if (imageColumn != null) {
            if (!names.contains(imageColumn)) {
                throw new ConfigException("--image-column " + imageColumn + ": " + table + " has no such column (it "
                        + "has " + String.join(", ", names) + ")");
            }
            ImageInput.of(imageColumn, schema.apply(imageColumn).dataType());
            return imageColumn;
        }
        List<String> candidates = new ArrayList<>(IMAGE_COLUMNS);
        names.stream().filter(n -> !IMAGE_COLUMNS.contains(n)).forEach(candidates::add);
        for (String c : candidates) {
            if (names.contains(c) && usable(schema.apply(c))) {
                return c;
            }
        }
        throw new ConfigException(table + ": no column holds images (an image struct, binary picture bytes or 784 "
                + "numbers); its columns are " + schema.simpleString());
    }

    private static boolean usable(StructField field) {
        try {
            ImageInput.of(field.name(), field.dataType());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** path, content (an image in any form), readError -> the output rows. */
    private Dataset<Row> classify(Dataset<Row> rows) {
        FashionClassifierModel scorer = model.copy(new org.apache.spark.ml.param.ParamMap()).setImageCol("content")
                .setHandleInvalid("keep").setErrorCol("decodeError").setPredictionCol("_prediction")
                .setPredictedClassCol("_class").setProbabilityCol("_probability");
        return scorer.transform(rows).select("path", "_probability", "readError", "decodeError")
                .map(new TopClasses(top), Encoders.row(TopClasses.schema(top)));
    }

    /** Moves the finished output into place; an old one is deleted only once the new one is complete. */
    private static void replace(FileSystem fs, Path temp, Path target, boolean overwrite) throws IOException {
        if (fs.exists(target)) {
            if (!overwrite) {
                throw new OutputException(target + ": appeared while predicting; the results are not written");
            }
            if (!fs.delete(target, true)) {
                throw new IOException("cannot delete the old " + target);
            }
        }
        if (!fs.rename(temp, target)) {
            throw new IOException("cannot rename " + temp + " to " + target);
        }
    }

    private static void deleteQuietly(FileSystem fs, Path path) {
        try {
            fs.delete(path, true);
        } catch (IOException ignored) {
            // Best effort: the temporary directory is hidden and its name says what it is.
        }
    }
}
