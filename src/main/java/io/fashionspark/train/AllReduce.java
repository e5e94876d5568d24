package io.fashionspark.train;

import java.nio.FloatBuffer;

/** The members of a ring averaging a float vector: every member ends with the same bits. */
interface AllReduce extends AutoCloseable {
    int size();

    /** Bytes this member has sent to its peers so far (messages and their headers); 0 where nothing is sent. */
    default long sentBytes() {
        return 0;
    }

    /** Replaces {@code values} with the members' element-wise mean; every member calls it with the same length. */
    void allReduceMean(float[] values) throws InterruptedException;

    /**
     * The same for a vector held in parts (a model's parameters, then its updater state), each read and written
     * from its position to its limit: the parts are averaged as their concatenation, with its bits.
     */
    default void allReduceMean(FloatBuffer... parts) throws InterruptedException {
        int length = 0;
        for (FloatBuffer p : parts) {
            length += p.remaining();
        }
        float[] values = gatherInto(length);
        int at = 0;
        for (FloatBuffer p : parts) {
            int n = p.remaining();
            p.duplicate().get(values, at, n);
            at += n;
        }
        allReduceMean(values);
        at = 0;
        for (FloatBuffer p : parts) {
            int n = p.remaining();
            p.duplicate().put(values, at, n);
            at += n;
        }
    }

    /** The array {@link #allReduceMean(FloatBuffer...)} gathers the parts into; its contents are overwritten. */
    default float[] gatherInto(int length) {
        return new float[length];
    }

    @Override
    void close();
}
