package io.fashionspark.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag$;

/** ND4J arrays survive Spark's Kryo with fashion-spark's registrator, whatever their type, order or view. */
class BulkNdArraySerializerTest {
    private final SerializerInstance kryo = new KryoSerializer(new SparkConf(false)
            .set("spark.kryo.registrator", FastNd4jRegistrator.class.getName())).newInstance();

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T value) {
        ByteBuffer bytes = kryo.serialize(value, ClassTag$.MODULE$.apply(Object.class));
        return (T) kryo.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
    }

    @Test
    void arraysOfEveryShapeTypeOrderAndViewComeBackEqual() {
        INDArray matrix = Nd4j.rand(DataType.FLOAT, 37, 53);
        List<INDArray> arrays = List.of(
                matrix,
                Nd4j.rand(DataType.FLOAT, 4, 5, 6).dup('f'),
                matrix.getColumn(7),
                matrix.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 9),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(10, 20)),
                Nd4j.rand(DataType.DOUBLE, 3, 4),
                Nd4j.createFromArray(1, -2, 3, Integer.MAX_VALUE),
                Nd4j.createFromArray(5L, -6L),
                Nd4j.createFromArray(new boolean[] {true, false, true}),
                Nd4j.scalar(2.5f),
                Nd4j.empty(DataType.FLOAT),
                Nd4j.create(DataType.FLOAT, 0, 3),
                Nd4j.rand(DataType.FLOAT, 1, 1_500_000));
        for (INDArray original : arrays) {
            INDArray back = roundTrip(original);
            assertEquals(original.dataType(), back.dataType(), original.shapeInfoToString());
            assertArrayEquals(original.shape(), back.shape(), original.shapeInfoToString());
            assertEquals(original, back, original.shapeInfoToString());
        }
    }

    @Test
    void objectsHoldingArraysComeBackEqual() {
        DataSet ds = new DataSet(Nd4j.rand(DataType.FLOAT, 10, 784), Nd4j.eye(10).castTo(DataType.FLOAT));
        DataSet back = roundTrip(ds);
        assertEquals(ds.getFeatures(), back.getFeatures());
        assertEquals(ds.getLabels(), back.getLabels());
    }
}
