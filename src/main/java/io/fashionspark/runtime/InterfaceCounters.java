package io.fashionspark.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bytes this host's network interfaces have sent, as the kernel counts them ({@code /proc/net/dev}, which shows
 * the interfaces of the calling process's network namespace). Loopback is left out: what crosses it never reaches a
 * wire. Read before and after a round, it gives the bytes the round put on the links, with every header and the
 * encryption's overhead, where the executor has an interface of its own (a node, or a namespace made for a test).
 */
public final class InterfaceCounters {
    private static final Path DEV = Path.of("/proc/net/dev");

    private InterfaceCounters() {
    }

    /** Bytes sent by every interface but loopback; -1 where the kernel does not say (not Linux). */
    public static long sentBytes() {
        try {
            return sentBytes(Files.readAllLines(DEV));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The same from {@code /proc/net/dev}'s lines: two header lines, then {@code name: rx... tx-bytes ...}. */
    static long sentBytes(List<String> lines) {
        long sum = 0;
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.substring(0, colon).strip().equals("lo")) {
                continue;
            }
            // Receive has 8 fields (bytes packets errs drop fifo frame compressed multicast); transmit's bytes follow.
            String[] fields = line.substring(colon + 1).strip().split("\\s+");
            sum += Long.parseLong(fields[8]);
        }
        return sum;
    }
}
