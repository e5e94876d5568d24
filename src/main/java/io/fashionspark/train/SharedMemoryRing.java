package io.fashionspark.train;

import java.nio.FloatBuffer;
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
        final FloatBuffer[][] vectors;
        final CyclicBarrier barrier;
        float[] mean;

        Shared(int size) {
            vectors = new FloatBuffer[size][];
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
        allReduceMean(FloatBuffer.wrap(values));
    }

    /**
     * Reads the members' parts where they lie (the replicas' own parameter and updater buffers on the embedded
     * master): each element is read once per member and written twice, where a copy per member would move every
     * vector several times more.
     */
    @Override
    public void allReduceMean(FloatBuffer... parts) throws InterruptedException {
        int n = size();
        if (n == 1) {
            return;
        }
        int length = 0;
        for (FloatBuffer p : parts) {
            length += p.remaining();
        }
        shared.vectors[rank] = parts;
        if (rank == 0) {
            shared.mean = new float[length];
        }
        await();
        // This member sums slice `rank`, as the ring's member `rank - 1` ends up holding it: x_rank first, then
        // each next member's value added to the running sum (the ring's association, so the ring's bits).
        int from = (int) ((long) length * rank / n);
        int to = (int) ((long) length * (rank + 1) / n);
        float[] mean = shared.mean;
        float[] next = new float[to - from];
        int partStart = 0;
        for (int part = 0; part < parts.length; part++) {
            int partLength = parts[part].remaining();
            int lo = Math.max(from, partStart);
            int hi = Math.min(to, partStart + partLength);
            if (lo < hi) {
                int count = hi - lo;
                read(shared.vectors[rank][part], lo - partStart, mean, lo, count);
                for (int k = 1; k < n; k++) {
                    read(shared.vectors[(rank + k) % n][part], lo - partStart, next, 0, count);
                    for (int i = 0; i < count; i++) {
                        mean[lo + i] += next[i];
                    }
                }
                for (int i = lo; i < hi; i++) {
                    mean[i] /= n;
                }
            }
            partStart += partLength;
        }
        await();
        int at = 0;
        for (FloatBuffer p : parts) {
            int count = p.remaining();
            p.duplicate().put(mean, at, count);
            at += count;
        }
        // Nobody starts the next exchange (and replaces the mean) before every member has copied this one.
        await();
    }

    /** {@code count} floats of {@code part} from {@code offset} past its position, into {@code into[at...]}. */
    private static void read(FloatBuffer part, int offset, float[] into, int at, int count) {
        part.get(part.position() + offset, into, at, count);
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
