package io.fashionspark.runtime;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.kryo.Nd4jRegistrator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's Kryo registrations ({@link Nd4jRegistrator}: arrays, its collections and atomics), with ND4J arrays
 * copied in one block ({@link BulkNdArraySerializer}) instead of element by element. Set as
 * {@code spark.kryo.registrator} by {@code conf/spark-defaults.conf} and for the embedded master.
 */
public final class FastNd4jRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        NativeDefaults.apply();
        new Nd4jRegistrator().registerClasses(kryo);
        // Registering a class again replaces its serializer.
        kryo.register(Nd4j.getBackend().getNDArrayClass(), new BulkNdArraySerializer());
    }
}
