package io.fashionspark.bench;

import io.fashionspark.runtime.PeakMemory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The peak resident set size of the Spark executor JVMs on this machine while it is open: every
 * {@value #SAMPLE_MS} ms it finds the processes running {@code CoarseGrainedExecutorBackend} and reads their
 * kernel high-water mark ({@code VmHWM}), which only grows, so the last reading before an executor exits is its
 * peak (to within one sample).
 */
final class ExecutorMemory implements AutoCloseable {
    static final long SAMPLE_MS = 200;
    private static final String EXECUTOR = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
    private final Map<Long, Long> peaks = new ConcurrentHashMap<>();
    private final PeriodicSampler sampler;

    ExecutorMemory() {
        sampler = new PeriodicSampler("bench-executor-memory", SAMPLE_MS, this::sample);
    }

    private void sample() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (!cmdline.contains(EXECUTOR)) {
                        return;
                    }
                    long pid = Long.parseLong(p.getFileName().toString());
                    long bytes = PeakMemory.residentBytes(pid);
                    if (bytes > 0) {
                        peaks.merge(pid, bytes, Math::max);
                    }
                } catch (IOException | RuntimeException e) {
                    // The process ended between the listing and the read: its last sample stands.
                }
            });
        } catch (IOException e) {
            // No /proc: nothing is measured, and peakBytes() says so with -1.
        }
    }

    /** The largest peak of any executor seen, in bytes; -1 when none was seen. */
    long peakBytes() {
        return peaks.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    @Override
    public void close() {
        sampler.stop();
    }
}
