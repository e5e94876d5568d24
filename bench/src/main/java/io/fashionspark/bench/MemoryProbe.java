package io.fashionspark.bench;

import io.fashionspark.runtime.PeakMemory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;

/**
 * Peak memory of this JVM over one scenario. In the embedded mode the driver and every executor share this JVM, so
 * these are the peaks of driver and executors together.
 *
 * <ul>
 *   <li>peak resident set size: the kernel's high-water mark ({@code VmHWM} of {@code /proc/self/status}), reset at
 *   the start of the scenario by writing 5 to {@code /proc/self/clear_refs} (when the kernel refuses, the mark is
 *   the JVM's since it started, and {@link Peaks#rssSinceScenarioStart()} is false);</li>
 *   <li>peak heap: the most heap in use (live objects and garbage not yet collected) seen by a sampler every
 *   {@value #SAMPLE_MS} ms;</li>
 *   <li>peak off-heap: the most of (resident set - committed heap) seen by the same sampler: ND4J's native arrays
 *   (parameters, Adam state, activations, gradients of every replica), native libraries, thread stacks, metaspace.
 *   A lower bound: committed heap pages the JVM has not touched yet are not resident but are subtracted. (ND4J
 *   allocates its arrays natively, outside JavaCPP's own count, so {@link Pointer#totalBytes()} does not see
 *   them.)</li>
 * </ul>
 */
public final class MemoryProbe implements AutoCloseable {
    static final long SAMPLE_MS = 50;
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /** Peaks of one scenario, in bytes (-1 where unknown). */
    public record Peaks(long rssBytes, boolean rssSinceScenarioStart, long heapUsedBytes, long offHeapBytes) {
    }

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final PeriodicSampler sampler;
    private final boolean hwmReset;
    private volatile long maxHeapUsed;
    private volatile long maxOffHeap;

    private MemoryProbe() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
        hwmReset = resetHighWaterMark();
        sample();
        sampler = new PeriodicSampler("bench-memory-probe", SAMPLE_MS, this::sample);
    }

    /** Starts sampling now; {@link #stop()} returns the peaks since. */
    public static MemoryProbe start() {
        return new MemoryProbe();
    }

    private synchronized void sample() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        long rss = Pointer.physicalBytes();
        maxHeapUsed = Math.max(maxHeapUsed, heap.getUsed());
        if (rss > 0) {
            maxOffHeap = Math.max(maxOffHeap, rss - heap.getCommitted());
        }
    }

    public Peaks stop() {
        sampler.stop();
        return new Peaks(highWaterMark(), hwmReset, maxHeapUsed, maxOffHeap);
    }

    @Override
    public void close() {
        sampler.cancel();
    }

    /** Resets the kernel's peak-RSS mark of this process (Linux 4.0+); false where that is not possible. */
    static boolean resetHighWaterMark() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** VmHWM in bytes, -1 where /proc is not there. */
    static long highWaterMark() {
        return PeakMemory.residentBytes();
    }
}
