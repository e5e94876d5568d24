package io.fashionspark.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.deeplearning4j.core.storage.Persistable;

/**
 * One worker's loss on one minibatch, made on an executor. It rides back to the driver with the worker's
 * parameters through dl4j-spark's listener router, which carries {@link Persistable}s.
 */
public final class WorkerLossRecord implements Persistable {
    private static final long serialVersionUID = 1L;
    static final String TYPE_ID = "fashion-spark-worker-loss";

    private String sessionId;
    private String workerId;
    private int partition;
    private int localIteration;
    private double loss;
    private int examples;
    private long timestampMs;

    /** For deserialisation. */
    public WorkerLossRecord() {
    }

    public WorkerLossRecord(String sessionId, String workerId, int partition, int localIteration, double loss,
                            int examples, long timestampMs) {
        this.sessionId = sessionId;
        this.workerId = workerId;
        this.partition = partition;
        this.localIteration = localIteration;
        this.loss = loss;
        this.examples = examples;
        this.timestampMs = timestampMs;
    }

    /** The Spark partition, i.e. the worker's shard: a stable worker number across rounds. */
    public int partition() {
        return partition;
    }

    /** 0-based index of the minibatch within the worker's averaging round. */
    public int localIteration() {
        return localIteration;
    }

    public double loss() {
        return loss;
    }

    public int examples() {
        return examples;
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public String getTypeID() {
        return TYPE_ID;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public long getTimeStamp() {
        return timestampMs;
    }

    @Override
    public int encodingLengthBytes() {
        return encode().length;
    }

    @Override
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            encode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void encode(ByteBuffer buffer) {
        buffer.put(encode());
    }

    @Override
    public void encode(OutputStream outputStream) throws IOException {
        DataOutputStream out = new DataOutputStream(outputStream);
        out.writeUTF(sessionId == null ? "" : sessionId);
        out.writeUTF(workerId == null ? "" : workerId);
        out.writeInt(partition);
        out.writeInt(localIteration);
        out.writeDouble(loss);
        out.writeInt(examples);
        out.writeLong(timestampMs);
        out.flush();
    }

    @Override
    public void decode(byte[] decode) {
        try {
            decode(new ByteArrayInputStream(decode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void decode(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        decode(bytes);
    }

    @Override
    public void decode(InputStream inputStream) throws IOException {
        DataInputStream in = new DataInputStream(inputStream);
        sessionId = in.readUTF();
        workerId = in.readUTF();
        partition = in.readInt();
        localIteration = in.readInt();
        loss = in.readDouble();
        examples = in.readInt();
        timestampMs = in.readLong();
    }
}
