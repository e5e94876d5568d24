package io.fashionspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.config.ConfigException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthClientBootstrap;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.server.NoOpRpcHandler;
import org.apache.spark.network.util.TransportConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ring all-reduce the peer exchange averages with, on its own: members in one JVM, each with its own server on
 * the loopback address, as executors would have.
 */
class PeerRingTest {
    private static final String APP = "app-peer-ring-test";

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8})
    void everyMemberEndsWithTheSameMeanBitForBit(int members) throws Exception {
        float[][] vectors = randomVectors(members, 1003, 7);
        List<float[]> out = allReduce(transport(false), null, vectors, 10_000);
        for (int i = 0; i < 1003; i++) {
            double mean = 0;
            for (float[] v : vectors) {
                mean += v[i];
            }
            mean /= members;
            assertEquals(mean, out.get(0)[i], 1e-5, "element " + i);
        }
        for (float[] v : out) {
            assertArrayEquals(out.get(0), v, "every member holds the same bits");
        }
        // The fixed order of the sums: the same inputs give the same bits again.
        assertArrayEquals(out.get(0), allReduce(transport(false), null, vectors, 10_000).get(0));
    }

    /**
     * A vector of many chunks per slice (and a short last chunk) gets exactly the sums of the ring's fixed order:
     * each slice summed from its own member round the ring, then divided, on every member.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void slicesOfManyChunksSumInTheRingsOrder(int members) throws Exception {
        int length = members * (2 * PeerRing.CHUNK_FLOATS + 5) + 2;
        float[][] vectors = randomVectors(members, length, 5);
        List<float[]> out = allReduce(transport(false), null, vectors, 10_000);
        float[] expected = new float[length];
        for (int slice = 0; slice < members; slice++) {
            for (int i = length * slice / members; i < length * (slice + 1) / members; i++) {
                float sum = vectors[slice][i];
                for (int k = 1; k < members; k++) {
                    sum += vectors[(slice + k) % members][i];
                }
                // allReduce averages twice; the second time every member holds the same mean, which comes back.
                float mean = sum / members;
                float again = mean;
                for (int k = 1; k < members; k++) {
                    again += mean;
                }
                expected[i] = again / members;
            }
        }
        for (float[] v : out) {
            assertArrayEquals(expected, v);
        }
    }

    /**
     * On the embedded master the members average a replica's parameters and updater state where they lie: two
     * direct buffers, read and written from their positions, longer than the blocks the sums are taken in.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 8})
    void membersInOneJvmAverageInMemoryToTheRingsBits(int members) throws Exception {
        int length = 3 * 4096 + 777;
        int firstPart = 5000;
        float[][] vectors = randomVectors(members, length, 11);
        List<float[]> overTheNetwork = allReduce(transport(false), null, vectors, 10_000);
        ExecutorService pool = Executors.newFixedThreadPool(members);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                int rank = i;
                results.add(pool.submit(() -> {
                    try (SharedMemoryRing ring = new SharedMemoryRing("test-" + members, rank, members, 10_000)) {
                        FloatBuffer params = direct(2 + firstPart).position(2);
                        FloatBuffer updater = direct(length - firstPart);
                        params.duplicate().put(vectors[rank], 0, firstPart);
                        updater.duplicate().put(vectors[rank], firstPart, length - firstPart);
                        ring.allReduceMean(params, updater);
                        ring.allReduceMean(params, updater);
                        float[] v = new float[length];
                        params.duplicate().get(v, 0, firstPart);
                        updater.duplicate().get(v, firstPart, length - firstPart);
                        return v;
                    }
                }));
            }
            for (Future<float[]> f : results) {
                assertArrayEquals(overTheNetwork.get(0), f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Test
    void aVectorShorterThanTheRingStillAverages() throws Exception {
        List<float[]> out = allReduce(transport(false), null, new float[][] {{1f, 2f}, {3f, 4f}, {5f, 6f}}, 10_000);
        assertArrayEquals(new float[] {3f, 4f}, out.get(2));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void withTheApplicationsSecretPeersAverageAndAStrangerIsRefused(boolean encrypt) throws Exception {
        TransportConf conf = transport(encrypt);
        SecretKeyHolder secret = secret("the application's secret");
        try (PeerRing member = new PeerRing(conf, secret, APP, "127.0.0.1", 10_000)) {
            // A client that does not know the secret cannot open a connection at all.
            String[] at = member.address().split(":");
            try (TransportContext context = new TransportContext(conf, new NoOpRpcHandler());
                 TransportClientFactory stranger = context.createClientFactory(
                         List.of(new AuthClientBootstrap(conf, APP, secret("a guess"))))) {
                assertThrows(Exception.class, () -> stranger.createClient(at[0], Integer.parseInt(at[1])));
            }
        }
        float[][] vectors = randomVectors(3, 100, 3);
        List<float[]> out = allReduce(conf, secret, vectors, 10_000);
        assertEquals((vectors[0][5] + vectors[1][5] + vectors[2][5]) / 3, out.get(1)[5], 1e-6);
    }

    @Test
    void membersOnOneHostTakeTheSetPortAndTheNextFreeOnes() throws Exception {
        int first;
        try (ServerSocket probe = new ServerSocket(0)) {
            first = probe.getLocalPort();
        }
        SparkConf ports = new SparkConf(false).set(PeerPorts.PORT_KEY, Integer.toString(first));
        TransportConf conf = transport(false);
        try (PeerRing a = new PeerRing(conf, null, APP, "127.0.0.1", ports, 10_000);
             PeerRing b = new PeerRing(conf, null, APP, "127.0.0.1", ports, 10_000)) {
            assertEquals("127.0.0.1:" + first, a.address());
            int second = Integer.parseInt(b.address().substring(b.address().lastIndexOf(':') + 1));
            assertTrue(second > first && second <= first + 16, b.address());
            float[] x = {1, 2, 3};
            float[] y = {3, 4, 5};
            List<String> addresses = List.of(a.address(), b.address());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> other = pool.submit(() -> {
                    b.join(1, addresses);
                    b.allReduceMean(y);
                    return null;
                });
                a.join(0, addresses);
                a.allReduceMean(x);
                other.get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertArrayEquals(new float[] {2, 3, 4}, x);
            assertArrayEquals(x, y);
        }
    }

    @Test
    void aTakenPortWithNoRetriesLeftIsAnErrorNamingTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            SparkConf ports = new SparkConf(false).set(PeerPorts.PORT_KEY, Integer.toString(taken.getLocalPort()))
                    .set("spark.port.maxRetries", "0");
            Exception e = assertThrows(Exception.class,
                    () -> new PeerRing(transport(false), null, APP, "127.0.0.1", ports, 10_000).close());
            assertTrue(e.getMessage().contains(PeerPorts.PORT_KEY), e.getMessage());
            assertTrue(e.getMessage().contains("spark.port.maxRetries"), e.getMessage());
        }
    }

    @Test
    void aPortSettingOutsideSparksRangeIsRefusedNamingIt() {
        for (String bad : List.of("80", "70000", "-1", "http")) {
            SparkConf conf = new SparkConf(false).set(PeerPorts.DRIVER_PORT_KEY, bad);
            ConfigException e = assertThrows(ConfigException.class,
                    () -> PeerPorts.check(conf));
            assertEquals(PeerPorts.DRIVER_PORT_KEY + " must be 0 (any free port) or a port from 1024 to 65535, got '"
                    + bad + "'", e.getMessage());
        }
        assertEquals(0, PeerPorts.first(new SparkConf(false), PeerPorts.PORT_KEY));
        assertEquals(40000, PeerPorts.first(new SparkConf(false).set(PeerPorts.PORT_KEY, "40000"),
                PeerPorts.PORT_KEY));
    }

    @Test
    void aMemberWhosePeerSaysNothingFailsWithinTheTimeout() throws Exception {
        TransportConf conf = transport(false);
        try (PeerRing a = new PeerRing(conf, null, APP, "127.0.0.1", 500);
             PeerRing b = new PeerRing(conf, null, APP, "127.0.0.1", 500)) {
            List<String> addresses = List.of(a.address(), b.address());
            a.join(0, addresses);
            b.join(1, addresses);
            long t0 = System.nanoTime();
            // b never takes part: a sends its half, then waits for b's.
            PeerRing.PeerFailure failure = assertThrows(PeerRing.PeerFailure.class,
                    () -> a.allReduceMean(new float[10]));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 5, "failed after " + seconds + " s");
            assertTrue(failure.getMessage().contains("sent nothing for 0.5 s"), failure.getMessage());
        }
    }

    @Test
    void aMemberWhosePeerClosesFailsAtOnce() throws Exception {
        TransportConf conf = transport(false);
        try (PeerRing a = new PeerRing(conf, null, APP, "127.0.0.1", 60_000)) {
            PeerRing b = new PeerRing(conf, null, APP, "127.0.0.1", 60_000);
            List<String> addresses = List.of(a.address(), b.address());
            a.join(0, addresses);
            b.join(1, addresses);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                // b sends its first slice, so a knows the connection as its neighbour's, then b goes away.
                Future<?> bFails = pool.submit(() -> {
                    b.allReduceMean(new float[10]);
                    return null;
                });
                Thread.sleep(300);
                long t0 = System.nanoTime();
                b.close();
                bFails.cancel(true);
                assertThrows(PeerRing.PeerFailure.class, () -> a.allReduceMean(new float[10]));
                assertTrue((System.nanoTime() - t0) / 1e9 < 30);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** The peer exchange's transport settings, with Spark's encryption on or off. */
    static TransportConf transport(boolean encrypt) {
        return PeerExchange.transport(new SparkConf(false).set("spark.network.crypto.enabled",
                Boolean.toString(encrypt)));
    }

    /** An application secret, as the executors' security manager holds it. */
    static SecretKeyHolder secret(String key) {
        return new SecretKeyHolder() {
            @Override
            public String getSaslUser(String appId) {
                return "sparkSaslUser";
            }

            @Override
            public String getSecretKey(String appId) {
                return key;
            }
        };
    }

    private static float[][] randomVectors(int members, int length, long seed) {
        Random random = new Random(seed);
        float[][] v = new float[members][length];
        for (float[] row : v) {
            for (int i = 0; i < length; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return v;
    }

    /** Each member, on its own thread, averages its copy of {@code vectors[rank]}; the results in rank order. */
    private static List<float[]> allReduce(TransportConf conf, SecretKeyHolder secret, float[][] vectors,
                                           long timeoutMillis) throws Exception {
        int n = vectors.length;
        List<PeerRing> rings = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            for (int i = 0; i < n; i++) {
                rings.add(new PeerRing(conf, secret, APP, "127.0.0.1", timeoutMillis));
            }
            List<String> addresses = rings.stream().map(PeerRing::address).toList();
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int rank = i;
                results.add(pool.submit(() -> {
                    rings.get(rank).join(rank, addresses);
                    float[] v = vectors[rank].clone();
                    rings.get(rank).allReduceMean(v);
                    rings.get(rank).allReduceMean(v);
                    return v;
                }));
            }
            List<float[]> out = new ArrayList<>();
            for (Future<float[]> f : results) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
            rings.forEach(PeerRing::close);
        }
    }
}
