package io.fashionspark.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model of one round of the peer exchange (inside its barrier stage), fitted on measured rounds:
 *
 * <pre>
 * round    = compute + after + exchange + other
 *   compute  = k(N) x steps x t_fit                    the slowest worker fits its minibatches
 *   after    = k(N) x d                   (N > 1)      what the fitting takes longer after an all-reduce
 *   exchange = k(N) x (2 (N-1) x alpha + 2 (N-1)/N x S x beta)
 *            + 2 (N-1) x lambda + 2 (N-1)/N x S / B     a ring all-reduce: 2 (N-1) steps of S/N bytes each
 *   other    = k(N) x o                                 the task's own work per round (the recipe, the losses'
 *                                                       message to the driver)
 * </pre>
 *
 * S is the vector averaged (bytes), alpha the CPU's cost per step of the ring (Netty, the hand-over of its
 * chunks, the scheduling of the next step), beta its cost per byte (copy, encryption, the additions), lambda a
 * link's latency per step and B its bandwidth (neither on the loopback where the constants are measured: there the wire is part
 * of alpha and beta). t_fit is a model's minibatch as the slowest worker of a round fits it, skew between the
 * workers included. d is what the fitting takes longer with peers: its core shared with the ring's transport threads
 * (encryption, decryption, the socket) and, in short runs on new executors, their JIT; a machine that gives each
 * worker a core of its own pays the transport's part too, on the same core. Without it, the
 * rounds' fitting, one t_fit per model at every N, is too slow alone and too fast after an all-reduce (the points
 * of one worker over-predicted by up to 32%, those averaging every minibatch under-predicted by up to 35%, on the
 * measurement of 2026-12-05). k(N) = max(1, N / cores): N executors sharing the machine's cores. The stage around
 * the rounds (launch, the start's broadcast, meeting, the model back) is paid once per segment:
 * {@code stageMs = a + k(N) x c + b x N}: the driver's part, each task's own (fetching and building its replica), and
 * the driver's work per task.
 *
 * <p>Each phase is fitted against its own term by least squares, each point's residual divided by its measured
 * value so that the short rounds count as much as the long ones.
 *
 * @param cores    the cores the measured executors shared (k(N))
 * @param stepMs   t_fit by model
 * @param afterExchangeMs d by model
 * @param alphaMs  per step of the ring
 * @param betaNsPerByte per byte, nanoseconds
 * @param otherMs  o
 * @param stageMs  a, the stage's fixed cost
 * @param stageTaskMs c, each task's own part of the stage (scaled by k(N))
 * @param stagePerWorkerMs b, the driver's part per task
 */
public record PeerCostModel(double cores, Map<String, Double> stepMs, Map<String, Double> afterExchangeMs,
                            double alphaMs, double betaNsPerByte, double otherMs, double stageMs, double stageTaskMs,
                            double stagePerWorkerMs) {

    /** One measured point: a workload at N workers, with its mean round's parts. */
    record Observation(String model, int steps, double vectorBytes, int workers, double roundMs, double fitMs,
                       double exchangeMs, double stageFixedMs) {
        double otherMs() {
            return roundMs - fitMs - exchangeMs;
        }
    }

    /** A round's predicted parts, milliseconds. */
    record Round(double computeMs, double afterExchangeMs, double exchangeMs, double wireMs, double otherMs) {
        double totalMs() {
            return computeMs + afterExchangeMs + exchangeMs + wireMs + otherMs;
        }
    }

    double slowdown(int workers) {
        return Math.max(1, workers / cores);
    }

    /** The same constants on a cluster where every worker has a core of its own. */
    PeerCostModel onOwnCores() {
        return new PeerCostModel(Double.POSITIVE_INFINITY, stepMs, afterExchangeMs, alphaMs, betaNsPerByte, otherMs,
                stageMs, stageTaskMs, stagePerWorkerMs);
    }

    /**
     * A round of {@code model} on {@code workers} ring members averaging {@code vectorBytes}, over links of
     * {@code bytesPerSecond} (infinite: none) with {@code latencyMs} per message; NaN where the model was not fitted.
     */
    Round predict(String model, int steps, double vectorBytes, int workers, double bytesPerSecond,
                  double latencyMs) {
        double stepMs = this.stepMs.getOrDefault(model, Double.NaN);
        double after = workers == 1 ? 0 : afterExchangeMs.getOrDefault(model, Double.NaN);
        double k = slowdown(workers);
        double messages = 2.0 * (workers - 1);
        double moved = workers == 1 ? 0 : messages / workers * vectorBytes;
        double exchange = k * (messages * alphaMs + moved * betaNsPerByte / 1e6);
        double wire = Double.isInfinite(bytesPerSecond) ? 0 : messages * latencyMs + moved / bytesPerSecond * 1000;
        return new Round(k * steps * stepMs, k * after, exchange, wire, k * otherMs);
    }

    /** A measured point's round as the model predicts it, on the loopback; NaN where its model was not fitted. */
    Round predict(Observation o) {
        return predict(o.model(), o.steps(), o.vectorBytes(), o.workers(), Double.POSITIVE_INFINITY, 0);
    }

    double stageFixedMs(int workers) {
        return stageMs + slowdown(workers) * stageTaskMs + stagePerWorkerMs * workers;
    }

    /** Fits every constant on the points; {@code cores} is the machine's. */
    static PeerCostModel fit(double cores, List<Observation> points) {
        PeerCostModel shape = new PeerCostModel(cores, Map.of(), Map.of(), 0, 0, 0, 0, 0, 0);
        // compute and after: k (steps t_fit + d [N > 1]), per model, in the order of their names (Map.copyOf's
        // order changes run to run); d only where the model has points with peers
        Map<String, Double> stepMs = new TreeMap<>();
        Map<String, Double> afterMs = new TreeMap<>();
        for (String model : points.stream().map(Observation::model).distinct().toList()) {
            List<Observation> own = points.stream().filter(o -> o.model().equals(model)).toList();
            boolean peers = own.stream().anyMatch(o -> o.workers() > 1);
            double[][] rows = own.stream().map(o -> {
                double k = shape.slowdown(o.workers()) / o.roundMs();
                return peers ? new double[] {k * o.steps(), o.workers() > 1 ? k : 0} : new double[] {k * o.steps()};
            }).toArray(double[][]::new);
            double[] td = CostModel.nonNegativeLeastSquares(rows,
                    own.stream().mapToDouble(o -> o.fitMs() / o.roundMs()).toArray());
            stepMs.put(model, td[0]);
            afterMs.put(model, peers ? td[1] : 0.0);
        }
        // exchange: k (2 (N-1) alpha + 2 (N-1)/N S beta), over the points with peers
        List<double[]> rows = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Observation o : points) {
            if (o.workers() > 1) {
                double k = shape.slowdown(o.workers());
                double messages = 2.0 * (o.workers() - 1);
                rows.add(new double[] {k * messages / o.roundMs(),
                        k * messages / o.workers() * o.vectorBytes() / 1e6 / o.roundMs()});
                ys.add(o.exchangeMs() / o.roundMs());
            }
        }
        double[] ab = rows.size() < 2 ? new double[] {0, 0}
                : CostModel.nonNegativeLeastSquares(rows.toArray(double[][]::new),
                        ys.stream().mapToDouble(Double::doubleValue).toArray());
        // other: k o
        double ky = 0;
        double kk = 0;
        for (Observation o : points) {
            double k = shape.slowdown(o.workers()) / o.roundMs();
            ky += k * Math.max(0, o.otherMs()) / o.roundMs();
            kk += k * k;
        }
        // the stage: a + k(N) c + b N, each point's residual relative to its value
        double[][] stageRows = points.stream().map(o -> new double[] {1 / o.stageFixedMs(),
                shape.slowdown(o.workers()) / o.stageFixedMs(), o.workers() / o.stageFixedMs()})
                .toArray(double[][]::new);
        double[] stage = CostModel.nonNegativeLeastSquares(stageRows, points.stream().mapToDouble(o -> 1.0).toArray());
        return new PeerCostModel(cores, Collections.unmodifiableMap(stepMs), Collections.unmodifiableMap(afterMs),
                ab[0], ab[1], kk == 0 ? 0 : ky / kk, stage[0], stage[1], stage[2]);
    }

    /** For each point, the fit on all the others: what the model predicts where it has not seen the point. */
    static List<PeerCostModel> leaveOneOut(double cores, List<Observation> points) {
        List<PeerCostModel> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            List<Observation> others = new ArrayList<>(points);
            others.remove(i);
            out.add(fit(cores, others));
        }
        return out;
    }

    /** Images per second of {@code workers} workers at this round. */
    static double imagesPerSecond(int workers, int steps, int batchSize, Round r) {
        return (double) workers * steps * batchSize / (r.totalMs() / 1000);
    }
}
