package io.fashionspark.train;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.util.TransportConf;

/**
 * Measures the ring's all-reduce on its own: {@code members} rings in this JVM on the loopback, each averaging a
 * vector of {@code floats} floats {@code rounds} times, with the application's secret and, where asked, Spark's
 * encryption. Prints the median, fastest and slowest all-reduce of the second half (the first half warms the JIT)
 * and the process's CPU per byte each member sent. Lives beside the ring's tests because the ring is the train
 * package's own; it is a measuring tool, not a test:
 *
 * <pre>
 * mvn -B -o -q test-compile -pl product
 * java -cp "target/test-classes:target/classes:target/lib/*" io.fashionspark.train.PeerRingThroughput 2 true 4425000 200
 * </pre>
 */
public final class PeerRingThroughput {
    private PeerRingThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int members = Integer.parseInt(args[0]);
        boolean encrypt = Boolean.parseBoolean(args[1]);
        int floats = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        TransportConf conf = PeerRingTest.transport(encrypt);
        SecretKeyHolder secret = PeerRingTest.secret("a secret for the measurement");
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<PeerRing> rings = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            rings.add(new PeerRing(conf, secret, "app-peer-ring-throughput", "127.0.0.1", 60_000));
        }
        List<String> addresses = rings.stream().map(PeerRing::address).toList();
        ExecutorService pool = Executors.newFixedThreadPool(members);
        long[] cpuAtHalf = new long[1];
        List<Future<double[]>> times = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            int rank = i;
            times.add(pool.submit(() -> {
                PeerRing ring = rings.get(rank);
                ring.join(rank, addresses);
                float[] v = new float[floats];
                Random random = new Random(rank);
                for (int k = 0; k < floats; k++) {
                    v[k] = random.nextFloat();
                }
                double[] ms = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    if (r == rounds / 2 && rank == 0) {
                        cpuAtHalf[0] = os.getProcessCpuTime();
                    }
                    long t0 = System.nanoTime();
                    ring.allReduceMean(v);
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
                return ms;
            }));
        }
        double[] ms = times.get(0).get();
        for (Future<double[]> f : times) {
            f.get();
        }
        long cpu = os.getProcessCpuTime() - cpuAtHalf[0];
        long sentPerRound = rings.get(0).sentBytes() / rounds;
        double[] measured = Arrays.copyOfRange(ms, rounds / 2, rounds);
        Arrays.sort(measured);
        System.out.printf("%d members, %.1f MB, encryption %s: all-reduce median %.1f ms (%.1f-%.1f); "
                        + "each member sent %.2f MB a round; CPU %.2f ns per byte a member sent%n",
                members, floats * 4 / 1e6, encrypt ? "on" : "off", measured[measured.length / 2], measured[0],
                measured[measured.length - 1], sentPerRound / 1e6,
                cpu / (double) (rounds - rounds / 2) / members / sentPerRound);
        pool.shutdownNow();
        rings.forEach(PeerRing::close);
    }
}
