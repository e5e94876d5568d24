package io.fashionspark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * The embedded master ({@code java -jar ... train}) is reachable from this host only: its driver listens on the
 * loopback address and no web UI starts. Read from the kernel's table of listening sockets, not from Spark's
 * settings alone; no traffic is sent.
 */
class EmbeddedMasterTest {
    @Test
    void theEmbeddedDriverListensOnLoopbackOnlyAndStartsNoWebUi() throws Exception {
        assertTrue(SparkContexts.embedded(), "no spark.master in this test JVM");
        try (JavaSparkContext sc = SparkContexts.create("loopback", 1)) {
            int driverPort = sc.getConf().getInt("spark.driver.port", -1);
            assertTrue(driverPort > 0);
            List<String> listening = listening(driverPort);
            assertFalse(listening.isEmpty(), "the driver's port " + driverPort + " is listening");
            assertEquals(List.of("127.0.0.1"), listening.stream().distinct().toList(), "bound to loopback only");
            assertTrue(sc.sc().ui().isEmpty(), "no web UI");
        }
    }

    /** The local addresses of the IPv4 and IPv6 sockets listening on {@code port}, as the kernel lists them. */
    private static List<String> listening(int port) throws Exception {
        List<String> addresses = new ArrayList<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (local[1].equals(hexPort) && f[3].equals("0A")) { // 0A: LISTEN
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    /** The kernel's hex address (little-endian words) as text; IPv4-mapped and wildcard IPv6 included. */
    private static String address(String hex) {
        if (hex.length() == 8) {
            int a = (int) Long.parseLong(hex, 16);
            return (a & 0xff) + "." + ((a >> 8) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >>> 24) & 0xff);
        }
        if (hex.equals("00000000000000000000000000000000")) {
            return "::";
        }
        if (hex.startsWith("0000000000000000FFFF0000")) {
            return address(hex.substring(24));
        }
        return hex;
    }
}
