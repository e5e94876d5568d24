package io.fashionspark.train;

/** The members of a ring averaging a float vector: every member ends with the same bits. */
interface AllReduce extends AutoCloseable {
    int size();

    /** Replaces {@code values} with the members' element-wise mean; every member calls it with the same length. */
    void allReduceMean(float[] values) throws InterruptedException;

    @Override
    void close();
}
