package io.fashionspark.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's peak resident set size, as the Linux kernel counts it ({@code VmHWM}): heap, ND4J's native arrays
 * and all.
 */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakMemory() {
    }

    /** Bytes, or -1 where the kernel does not say (not Linux). */
    public static long residentBytes() {
        return residentBytes(STATUS);
    }

    /** The same for another process of this machine: bytes, or -1 when it has gone or there is no /proc. */
    public static long residentBytes(long pid) {
        return residentBytes(Path.of("/proc", Long.toString(pid), "status"));
    }

    private static long residentBytes(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
