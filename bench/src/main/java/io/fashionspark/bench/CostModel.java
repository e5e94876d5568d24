package io.fashionspark.bench;

import io.fashionspark.train.TreeSum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.SingularMatrixException;

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
 * the driver after {@code treeAggregate}'s levels (none where the driver sums the workers' results itself, up to
 * the workload's {@code sumOnDriverUpTo}; beyond, dl4j-spark's {@code treeAggregate(depth 2)}, see
 * {@link #treeLevels}), k(n) = max(1, n / cores) the slowdown of n workers
 * sharing {@code cores} (infinite on a cluster of one worker per node), B the link's bandwidth (infinite on the
 * loopback where the constants are measured: there the per-byte costs are the CPU's serialising, encrypting and
 * copying, which a real link adds its wire time to; the two are added, not overlapped).
 *
 * <p>{@link #fit} estimates the constants by least squares over every measured point, each phase against its own
 * term; t_step and cores belong to a workload (the models share the cores differently), the rest is shared.
 *
 * @param cores           cores the workers share where they were measured (k(n) above): the machine's, or fewer
 *                        where the workers did not get all of them (other work, the driver)
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
    /** dl4j-spark's {@code aggregationDepth} default, which this project keeps where it uses the tree. */
    static final int AGGREGATION_DEPTH = 2;

    /** A cost of moving {@code bytes}: fixed (round trips, set-up) plus per byte. */
    record Transfer(double fixedMs, double nsPerByte) {
        double ms(double bytes) {
            return fixedMs + bytes * nsPerByte / 1e6;
        }
    }

    /**
     * What one round computes and moves.
     *
     * @param stepMs         one minibatch on one core (forward, backward, Adam)
     * @param steps          minibatches each worker fits per round (the averaging frequency)
     * @param broadcastBytes S_b, the serialised parameters and Adam state the driver broadcasts
     * @param resultBytes    S_r, one worker's serialised result
     * @param sumOnDriverUpTo the most workers whose results go straight to the driver, which sums them; beyond, Spark's
     *                       {@code treeAggregate} (0: the tree at every count, as dl4j-spark's stock master)
     */
    record Workload(String name, double stepMs, int steps, int batchSize, double broadcastBytes,
                    double resultBytes, int sumOnDriverUpTo) {
        /** A workload trained by dl4j-spark's stock master: every worker count through the tree. */
        Workload(String name, double stepMs, int steps, int batchSize, double broadcastBytes, double resultBytes) {
            this(name, stepMs, steps, batchSize, broadcastBytes, resultBytes, 0);
        }

        Workload withSteps(int h) {
            return new Workload(name, stepMs, h, batchSize, broadcastBytes, resultBytes, sumOnDriverUpTo);
        }

        Workload withStepMs(double ms) {
            return new Workload(name, ms, steps, batchSize, broadcastBytes, resultBytes, sumOnDriverUpTo);
        }

        List<Integer> levels(int workers) {
            return CostModel.levels(workers, sumOnDriverUpTo);
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

    /**
     * A measured point as the fit reads it: a workload at a worker count and the mean of its runs' phases. The
     * workload's own {@code stepMs} is not read: the fit estimates it.
     */
    record Observation(Workload workload, int workers, RoundPhases phases) {
    }

    /**
     * Constants fitted on a set of observations.
     *
     * @param shared    the constants both workloads share (its {@code cores}: the machine's, an upper bound)
     * @param stepMs    t_step of each workload, by name
     * @param cores     the cores each workload's workers got, by name
     * @param coresOpen workloads whose points do not separate t_step from the cores: several cores fit them
     *                  equally well (no point of theirs ran on a core of its own), and the fit took the most
     */
    record Fit(CostModel shared, Map<String, Double> stepMs, Map<String, Double> cores, Set<String> coresOpen) {
        Fit {
            stepMs = Collections.unmodifiableMap(new LinkedHashMap<>(stepMs));
            cores = Collections.unmodifiableMap(new LinkedHashMap<>(cores));
            coresOpen = Collections.unmodifiableSet(new LinkedHashSet<>(coresOpen));
        }

        /** Whether the fit saw the workload, so has its t_step and cores. */
        boolean covers(String workload) {
            return stepMs.containsKey(workload);
        }

        /** The shared constants with the workload's own cores. */
        CostModel model(String workload) {
            return shared.withCores(cores.get(workload));
        }

        /** The workload with its fitted t_step. */
        Workload workload(Workload w) {
            return w.withStepMs(stepMs.get(w.name()));
        }

        Round predict(Workload w, int workers, double linkBytesPerSecond) {
            return model(w.name()).predict(workload(w), workers, linkBytesPerSecond);
        }
    }

    /** A link of this many gigabits per second, as bytes per second. */
    static double gbps(double gigabits) {
        return gigabits * 1e9 / 8;
    }

    /**
     * Fits the constants by least squares on every observation, each phase against its own term of the model:
     * compute (the slowest worker) against k(N) x steps x t_step, broadcast, fetch, launch + other against
     * o_round + o_task x N, wait against k(N) x w, result serialisation and the results phase against their
     * transfers. Each point's residuals are divided by its measured round time, so that a short round counts as
     * much as a long one: what the model is judged on is its relative error. Every constant is at least zero.
     *
     * <p>Per workload (by name): t_step and the cores its workers got, fitted together on its compute, between 1
     * and {@code machineCores}. Shared: o_round, o_task, w and every transfer's fixed and per-byte cost, which
     * workloads of different sizes separate.
     */
    static Fit fit(double machineCores, List<Observation> points) {
        return fit(machineCores, points, Map.of());
    }

    /**
     * As {@link #fit(double, List)}, with the t_step of the workloads in {@code measuredStepMs} (by name) measured
     * apart from the rounds, on a core of their own: only their cores are fitted on their compute. Without it
     * t_step and the cores come from the same compute, which gives only their ratio wherever the workers
     * outnumber the cores.
     */
    static Fit fit(double machineCores, List<Observation> points, Map<String, Double> measuredStepMs) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no measured points to fit the cost model on");
        }
        double most = Math.max(1, machineCores);
        Map<String, List<Observation>> byWorkload = new LinkedHashMap<>();
        for (Observation o : points) {
            byWorkload.computeIfAbsent(o.workload().name(), n -> new ArrayList<>()).add(o);
        }
        Map<String, Double> steps = new LinkedHashMap<>();
        Map<String, Double> cores = new LinkedHashMap<>();
        Set<String> open = new LinkedHashSet<>();
        byWorkload.forEach((name, own) -> {
            Double measured = measuredStepMs.get(name);
            CoresFit c = measured == null ? fitCores(most, own) : fitCores(most, own, measured);
            steps.put(name, c.stepMs());
            cores.put(name, c.cores());
            if (c.open()) {
                open.add(name);
            }
        });
        Rows broadcast = new Rows(2);
        Rows fetch = new Rows(2);
        Rows overhead = new Rows(2);
        Rows wait = new Rows(1);
        Rows results = new Rows(4);
        for (Observation o : points) {
            RoundPhases m = o.phases();
            double weight = weight(o);
            double c = cores.get(o.workload().name());
            double k = Math.max(1, o.workers() / c);
            // In MB, a coefficient in milliseconds per MB is one in nanoseconds per byte.
            double sb = o.workload().broadcastBytes() / 1e6;
            double sr = o.workload().resultBytes() / 1e6;
            broadcast.add(weight, m.broadcastMs(), 1, sb);
            fetch.add(weight, m.fetchMs(), k, k * sb);
            overhead.add(weight, overhead(m), 1, o.workers());
            wait.add(weight, m.workerWaitMs(), k);
            Tree t = tree(o.workload().levels(o.workers()), c);
            // Spark's result serialisation is the S_r serialisation only where the workers' results go straight
            // to the driver; behind a treeAggregate level the workers' tasks write shuffle output instead, and
            // their metric holds a map status. There the results phase alone measures it.
            if (t.levels() == 1) {
                results.add(weight, m.resultSerializeMs(), k, k * sr, 0, 0);
            }
            results.add(weight, m.resultsMs(), t.serializations(), t.serializations() * sr, t.receipts(),
                    t.receipts() * sr);
        }
        double[] b = broadcast.solve();
        double[] f = fetch.solve();
        double[] v = overhead.solve();
        double[] w = wait.solve();
        double[] r = results.solve();
        CostModel shared = new CostModel(most, v[0], v[1], w[0], new Transfer(b[0], b[1]), new Transfer(f[0], f[1]),
                new Transfer(r[0], r[1]), new Transfer(r[2], r[3]));
        return new Fit(shared, steps, cores, open);
    }

    /**
     * For each observation, the fit on all the others (null where no other observation has its workload, so
     * nothing gives its t_step): what the model predicts of a point it has not seen.
     */
    static List<Fit> leaveOneOut(double machineCores, List<Observation> points) {
        return leaveOneOut(machineCores, points, Map.of());
    }

    /**
     * As {@link #leaveOneOut(double, List)} with step times measured apart from the rounds (see
     * {@link #fit(double, List, Map)}): they are not points, so every fit keeps them.
     */
    static List<Fit> leaveOneOut(double machineCores, List<Observation> points, Map<String, Double> measuredStepMs) {
        List<Fit> out = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            List<Observation> others = new ArrayList<>(points);
            Observation held = others.remove(i);
            boolean seen = others.stream().anyMatch(o -> o.workload().name().equals(held.workload().name()));
            out.add(seen ? fit(machineCores, others, measuredStepMs) : null);
        }
        return out;
    }

    /** A point's residuals are divided by its round time: each point counts by its relative error. */
    private static double weight(Observation o) {
        double wall = o.phases().wallMs();
        return wall > 0 && Double.isFinite(wall) ? 1 / wall : 1;
    }

    /** The driver's overhead the model's o_round + o_task x N stands for: the launch and the rest of fit. */
    static double overhead(RoundPhases p) {
        return p.launchMs() + p.otherMs();
    }

    /**
     * t_step and cores of one workload.
     *
     * @param open whether other cores fit its compute equally well (the largest was taken)
     */
    record CoresFit(double cores, double stepMs, boolean open) {
    }

    /**
     * The cores c (between 1 and {@code most}) and t_step that fit the workload's compute, k(N) x steps x t_step,
     * best. Between two consecutive worker counts the points at or below the lower run at k = 1 and the others at
     * k = N / c, so with p = steps x t_step and q = p / c the problem is linear and its optimum p / q is exact;
     * where that falls outside the interval the optimum is on its ends. The candidates are every interval's
     * optimum and every end. Where the data cannot tell cores apart (no point at k = 1 beside one at k &gt; 1,
     * so the residual is the same for several), the most cores are taken: nothing on the data says the workers
     * shared them.
     */
    static CoresFit fitCores(double most, List<Observation> points) {
        TreeSet<Double> ends = intervalEnds(most, points);
        List<Double> candidates = new ArrayList<>(ends);
        Double lo = null;
        for (double hi : ends) {
            if (lo != null) {
                double sw = 0;
                double swy = 0;
                double swn = 0;
                double swny = 0;
                for (Observation o : points) {
                    double w2 = Math.pow(weight(o), 2);
                    double y = o.phases().computeMs();
                    if (o.workers() <= lo) {
                        sw += w2;
                        swy += w2 * y;
                    } else {
                        swn += w2 * o.workers() * o.workers();
                        swny += w2 * o.workers() * y;
                    }
                }
                if (sw > 0 && swn > 0 && swny > 0) {
                    double c = (swy / sw) / (swny / swn);
                    if (c > lo && c < hi) {
                        candidates.add(c);
                    }
                }
            }
            lo = hi;
        }
        double tie = tie(points);
        double bestResidual = Double.POSITIVE_INFINITY;
        double[] residuals = new double[candidates.size()];
        double[] stepMs = new double[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            double c = candidates.get(i);
            double sxy = 0;
            double sxx = 0;
            for (Observation o : points) {
                double w2 = Math.pow(weight(o), 2);
                double x = Math.max(1, o.workers() / c) * o.workload().steps();
                sxy += w2 * x * o.phases().computeMs();
                sxx += w2 * x * x;
            }
            double t = Math.max(0, sxy / sxx);
            double r = 0;
            for (Observation o : points) {
                double x = Math.max(1, o.workers() / c) * o.workload().steps();
                r += Math.pow(weight(o) * (x * t - o.phases().computeMs()), 2);
            }
            residuals[i] = r;
            stepMs[i] = t;
            bestResidual = Math.min(bestResidual, r);
        }
        int chosen = mostCoresOfTheBest(candidates, residuals, bestResidual + tie);
        return new CoresFit(candidates.get(chosen), stepMs[chosen], isOpen(candidates, residuals,
                bestResidual + tie, chosen));
    }

    /**
     * The cores c (between 1 and {@code most}) that fit the workload's compute, k(N) x steps x t_step, best, with
     * t_step given. Between two consecutive worker counts the points at or below the lower run at k = 1 and the
     * others at k = N / c, linear in u = 1 / c, so each interval's optimum is exact; the candidates are every
     * interval's optimum and every end. Where several fit equally (no point's workers outnumber any cores in a
     * range), the most are taken, as in {@link #fitCores(double, List)}.
     */
    static CoresFit fitCores(double most, List<Observation> points, double stepMs) {
        TreeSet<Double> ends = intervalEnds(most, points);
        List<Double> candidates = new ArrayList<>(ends);
        Double lo = null;
        for (double hi : ends) {
            if (lo != null) {
                double sxy = 0;
                double sxx = 0;
                for (Observation o : points) {
                    if (o.workers() > lo) {
                        double w2 = Math.pow(weight(o), 2);
                        double x = o.workers() * o.workload().steps() * stepMs;
                        sxy += w2 * x * o.phases().computeMs();
                        sxx += w2 * x * x;
                    }
                }
                if (sxy > 0 && sxx > 0) {
                    double c = sxx / sxy;
                    if (c > lo && c < hi) {
                        candidates.add(c);
                    }
                }
            }
            lo = hi;
        }
        double tie = tie(points);
        double[] residuals = new double[candidates.size()];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < candidates.size(); i++) {
            double c = candidates.get(i);
            double r = 0;
            for (Observation o : points) {
                double x = Math.max(1, o.workers() / c) * o.workload().steps() * stepMs;
                r += Math.pow(weight(o) * (x - o.phases().computeMs()), 2);
            }
            residuals[i] = r;
            best = Math.min(best, r);
        }
        int chosen = mostCoresOfTheBest(candidates, residuals, best + tie);
        return new CoresFit(candidates.get(chosen), stepMs, isOpen(candidates, residuals, best + tie, chosen));
    }

    /** 1, the machine's cores and every worker count between: where k(N) = max(1, N / c) changes form. */
    private static TreeSet<Double> intervalEnds(double most, List<Observation> points) {
        TreeSet<Double> ends = new TreeSet<>(List.of(1.0, most));
        for (Observation o : points) {
            if (o.workers() > 1 && o.workers() < most) {
                ends.add((double) o.workers());
            }
        }
        return ends;
    }

    /** Residuals of the compute fit closer than this are the same up to rounding. */
    private static double tie(List<Observation> points) {
        double scale = 0;
        for (Observation o : points) {
            scale += Math.pow(weight(o) * o.phases().computeMs(), 2);
        }
        return 1e-9 * scale;
    }

    /** Of the candidates whose residual is at most {@code bound}, the one with the most cores. */
    private static int mostCoresOfTheBest(List<Double> candidates, double[] residuals, double bound) {
        int chosen = -1;
        for (int i = 0; i < candidates.size(); i++) {
            if (residuals[i] <= bound && (chosen < 0 || candidates.get(i) > candidates.get(chosen))) {
                chosen = i;
            }
        }
        return chosen;
    }

    /** Whether cores other than the chosen fit as well: the data do not tell them apart. */
    private static boolean isOpen(List<Double> candidates, double[] residuals, double bound, int chosen) {
        for (int i = 0; i < candidates.size(); i++) {
            if (residuals[i] <= bound && Math.abs(candidates.get(i) - candidates.get(chosen)) > 1e-9) {
                return true;
            }
        }
        return false;
    }

    /** The rows of one weighted least-squares problem: each row and its measurement times the point's weight. */
    private static final class Rows {
        private final int columns;
        private final List<double[]> rows = new ArrayList<>();
        private final List<Double> values = new ArrayList<>();

        Rows(int columns) {
            this.columns = columns;
        }

        /** A measurement that is not a number (a metric Spark did not report) is left out. */
        void add(double weight, double measured, double... x) {
            if (!Double.isFinite(measured)) {
                return;
            }
            double[] row = new double[columns];
            for (int j = 0; j < columns; j++) {
                row[j] = weight * x[j];
            }
            rows.add(row);
            values.add(weight * measured);
        }

        double[] solve() {
            if (rows.isEmpty()) {
                return new double[columns];
            }
            return nonNegativeLeastSquares(rows.toArray(new double[0][]),
                    values.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /**
     * min |A x - y| over x &gt;= 0. The optimum is the plain least-squares solution on the columns it leaves
     * non-zero, so with the few columns here every subset of columns is tried: the best feasible one is exact.
     * Columns that are linearly dependent on the rows given (one size only, say) leave several equally good
     * subsets; the first found wins, and the later columns (per-byte costs after fixed ones) come first.
     */
    static double[] nonNegativeLeastSquares(double[][] a, double[] y) {
        int n = a[0].length;
        double scale = 0;
        for (double v : y) {
            scale += v * v;
        }
        double[] best = new double[n];
        double bestResidual = Double.POSITIVE_INFINITY;
        for (int mask = (1 << n) - 1; mask >= 0; mask--) {
            int[] free = new int[Integer.bitCount(mask)];
            for (int j = 0, f = 0; j < n; j++) {
                if ((mask & 1 << j) != 0) {
                    free[f++] = j;
                }
            }
            double[] x = new double[n];
            if (free.length > 0) {
                double[][] sub = new double[a.length][free.length];
                for (int i = 0; i < a.length; i++) {
                    for (int f = 0; f < free.length; f++) {
                        sub[i][f] = a[i][free[f]];
                    }
                }
                double[] s = leastSquares(sub, y);
                if (s == null || Arrays.stream(s).anyMatch(v -> v < 0)) {
                    continue;
                }
                for (int f = 0; f < free.length; f++) {
                    x[free[f]] = s[f];
                }
            }
            double r = 0;
            for (int i = 0; i < a.length; i++) {
                double e = -y[i];
                for (int j = 0; j < n; j++) {
                    e += a[i][j] * x[j];
                }
                r += e * e;
            }
            if (r < bestResidual - 1e-12 * scale) {
                bestResidual = r;
                best = x;
            }
        }
        return best;
    }

    /**
     * Plain least squares, min |A x - y|, by Commons Math's Householder QR on columns scaled to unit length (the
     * columns here differ by six orders of magnitude: ones against megabytes); null where the columns are linearly
     * dependent (or fewer rows than columns).
     */
    static double[] leastSquares(double[][] a, double[] y) {
        int m = a.length;
        int n = a[0].length;
        if (m < n) {
            return null;
        }
        double[][] scaled = new double[m][n];
        double[] norms = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (double[] row : a) {
                s += row[j] * row[j];
            }
            norms[j] = Math.sqrt(s);
            if (!(norms[j] > 0)) {
                return null;
            }
            for (int i = 0; i < m; i++) {
                scaled[i][j] = a[i][j] / norms[j];
            }
        }
        double[] x;
        try {
            // A column whose remainder after the earlier ones is below this is taken as depending on them.
            x = new QRDecomposition(new Array2DRowRealMatrix(scaled, false), 1e-10).getSolver()
                    .solve(new ArrayRealVector(y)).toArray();
        } catch (SingularMatrixException e) {
            return null;
        }
        for (int j = 0; j < n; j++) {
            x[j] /= norms[j];
        }
        return x;
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
     * How many serialisations and receipts of a result lie on a round's critical path, each weighted by the
     * slowdown of the tasks doing it, and how many results cross the driver's link: the results term of the model
     * is {@code serializations x T_serialize(S_r) + receipts x T_receive(S_r)}.
     *
     * @param levels treeAggregate's partition counts, the workers' included (1: straight to the driver)
     */
    record Tree(double serializations, double receipts, double resultsOnWire, int levels) {
    }

    static Tree tree(List<Integer> levels, double cores) {
        int workers = levels.get(0);
        double serializations = Math.max(1, workers / cores);
        double receipts = 0;
        double onWire = 0;
        for (int i = 1; i < levels.size(); i++) {
            int from = levels.get(i - 1);
            int to = levels.get(i);
            // The next level's tasks run side by side, each summing ceil(from / to) results.
            int fanIn = (from + to - 1) / to;
            double k = Math.max(1, to / cores);
            receipts += k * fanIn;
            serializations += k;
            onWire += fanIn;
        }
        int last = levels.get(levels.size() - 1);
        // The driver fetches and deserialises results on RESULT_GETTER_THREADS threads as they arrive; only its
        // fold into the sum (an element-wise add, milliseconds) is one at a time.
        receipts += Math.ceil((double) last / RESULT_GETTER_THREADS);
        onWire += last;
        return new Tree(serializations, receipts, onWire, levels.size());
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
        Tree t = tree(w.levels(workers), cores);
        double results = t.serializations() * serialize.ms(sr) + t.receipts() * receive.ms(sr);
        double wireBytes = w.broadcastBytes() + (workers - 1) * Math.min(w.broadcastBytes(), BROADCAST_PIECE_BYTES)
                + t.resultsOnWire() * sr;
        double wire = Double.isInfinite(linkBytesPerSecond) ? 0 : wireBytes / linkBytesPerSecond * 1000;
        return new Round(compute, bc, fetched, overhead, results, wire);
    }

    /**
     * The partition counts {@code workers} results go through, first {@code workers}, last the number the driver
     * folds: straight to the driver up to {@code sumOnDriverUpTo} workers, else {@code treeAggregate(depth 2)}.
     */
    static List<Integer> levels(int workers, int sumOnDriverUpTo) {
        return workers <= sumOnDriverUpTo ? List.of(workers) : treeLevels(workers, AGGREGATION_DEPTH);
    }

    /** The partition counts Spark's {@code RDD.treeAggregate(depth)} goes through for {@code n} partitions. */
    static List<Integer> treeLevels(int n, int depth) {
        return TreeSum.levels(n, depth);
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
