package io.fashionspark.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kryo serialiser for ND4J arrays that copies the array's bytes in one block. ND4J's own ({@link Nd4jSerializer})
 * writes through a {@code DataOutputStream} one element at a time, and that runs on every replica of every
 * averaging round and in every broadcast of the parameters (its cost is in docs/performance.md).
 *
 * <p>Layout: a mode byte, then the data type, rank, shape, whether it is empty, and the elements in C order,
 * little-endian. Arrays this
 * does not handle as bytes (strings, over 2 GB, a big-endian machine) go through ND4J's serialiser after mode 1.
 */
final class BulkNdArraySerializer extends Serializer<INDArray> {
    private static final byte BULK = 0;
    private static final byte FALLBACK = 1;
    /** Bytes copied at a time between the array's native memory and Kryo's buffer (no array-sized temporary). */
    private static final int CHUNK = 1 << 16;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final Nd4jSerializer fallback = new Nd4jSerializer();

    @Override
    public void write(Kryo kryo, Output output, INDArray array) {
        if (!bulkCapable(array)) {
            output.writeByte(FALLBACK);
            fallback.write(kryo, output, array);
            return;
        }
        output.writeByte(BULK);
        output.writeString(array.dataType().name());
        long[] shape = array.shape();
        output.writeInt(shape.length, true);
        for (long d : shape) {
            output.writeLong(d, true);
        }
        // An empty array may have rank 0, like a scalar: say which it is.
        output.writeBoolean(array.isEmpty());
        if (array.isEmpty()) {
            return;
        }
        // A view or an F-order array is copied into a C-order array of its own first.
        INDArray c = array.isView() || array.ordering() != 'c' ? array.dup('c') : array;
        int bytes = Math.toIntExact(c.length() * c.dataType().width());
        ByteBuffer source = c.data().asNio().duplicate();
        byte[] chunk = new byte[Math.min(bytes, CHUNK)];
        for (int done = 0; done < bytes; done += chunk.length) {
            int n = Math.min(chunk.length, bytes - done);
            source.get(chunk, 0, n);
            output.writeBytes(chunk, 0, n);
        }
    }

    @Override
    public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
        if (input.readByte() == FALLBACK) {
            return fallback.read(kryo, input, type);
        }
        if (!LITTLE_ENDIAN) {
            throw new IllegalStateException("an ND4J array was sent as little-endian bytes to a big-endian machine");
        }
        DataType dataType = DataType.valueOf(input.readString());
        long[] shape = new long[input.readInt(true)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = input.readLong(true);
        }
        if (input.readBoolean()) {
            return shape.length == 0 ? Nd4j.empty(dataType) : Nd4j.create(dataType, shape);
        }
        INDArray array = Nd4j.create(dataType, shape, 'c');
        int bytes = Math.toIntExact(array.length() * dataType.width());
        ByteBuffer target = array.data().asNio().duplicate();
        byte[] chunk = new byte[Math.min(bytes, CHUNK)];
        for (int done = 0; done < bytes; done += chunk.length) {
            int n = Math.min(chunk.length, bytes - done);
            input.readBytes(chunk, 0, n);
            target.put(chunk, 0, n);
        }
        return array;
    }

    private static boolean bulkCapable(INDArray array) {
        DataType t = array.dataType();
        return LITTLE_ENDIAN && t != DataType.UTF8 && t != DataType.COMPRESSED && t != DataType.UNKNOWN
                && array.length() * t.width() <= Integer.MAX_VALUE - 64;
    }
}
