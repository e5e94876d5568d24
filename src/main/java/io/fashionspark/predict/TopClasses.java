package io.fashionspark.predict;

import io.fashionspark.data.FashionClasses;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One output row per image: its path, its {@code k} most likely classes with their probabilities (flat columns
 * {@code class_1, probability_1, ...}, so that CSV holds them as Parquet and JSON do) and the error that kept it
 * from being classified (null when it was).
 */
final class TopClasses implements MapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final int k;

    TopClasses(int k) {
        this.k = k;
    }

    static StructType schema(int k) {
        StructType s = new StructType().add("path", DataTypes.StringType, false);
        for (int j = 1; j <= k; j++) {
            s = s.add("class_" + j, DataTypes.StringType).add("probability_" + j, DataTypes.DoubleType);
        }
        return s.add("error", DataTypes.StringType);
    }

    /** Input: path, probability vector (or null), read error, decode error. */
    @Override
    public Row call(Row row) {
        Object[] values = new Object[2 + 2 * k];
        values[0] = row.getString(0);
        if (!row.isNullAt(1)) {
            Vector p = (Vector) row.get(1);
            int[] order = IntStream.range(0, p.size()).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(c -> -p.apply(c)).thenComparingInt(c -> c))
                    .mapToInt(Integer::intValue).toArray();
            for (int j = 0; j < k; j++) {
                values[1 + 2 * j] = FashionClasses.NAMES.get(order[j]);
                values[2 + 2 * j] = p.apply(order[j]);
            }
        }
        values[values.length - 1] = !row.isNullAt(2) ? row.getString(2) : row.isNullAt(3) ? null : row.getString(3);
        return RowFactory.create(values);
    }
}
