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
    /** Floats summed a block at a time: small enough to stay in the CPU's cache between the members' reads. */
    private static final int BLOCK = 4096;

    private final String name;
    private final Shared shared;
    private final int rank;
    private final long timeoutMillis;
    private final float[] sum = new float[BLOCK];
    private final float[] next = new float[BLOCK];

    /** What the members of one ring share: their vectors and the barrier they meet at. */
    private static final class Shared {
        final FloatBuffer[][] vectors;
        final CyclicBarrier barrier;

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
     * master) and writes the mean back into them: each member sums its own slice, a block at a time from every
     * member's buffer, and writes it into its own buffer; then each copies the other slices from their members. No
     * vector is allocated or copied whole: building the mean in a new array every round took about three times as
     * long (a zeroed array and a collection per round, and one more pass over the vector).
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
        await();
        // This member sums slice `rank`, as the ring's member `rank - 1` ends up holding it: x_rank first, then
        // each next member's value added to the running sum (the ring's association, so the ring's bits). Only this
        // member reads or writes slice `rank` until the next barrier, so the mean goes straight into its own buffer.
        forEachRun(parts, slice(length, rank), (part, offset, count) -> {
            for (int done = 0; done < count; done += BLOCK) {
                int block = Math.min(BLOCK, count - done);
                read(parts[part], offset + done, sum, block);
                for (int k = 1; k < n; k++) {
                    read(shared.vectors[(rank + k) % n][part], offset + done, next, block);
                    for (int i = 0; i < block; i++) {
                        sum[i] += next[i];
                    }
                }
                for (int i = 0; i < block; i++) {
                    sum[i] /= n;
                }
                parts[part].put(parts[part].position() + offset + done, sum, 0, block);
            }
        });
        await();
        for (int k = 1; k < n; k++) {
            FloatBuffer[] owner = shared.vectors[(rank + k) % n];
            forEachRun(parts, slice(length, (rank + k) % n), (part, offset, count) ->
                    parts[part].put(parts[part].position() + offset, owner[part], owner[part].position() + offset,
                            count));
        }
        // Nobody goes on (and writes its buffers again) before every member has copied the slices it needs.
        await();
    }

    /** The part-wise runs of a range of the concatenated vector: part index, offset in the part, count. */
    private interface Run {
        void accept(int part, int offset, int count);
    }

    private static void forEachRun(FloatBuffer[] parts, int[] range, Run run) {
        int partStart = 0;
        for (int part = 0; part < parts.length; part++) {
            int partLength = parts[part].remaining();
            int lo = Math.max(range[0], partStart);
            int hi = Math.min(range[1], partStart + partLength);
            if (lo < hi) {
                run.accept(part, lo - partStart, hi - lo);
            }
            partStart += partLength;
        }
    }

    /** Slice {@code s} of a vector of {@code length}, as {@link PeerRing} cuts it: {from, to}. */
    private int[] slice(int length, int s) {
        return new int[] {PeerRing.sliceStart(s, length, size()), PeerRing.sliceStart(s + 1, length, size())};
    }

    /** {@code count} floats of {@code part} from {@code offset} past its position, into {@code into[0...]}. */
    private static void read(FloatBuffer part, int offset, float[] into, int count) {
        part.get(part.position() + offset, into, 0, count);
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
