package io.fashionspark.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A model of one parameter-averaging round's time on the driver's critical path, fitted on measured rounds:
 *
 * <pre>
 * round = compute + broadcast + fetch + overhead + wait + results + wire
 *   compute   = k(N) x steps x t_step                 the workers fit their minibatches side by side
 *   broadcast = T_broadcast(S_b)                      the driver serialises parameters + Adam state once
 *   fetch     = k(N) x T_fetch(S_b)                   each worker fetches, deserialises and builds its replica
 *   overhead  = o_round + o_task x N                  the driver: job submission, scheduling, launching N tasks
 *   wait      = k(N) x w                              a worker's time outside fetching and fitting
 *   results   = k(N) x T_serialize(S_r)               each worker serialises its parameters + Adam state
 *             + per treeAggregate level a -> b:  k(b) x (ceil(a/b) x T_receive(S_r) + T_serialize(S_r))
 *             + ceil(P / 4) x T_receive(S_r)          the driver receives the last P results, 4 at a time
 *                                                     (Spark's result-getter threads)
 *   wire      = (S_b + (N-1) x min(S_b, piece)) / B   the driver's link: each worker's first broadcast piece from
 *                                                     the driver, the rest from peers (torrent)
 *             + per level ceil(a/b) x S_r / B + P x S_r / B
 *   T_x(S)    = a_x + S x c_x                         a fixed cost per transfer and a cost per byte
 * </pre>
 *
 * S_b and S_r are the serialised broadcast and one worker's result (bytes), N the workers, P the results reaching
 * the driver after {@code treeAggregate}'s levels (dl4j-spark's {@code ParameterAveragingTrainingMaster} aggregates
 * with {@code treeAggregate(depth 2)}, see {@link #treeLevels}), k(n) = max(1, n / cores) the slowdown of n workers
 * sharing {@code cores} (infinite on a cluster of one worker per node), B the link's bandwidth (infinite on the
 * loopback where the constants are measured: there the per-byte costs are the CPU's serialising, encrypting and
 * copying, which a real link adds its wire time to; the two are added, not overlapped).
 *
 * @param cores           cores the workers share where they were measured (k(n) above): the machine's, or fewer
 *                        where other work took some while the fitted points ran
 * @param roundOverheadMs o_round
 * @param taskOverheadMs  o_task, per worker
 * @param waitMs          w
 */
public record CostModel(double cores, double roundOverheadMs, double taskOverheadMs, double waitMs,
                        Transfer broadcast, Transfer fetch, Transfer serialize, Transfer receive) {
    /** Spark's piece size of a torrent broadcast ({@code spark.broadcast.blockSize}, 4 MiB by default). */
    static final double BROADCAST_PIECE_BYTES = 4 << 20;
    /** Spark's {@code spark.resultGetter.threads} default: the driver's threads that fetch task results. */
    static final int RESULT_GETTER_THREADS = 4;
    /** dl4j-spark's {@code aggregationDepth} default, which this project leaves as it is. */
    static final int AGGREGATION_DEPTH = 2;

    /** A cost of moving {@code bytes}: fixed (round trips, set-up) plus per byte. */
    record Transfer(double fixedMs, double nsPerByte) {
        double ms(double bytes) {
            return fixedMs + bytes * nsPerByte / 1e6;
        }

        /**
         * From one measured time of each of two sizes; with one size (or two that contradict a fixed cost, the
         * smaller taking longer per byte than a line through zero allows), all of it per byte.
         */
        static Transfer fit(double bytesA, double msA, double bytesB, double msB) {
            if (bytesB > 0 && bytesA != bytesB) {
                double perByte = (msA - msB) / (bytesA - bytesB);
                double fixed = msA - bytesA * perByte;
                if (perByte >= 0 && fixed >= 0) {
                    return new Transfer(fixed, perByte * 1e6);
                }
            }
            return new Transfer(0, msA / bytesA * 1e6);
        }
    }

    /**
     * What one round computes and moves.
     *
     * @param stepMs         one minibatch on one core (forward, backward, Adam)
     * @param steps          minibatches each worker fits per round (the averaging frequency)
     * @param broadcastBytes S_b, the serialised parameters and Adam state the driver broadcasts
     * @param resultBytes    S_r, one worker's serialised result
     */
    record Workload(String name, double stepMs, int steps, int batchSize, double broadcastBytes,
                    double resultBytes) {
        Workload withSteps(int h) {
            return new Workload(name, stepMs, h, batchSize, broadcastBytes, resultBytes);
        }
    }

    /** One round as the model sees it, in milliseconds. */
    record Round(double computeMs, double broadcastMs, double fetchMs, double overheadMs, double resultsMs,
                 double wireMs) {
        double totalMs() {
            return computeMs + communicationMs();
        }

        /** All but the workers' fitting. */
        double communicationMs() {
            return broadcastMs + fetchMs + overheadMs + resultsMs + wireMs;
        }
    }

    /** A link of this many gigabits per second, as bytes per second. */
    static double gbps(double gigabits) {
        return gigabits * 1e9 / 8;
    }

    /**
     * Fits the constants. The large workload at one worker gives the step time's reference, the worker's wait and
     * every transfer; the small workload at one worker (null: none) splits each transfer into a fixed and a per-byte
     * part; the large workload at {@code workersB} workers (within the machine's cores) gives the per-task overhead
     * and the cores the workers really got.
     */
    static CostModel fit(double cores, Workload large, RoundPhases one, Workload small, RoundPhases smallOne,
                         int workersB, RoundPhases b) {
        if (workersB == 1) {
            throw new IllegalArgumentException("the per-task overhead needs a second worker count");
        }
        // The cores the workers really got: fewer than the machine's when other work shares it. Two workers whose
        // slowest fits 1.3x slower than one alone had the equivalent of 2 / 1.3 cores; at least one, at most all.
        double slower = b.computeMs() / one.computeMs();
        double effective = slower > 1 ? Math.max(1, Math.min(cores, workersB / slower)) : cores;
        double perTask = Math.max(0, (overhead(b) - overhead(one)) / (workersB - 1));
        double sb = large.broadcastBytes();
        double sr = large.resultBytes();
        double smallB = small == null ? 0 : small.broadcastBytes();
        double smallR = small == null ? 0 : small.resultBytes();
        RoundPhases s = small == null ? one : smallOne;
        return new CostModel(effective, overhead(one) - perTask, perTask, one.workerWaitMs(),
                Transfer.fit(sb, one.broadcastMs(), smallB, s.broadcastMs()),
                Transfer.fit(sb, one.fetchMs(), smallB, s.fetchMs()),
                Transfer.fit(sr, one.resultSerializeMs(), smallR, s.resultSerializeMs()),
                Transfer.fit(sr, one.resultsMs() - one.resultSerializeMs(), smallR,
                        s.resultsMs() - s.resultSerializeMs()));
    }

    /** The driver's overhead the model's o_round + o_task x N stands for: the launch and the rest of fit. */
    static double overhead(RoundPhases p) {
        return p.launchMs() + p.otherMs();
    }

    /** The step time of a workload: the one-worker point's fitting per minibatch (nothing shares its core). */
    static double stepMs(RoundPhases oneWorker, int steps) {
        return oneWorker.computeMs() / steps;
    }

    /** The same constants with every worker on a core of its own (a cluster of one-core workers). */
    CostModel onOwnCores() {
        return withCores(Double.POSITIVE_INFINITY);
    }

    /** The same constants with the workers sharing {@code cores} (e.g. the share they were measured to get). */
    CostModel withCores(double cores) {
        return new CostModel(cores, roundOverheadMs, taskOverheadMs, waitMs, broadcast, fetch, serialize, receive);
    }

    /** How much slower n workers run than one when they share the cores. */
    double slowdown(int n) {
        return Math.max(1, n / cores);
    }

    /**
     * One round of {@code workers} workers; {@code linkBytesPerSecond} infinite for no wire (the loopback the
     * constants come from).
     */
    Round predict(Workload w, int workers, double linkBytesPerSecond) {
        double k = slowdown(workers);
        double compute = k * w.steps() * w.stepMs();
        double sr = w.resultBytes();
        double bc = broadcast.ms(w.broadcastBytes());
        double fetched = k * fetch.ms(w.broadcastBytes());
        double overhead = roundOverheadMs + taskOverheadMs * workers + k * waitMs;
        double results = k * serialize.ms(sr);
        double wireBytes = w.broadcastBytes() + (workers - 1) * Math.min(w.broadcastBytes(), BROADCAST_PIECE_BYTES);
        List<Integer> levels = treeLevels(workers, AGGREGATION_DEPTH);
        for (int i = 1; i < levels.size(); i++) {
            int from = levels.get(i - 1);
            int to = levels.get(i);
            // The next level's tasks run side by side, each summing ceil(from / to) results.
            int fanIn = (from + to - 1) / to;
            results += slowdown(to) * (fanIn * receive.ms(sr) + serialize.ms(sr));
            wireBytes += fanIn * sr;
        }
        int last = levels.get(levels.size() - 1);
        // The driver fetches and deserialises results on RESULT_GETTER_THREADS threads as they arrive; only its
        // fold into the sum (an element-wise add, milliseconds) is one at a time.
        results += Math.ceil((double) last / RESULT_GETTER_THREADS) * receive.ms(sr);
        wireBytes += last * sr;
        double wire = Double.isInfinite(linkBytesPerSecond) ? 0 : wireBytes / linkBytesPerSecond * 1000;
        return new Round(compute, bc, fetched, overhead, results, wire);
    }

    /**
     * The partition counts Spark's {@code RDD.treeAggregate(depth)} goes through for {@code n} partitions, first
     * {@code n}, last the number of results the driver folds (Spark 3.5's rule: a level of {@code n / scale}
     * partitions, scale = max(ceil(n^(1/depth)), 2), while that still saves time by its own test). With depth 2:
     * 1 to 5 workers send straight to the driver, 8 go through 2 executors, 16 through 4, 64 through 8.
     */
    static List<Integer> treeLevels(int n, int depth) {
        List<Integer> levels = new ArrayList<>(List.of(n));
        int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
        int p = n;
        while (p > scale + Math.ceil((double) p / scale)) {
            p /= scale;
            levels.add(p);
        }
        return levels;
    }

    /**
     * The averaging period (minibatches per worker per round) at which the workers' fitting takes as long as the
     * rest of the round: below it a round is mostly communication.
     */
    double balancedSteps(Workload w, int workers, double linkBytesPerSecond) {
        Round r = predict(w.withSteps(1), workers, linkBytesPerSecond);
        return r.communicationMs() / (slowdown(workers) * w.stepMs());
    }

    /** The fewest workers whose round communicates as long as it computes (0: not up to {@code limit}). */
    int workersWhereCommunicationEqualsCompute(Workload w, double linkBytesPerSecond, int limit) {
        for (int n = 1; n <= limit; n++) {
            Round r = predict(w, n, linkBytesPerSecond);
            if (r.communicationMs() >= r.computeMs()) {
                return n;
            }
        }
        return 0;
    }

    /** Images a second: every worker's minibatches over the round's time. */
    static double imagesPerSecond(Workload w, int workers, Round r) {
        return (double) workers * w.steps() * w.batchSize() / (r.totalMs() / 1000);
    }
}
