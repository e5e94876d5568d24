package io.fashionspark.train;

import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ring's all-reduce for members that share one JVM (the embedded master's tasks are threads of the driver):
 * the vectors are read where they lie instead of crossing sockets, and each member sums its own slice. Every slice
 * is summed in exactly the order {@link PeerRing} sums it (starting at the slice's own member and going round), so
 * the two give the same bits for the same vectors.
 */
final class SharedMemoryRing implements AllReduce {
    private static final Map<String, Shared> RINGS = new ConcurrentHashMap<>();

    private final String name;
    private final Shared shared;
    private final int rank;
    private final long timeoutMillis;

    /** What the members of one ring share: their vectors, the mean they build, and the barrier they meet at. */
    private static final class Shared {
        final float[][] vectors;
        final CyclicBarrier barrier;
        float[] mean;

        Shared(int size) {
            vectors = new float[size][];
            barrier = new CyclicBarrier(size);
        }
    }

    /** Joins the ring {@code name} (one per barrier stage attempt) of {@code size} members as {@code rank}. */
    SharedMemoryRing(String name, int rank, int size, long timeoutMillis) {
        this.name = name;
        this.rank = rank;
        this.timeoutMillis = timeoutMillis;
        this.shared = RINGS.computeIfAbsent(name, n -> new Shared(size));
    }

    @Override
    public int size() {
        return shared.vectors.length;
    }

    @Override
    public void allReduceMean(float[] values) throws InterruptedException {
        int n = size();
        if (n == 1) {
            return;
        }
        shared.vectors[rank] = values;
        if (rank == 0) {
            shared.mean = new float[values.length];
        }
        await();
        // This member sums slice `rank`, as the ring's member `rank - 1` ends up holding it: x_rank first, then
        // each next member's value added to the running sum.
        int from = (int) ((long) values.length * rank / n);
        int to = (int) ((long) values.length * (rank + 1) / n);
        float[] mean = shared.mean;
        for (int i = from; i < to; i++) {
            float sum = shared.vectors[rank][i];
            for (int k = 1; k < n; k++) {
                sum += shared.vectors[(rank + k) % n][i];
            }
            mean[i] = sum / n;
        }
        await();
        System.arraycopy(mean, 0, values, 0, values.length);
        // Nobody starts the next exchange (and replaces the mean) before every member has copied this one.
        await();
    }

    private void await() throws InterruptedException {
        try {
            shared.barrier.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PeerRing.PeerFailure("a peer in this JVM did not reach the exchange within "
                    + timeoutMillis / 1000.0 + " s");
        } catch (BrokenBarrierException e) {
            throw new PeerRing.PeerFailure("a peer in this JVM left the exchange");
        }
    }

    @Override
    public void close() {
        shared.barrier.reset();
        RINGS.remove(name, shared);
    }
}
