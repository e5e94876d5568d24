package io.fashionspark.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A model of one parameter-averaging round's time on the driver's critical path, fitted on measured rounds:
 *
 * <pre>
 * round = compute + broadcast + fetch + overhead + results + wire
 *   compute   = k(N) x steps x stepMs                 the workers fit their minibatches side by side
 *   broadcast = S_b x c_broadcast                     the driver serialises parameters + Adam state once
 *   fetch     = k(N) x S_b x c_fetch                  each worker fetches, deserialises and builds its replica
 *   overhead  = o_round + o_task x N                  job submission, scheduling and launching N tasks
 *   results   = k(N) x S_r x c_serialize              each worker serialises its parameters + Adam state
 *             + per treeAggregate level a -> b:  k(b) x (ceil(a/b) x S_r x c_receive + S_r x c_serialize)
 *             + P x S_r x c_receive                   the driver receives and sums the last P results
 *   wire      = (S_b + (N-1) x min(S_b, piece)) / B   the driver's link: each worker's first broadcast piece from
 *                                                     the driver, the rest from peers (torrent)
 *             + per level ceil(a/b) x S_r / B + P x S_r / B
 * </pre>
 *
 * S_b and S_r are the serialised broadcast and one worker's result (bytes), N the workers, P the results reaching
 * the driver after {@code treeAggregate}'s levels (dl4j-spark's {@code ParameterAveragingTrainingMaster} aggregates
 * with {@code treeAggregate(depth 2)}, see {@link #treeLevels}), k(n) = max(1, n / cores) the slowdown of n workers
 * sharing {@code cores} (infinite on a cluster of one worker per node), B the link's bandwidth (infinite on the
 * loopback where the constants are measured: there the per-byte costs are the CPU's serialising, encrypting and
 * copying, which a real link adds its wire time to; the two are added, not overlapped).
 *
 * @param cores                  cores the workers share where they were measured (k(n) above): the machine's, or
 *                               fewer where other work took some while the two fitted points ran
 * @param roundOverheadMs        o_round
 * @param taskOverheadMs         o_task, per worker
 * @param broadcastNsPerByte     c_broadcast
 * @param fetchNsPerByte         c_fetch
 * @param serializeNsPerByte     c_serialize
 * @param receiveNsPerByte       c_receive
 */
public record CostModel(double cores, double roundOverheadMs, double taskOverheadMs, double broadcastNsPerByte,
                        double fetchNsPerByte, double serializeNsPerByte, double receiveNsPerByte) {
    /** Spark's piece size of a torrent broadcast ({@code spark.broadcast.blockSize}, 4 MiB by default). */
    static final double BROADCAST_PIECE_BYTES = 4 << 20;
    /** dl4j-spark's {@code aggregationDepth} default, which this project leaves as it is. */
    static final int AGGREGATION_DEPTH = 2;

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
     * Fits the constants on two measured points of one workload: one worker (every per-byte cost and the step time)
     * and two workers (the per-task overhead). Their worker counts need not be 1 and 2, only different, and within
     * {@code cores} so that nothing is oversubscribed.
     */
    static CostModel fit(double cores, Workload w, int workersA, RoundPhases a, int workersB, RoundPhases b) {
        if (workersA == workersB) {
            throw new IllegalArgumentException("the per-task overhead needs two different worker counts");
        }
        // The cores the workers really got: fewer than the machine's when other work shares it. Two workers whose
        // slowest fits 1.3x slower than one alone had the equivalent of 2 / 1.3 cores; never more than there are.
        double slower = b.computeMs() / a.computeMs();
        double effective = slower > 1 ? Math.max(1, Math.min(cores, workersB / slower)) : cores;
        double perTask = (overhead(b) - overhead(a)) / (workersB - workersA);
        // Below zero is noise (the two points' overheads equal within their spread); none is then the honest fit.
        perTask = Math.max(0, perTask);
        double round = overhead(a) - perTask * workersA;
        double ns = 1e6;
        return new CostModel(effective, round, perTask, a.broadcastMs() * ns / w.broadcastBytes(),
                a.fetchMs() * ns / w.broadcastBytes(), a.resultSerializeMs() * ns / w.resultBytes(),
                (a.resultsMs() - a.resultSerializeMs()) * ns / w.resultBytes());
    }

    /** The measured overhead the model's o_round + o_task x N stands for: launch, the rest of fit, worker waits. */
    static double overhead(RoundPhases p) {
        return p.launchMs() + p.otherMs() + p.workerWaitMs();
    }

    /** The step time of a workload: the one-worker point's fitting per minibatch (nothing shares its core). */
    static double stepMs(RoundPhases oneWorker, int steps) {
        return oneWorker.computeMs() / steps;
    }

    /** The same constants with every worker on a core of its own (a cluster of one-core workers). */
    CostModel onOwnCores() {
        return new CostModel(Double.POSITIVE_INFINITY, roundOverheadMs, taskOverheadMs, broadcastNsPerByte,
                fetchNsPerByte, serializeNsPerByte, receiveNsPerByte);
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
        double compute = slowdown(workers) * w.steps() * w.stepMs();
        double broadcast = w.broadcastBytes() * broadcastNsPerByte / 1e6;
        double fetch = slowdown(workers) * w.broadcastBytes() * fetchNsPerByte / 1e6;
        double overhead = roundOverheadMs + taskOverheadMs * workers;
        double sr = w.resultBytes();
        double results = slowdown(workers) * sr * serializeNsPerByte / 1e6;
        double wireBytes = w.broadcastBytes() + (workers - 1) * Math.min(w.broadcastBytes(), BROADCAST_PIECE_BYTES);
        List<Integer> levels = treeLevels(workers, AGGREGATION_DEPTH);
        for (int i = 1; i < levels.size(); i++) {
            int from = levels.get(i - 1);
            int to = levels.get(i);
            // The next level's tasks run side by side, each summing ceil(from / to) results.
            int fanIn = (from + to - 1) / to;
            results += slowdown(to) * (fanIn * sr * receiveNsPerByte + sr * serializeNsPerByte) / 1e6;
            wireBytes += fanIn * sr;
        }
        int last = levels.get(levels.size() - 1);
        results += last * sr * receiveNsPerByte / 1e6;
        wireBytes += last * sr;
        double wire = Double.isInfinite(linkBytesPerSecond) ? 0 : wireBytes / linkBytesPerSecond * 1000;
        return new Round(compute, broadcast, fetch, overhead, results, wire);
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
