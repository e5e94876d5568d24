package io.fashionspark.train;

import io.fashionspark.model.ModelKind;
import io.fashionspark.runtime.NativeDefaults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures whether a fit takes longer right after an all-reduce: {@code members} replicas of a model in this JVM
 * (run it with {@code OMP_NUM_THREADS=1}, as executors run), each fitting {@code steps} minibatches of 100 a round
 * and then averaging its parameters and Adam's state over the loopback ring ({@code peer}), in memory
 * ({@code shared}) or not at all ({@code none}). Prints the median of the second half's first fit of a round, its
 * other fits, and the all-reduce. A measuring tool beside the ring's tests, not a test:
 *
 * <pre>
 * mvn -B -o -q test-compile dependency:build-classpath -pl product -Dmdep.outputFile=/tmp/cp.txt
 * OMP_NUM_THREADS=1 java -Xmx1g -cp "target/test-classes:target/classes:$(cat /tmp/cp.txt)" \
 *     io.fashionspark.train.PeerRoundFit cnn 2 peer true 2 60
 * </pre>
 *
 * <p>Arguments: model, members, {@code peer}, {@code shared} or {@code none}, encryption, minibatches a round,
 * rounds.
 */
public final class PeerRoundFit {
    private PeerRoundFit() {
    }

    public static void main(String[] args) throws Exception {
        NativeDefaults.apply();
        ModelKind kind = ModelKind.parse(args[0]);
        int members = Integer.parseInt(args[1]);
        String mode = args[2];
        boolean encrypt = Boolean.parseBoolean(args[3]);
        int steps = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        List<AllReduce> rings = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            if (mode.equals("peer")) {
                PeerRing ring = new PeerRing(PeerRingTest.transport(encrypt),
                        PeerRingTest.secret("a secret for the measurement"), "app-peer-round-fit", "127.0.0.1", 60_000);
                rings.add(ring);
                addresses.add(ring.address());
            } else if (mode.equals("shared")) {
                rings.add(new SharedMemoryRing("round-fit", i, members, 60_000));
            } else {
                rings.add(null);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(members);
        List<Future<double[][]>> results = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            int rank = i;
            results.add(pool.submit(() -> {
                if (rings.get(rank) instanceof PeerRing ring) {
                    ring.join(rank, addresses);
                }
                MultiLayerNetwork net = kind.factory().create(42, 0.001);
                long[] shape = kind.factory().exampleShape();
                long[] full = new long[shape.length + 1];
                full[0] = 100;
                System.arraycopy(shape, 0, full, 1, shape.length);
                DataSet batch = new DataSet(Nd4j.rand(full), Nd4j.eye(10).repeat(0, 10));
                double[][] ms = new double[3][rounds];
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    net.fit(batch);
                    long t1 = System.nanoTime();
                    for (int s = 1; s < steps; s++) {
                        net.fit(batch);
                    }
                    long t2 = System.nanoTime();
                    AllReduce ring = rings.get(rank);
                    if (ring != null) {
                        ring.allReduceMean(PeerExchange.SegmentTask.floats(net.params()),
                                PeerExchange.SegmentTask.floats(net.getUpdater().getStateViewArray()));
                    }
                    long t3 = System.nanoTime();
                    ms[0][r] = (t1 - t0) / 1e6;
                    ms[1][r] = steps > 1 ? (t2 - t1) / 1e6 / (steps - 1) : 0;
                    ms[2][r] = (t3 - t2) / 1e6;
                }
                return ms;
            }));
        }
        double[][] ms = results.get(0).get();
        for (Future<double[][]> f : results) {
            f.get();
        }
        System.out.printf("%s, %d members, %s, encryption %s, %d steps a round: first fit %.1f ms, other fits %.1f "
                        + "ms, all-reduce %.1f ms (medians of rounds %d-%d of member 0)%n", kind.displayName(),
                members, mode, encrypt, steps, median(ms[0]), median(ms[1]), median(ms[2]), rounds / 2 + 1, rounds);
        pool.shutdownNow();
        for (AllReduce ring : rings) {
            if (ring != null) {
                ring.close();
            }
        }
    }

    private static double median(double[] all) {
        double[] half = Arrays.copyOfRange(all, all.length / 2, all.length);
        Arrays.sort(half);
        return half[half.length / 2];
    }
}
