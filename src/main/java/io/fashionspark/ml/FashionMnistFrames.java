package io.fashionspark.ml;

import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.fs.HadoopPaths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * FashionMNIST's idx files as a DataFrame, for trying the ML API: columns {@code label} (double, 0 to 9) and
 * {@code image} (the 784 grey levels as binary, a form {@link FashionClassifier} and
 * {@link FashionClassifierModel} take as they are).
 */
public final class FashionMnistFrames {
    private FashionMnistFrames() {
    }

    /**
     * The split {@code prefix} ({@code train} or {@code t10k}) of the idx files in {@code directory} (a local path
     * or any Hadoop URI), read on the driver (47 MB for the training set) and spread over the session's cores.
     */
    public static Dataset<Row> read(SparkSession spark, String directory, String prefix) {
        LabelledImages split = FashionMnistFiles.loadSplit(HadoopPaths.resolve(directory,
                spark.sparkContext().hadoopConfiguration()), prefix);
        byte[] pixels = split.images().pixels();
        int ppi = split.images().pixelsPerImage();
        List<Row> rows = new ArrayList<>(split.size());
        for (int i = 0; i < split.size(); i++) {
            rows.add(RowFactory.create((double) split.label(i), Arrays.copyOfRange(pixels, i * ppi, (i + 1) * ppi)));
        }
        StructType schema = new StructType().add("label", DataTypes.DoubleType, false)
                .add("image", DataTypes.BinaryType, false);
        return spark.createDataFrame(rows, schema);
    }
}
