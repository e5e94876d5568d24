package io.fashionspark.bench;

import static io.fashionspark.bench.ScalingCostReport.TOLERANCE;
import static io.fashionspark.bench.ScalingCostReport.pct;
import static io.fashionspark.bench.ScalingCostReport.signedPct;

import io.fashionspark.model.ModelKind;
import io.fashionspark.train.PeerTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The parts of {@code round-cost}'s report about the peer exchange: its rounds beside the driver exchange's, where
 * their time goes, the bytes each executor sends, its cost model checked by leaving each point out, and the
 * projections of both exchanges to larger clusters.
 */
final class PeerCostReport {
    /** A link's latency per message in the projections: a one-way hop of a switched 10/25 Gb/s Ethernet. */
    static final double LINK_LATENCY_MS = 0.05;
    /** Cores of a full node in the projections. */
    static final int NODE_CORES = 8;

    private PeerCostReport() {
    }

    /** The points as the cost model sees them, in the measurement's order. */
    static List<PeerCostModel.Observation> observations(RoundCost.Results r) {
        List<PeerCostModel.Observation> out = new ArrayList<>();
        for (RoundCost.PeerPoint p : r.peerPoints()) {
            PeerTimes.Round m = p.mean();
            out.add(new PeerCostModel.Observation(p.model().displayName(), p.steps(), 4.0 * p.averagedFloats(),
                    p.workers(), m.roundMs(), m.fitMs(), m.exchangeMs(), p.stageFixedMeanMs()));
        }
        return out;
    }

    static void append(StringBuilder md, RoundCost.Results r, ScalingCostReport.Analysis an) {
        if (r.peerPoints().isEmpty()) {
            return;
        }
        sideBySide(md, r);
        phases(md, r);
        List<PeerCostModel.Observation> obs = observations(r);
        if (obs.size() < 3) {
            md.append("No cost model of the peer exchange: it needs at least 3 points.\n\n");
            return;
        }
        PeerCostModel fit = PeerCostModel.fit(r.cores(), obs);
        model(md, r, fit, obs);
        projections(md, r, an, fit);
    }

    private static void sideBySide(StringBuilder md, RoundCost.Results r) {
        RoundCost.Settings s = r.settings();
        md.append("## Both exchanges side by side\n\n");
        md.append("The mean round (ms) of each exchange at each worker count and averaging frequency, measured in the ")
                .append("same applications one after the other. The peer exchange's round is a round inside its ")
                .append("barrier stage (the mean worker's, from its first minibatch to the all-reduce's end: the ")
                .append("stage's time per round); **communication** is a round less its slowest worker's compute, ")
                .append("as for the driver exchange; ")
                .append("its stage costs once per segment what the last column shows (launching the tasks, the ")
                .append("start's broadcast, meeting, the model back), where the driver exchange pays a job, a ")
                .append("broadcast and the results every round. A segment runs from where the driver needs the ")
                .append("model to where it next does: an epoch by default, or `--eval-every` iterations.\n\n");
        MarkdownTable t = new MarkdownTable().left("Model").right("Every").right("Workers")
                .right("Driver, ms", ms()).right("Its spread", pct()).right("Peer, ms", ms()).right("Its spread", pct())
                .right("Peer / driver", x -> Formats.fixed(x.doubleValue(), 2))
                .right("Driver communication, ms", ms()).right("Peer communication, ms", ms())
                .right("Communication, peer / driver", x -> Formats.fixed(x.doubleValue(), 2))
                .right("Peer stage outside its rounds, ms", ms());
        for (ModelKind m : s.models()) {
            for (int steps : s.frequencies()) {
                for (int n : s.workerCounts()) {
                    RoundCost.PeerPoint peer = r.peerPoints().stream().filter(p -> p.model() == m
                            && p.workers() == n && p.steps() == steps).findFirst().orElse(null);
                    RoundCost.Point driver = r.points().stream().filter(p -> p.model() == m && p.workers() == n
                            && (p.steps() == null ? s.steps() : p.steps()) == steps).findFirst().orElse(null);
                    if (peer == null && driver == null) {
                        continue;
                    }
                    double d = driver == null ? Double.NaN : driver.mean().wallMs();
                    double q = peer == null ? Double.NaN : peer.mean().roundMs();
                    double dc = driver == null ? Double.NaN : driver.mean().wallMs() - driver.mean().computeMs();
                    double qc = peer == null ? Double.NaN : peer.mean().roundMs() - peer.mean().fitMs();
                    t.row(m.displayName(), steps, n, d, driver == null ? Double.NaN : driver.spread(), q,
                            peer == null ? Double.NaN : peer.spread(), q / d, dc, qc, qc / dc,
                            peer == null ? Double.NaN : peer.stageFixedMeanMs());
                }
            }
        }
        md.append(t.render()).append('\n');
    }

    private static void phases(StringBuilder md, RoundCost.Results r) {
        md.append("## The peer exchange's rounds\n\n");
        md.append("Milliseconds per round, inside the barrier stage. **Fit**: the slowest worker's minibatches (and ")
                .append("the mean worker's); **all-reduce**: the ring's time for the worker that reached it last ")
                .append("(the others wait for it as well); **wait**: the mean worker's all-reduce less that, time ")
                .append("spent waiting for slower peers; **other**: the round less the slowest worker's fit and the ")
                .append("all-reduce (the recipe, the losses' message to the driver, rounds starting apart). ")
                .append("**Sent**: what each ")
                .append("worker's ring sent in a round (the floats with their messages' headers), against the ring's ")
                .append("2 (N-1)/N x S; **on the interfaces**: what the worker's host interfaces (loopback left ")
                .append("out) sent during its all-reduce, with TCP/IP and the encryption: 0 where the executors ")
                .append("talk over loopback, a dash where not read (the embedded master's tasks share memory, or ")
                .append("the kernel does not say).\n\n");
        MarkdownTable t = new MarkdownTable().left("Model").right("Every").right("Workers").right("k(N)")
                .right("Round", ms()).right("Spread", pct()).right("Fit (slowest)", ms()).right("Fit (mean)", ms())
                .right("All-reduce", ms()).right("Wait", ms()).right("Other", ms())
                .right("Averaged S, MB", mb()).right("Sent per worker, MB", mb()).right("2 (N-1)/N x S, MB", mb())
                .right("On the interfaces, MB", mb()).right("First round", ms());
        for (RoundCost.PeerPoint p : r.peerPoints()) {
            PeerTimes.Round m = p.mean();
            double s = 4.0 * p.averagedFloats();
            double first = p.firstRounds().stream().mapToDouble(PeerTimes.Round::roundMs).average().orElse(Double.NaN);
            t.row(p.model().displayName(), p.steps(), p.workers(),
                    Formats.fixed(Math.max(1, (double) p.workers() / r.cores()), 1), m.roundMs(), p.spread(),
                    m.fitMs(), m.fitMeanMs(), m.exchangeMs(), m.exchangeMeanMs() - m.exchangeMs(),
                    m.roundMs() - m.fitMs() - m.exchangeMs(), s, m.sentBytes(),
                    p.workers() == 1 ? 0 : 2.0 * (p.workers() - 1) / p.workers() * s,
                    m.wireBytes() < 0 ? null : m.wireBytes(), first);
        }
        md.append(t.render()).append('\n');
        md.append("Each run's mean round (ms), to show the spread:\n\n");
        MarkdownTable runs = new MarkdownTable().left("Model").right("Every").right("Workers").left("Runs' rounds, ms")
                .left("Runs' all-reduce, ms").left("Runs' stage outside its rounds, ms");
        for (RoundCost.PeerPoint p : r.peerPoints()) {
            runs.row(p.model().displayName(), p.steps(), p.workers(),
                    join(p.repeats().stream().map(PeerTimes.Round::roundMs).toList()),
                    join(p.repeats().stream().map(PeerTimes.Round::exchangeMs).toList()), join(p.stageFixedMs()));
        }
        md.append(runs.render()).append('\n');
    }

    private static void model(StringBuilder md, RoundCost.Results r, PeerCostModel fit,
                              List<PeerCostModel.Observation> obs) {
        md.append("## The peer exchange's cost model\n\n");
        md.append("Per round, inside the stage (N workers, k(N) = max(1, N / cores), S the averaged vector in bytes, ")
                .append("B a link's bandwidth and lambda its latency per step of the ring, neither on the loopback where ")
                .append("the constants are fitted):\n\n```\n")
                .append("round    = compute + exchange + other\n")
                .append("compute  = k(N) x steps x t_fit\n")
                .append("exchange = k(N) x (2 (N-1) x alpha + 2 (N-1)/N x S x beta) + 2 (N-1) x lambda + 2 (N-1)/N x S / B\n")
                .append("other    = k(N) x o\n")
                .append("stage    = a + k(N) x c + b x N   (once per segment)\n```\n\n");
        md.append("t_fit is a model's minibatch as the slowest worker of a round fits it (the skew between workers ")
                .append("included), fitted on the rounds: the step times measured apart (above) come from a ")
                .append("different, shorter run. Fitted by least squares on all ").append(obs.size())
                .append(" points, each phase against its own term:\n\n");
        MarkdownTable c = new MarkdownTable().left("Constant").right("Value").left("Meaning");
        fit.stepMs().forEach((model, ms) -> c.row("t_fit, " + model, Formats.fixed(ms, 1) + " ms",
                "a minibatch of " + r.settings().batchSize() + " in a round"));
        c.row("alpha", Formats.fixed(fit.alphaMs(), 3) + " ms", "CPU per step of the ring");
        c.row("beta", Formats.fixed(fit.betaNsPerByte(), 3) + " ns/byte",
                "CPU per byte each worker sends (copy, encryption, additions)");
        c.row("o", Formats.fixed(fit.otherMs(), 2) + " ms", "a task's own work per round");
        c.row("a", Formats.fixed(fit.stageMs(), 0) + " ms", "a segment's stage, fixed");
        c.row("c", Formats.fixed(fit.stageTaskMs(), 0) + " ms", "a segment's stage, each task's own part");
        c.row("b", Formats.fixed(fit.stagePerWorkerMs(), 1) + " ms", "a segment's stage, the driver's part per task");
        md.append(c.render()).append('\n');
        md.append("Each point predicted by the fit on all the others (leave-one-out), against its mean and its ")
                .append("worst run:\n\n");
        List<PeerCostModel> heldOut = PeerCostModel.leaveOneOut(r.cores(), obs);
        MarkdownTable t = new MarkdownTable().left("Model").right("Every").right("Workers").right("Predicted, ms", ms())
                .right("Measured, ms", ms()).right("Error (mean)", signedPct()).right("Worst run's error", signedPct())
                .right("In-sample error", signedPct()).left("Within 25%");
        int within = 0;
        List<RoundCost.PeerPoint> points = r.peerPoints();
        for (int i = 0; i < obs.size(); i++) {
            PeerCostModel.Observation o = obs.get(i);
            double predicted = heldOut.get(i).predict(o).totalMs();
            double worst = 0;
            for (PeerTimes.Round run : points.get(i).repeats()) {
                double e = predicted / run.roundMs() - 1;
                worst = Math.abs(e) > Math.abs(worst) ? e : worst;
            }
            double error = predicted / o.roundMs() - 1;
            boolean ok = Math.abs(error) <= TOLERANCE;
            within += ok ? 1 : 0;
            t.row(o.model(), o.steps(), o.workers(), predicted, o.roundMs(), error, worst,
                    fit.predict(o).totalMs() / o.roundMs() - 1, ok ? "yes" : "**no**");
        }
        md.append(t.render()).append('\n');
        md.append(String.format(Locale.ROOT, "%d of %d points' means predicted within 25%% from the others.%n%n",
                within, obs.size()));
    }

    private static void projections(StringBuilder md, RoundCost.Results r, ScalingCostReport.Analysis an,
                                    PeerCostModel fit) {
        RoundCost.Settings s = r.settings();
        RoundCost.PeerPoint cnn = r.peerPoints().stream().filter(p -> p.model() == ModelKind.CNN).findFirst()
                .orElse(null);
        double stepMs = fit.stepMs().getOrDefault(ModelKind.CNN.displayName(), Double.NaN);
        if (cnn == null || Double.isNaN(stepMs)) {
            md.append("## Projections, both exchanges\n\nNone: FashionCNN's peer exchange was not measured.\n\n");
            return;
        }
        CostModel.Workload w = an.workloads().get(ModelKind.CNN);
        CostModel driver = an.fit() != null && w != null ? an.fit().model(w.name()).onOwnCores() : null;
        PeerCostModel peer = fit.onOwnCores();
        double vector = 4.0 * cnn.averagedFloats();
        long epochImages = 60_000;
        int segments = (int) Math.ceil((double) s.imagesToAccuracy() / epochImages);
        md.append("## Projections for a cluster, FashionCNN, both exchanges\n\n");
        md.append("At this machine's per-core rate (t_fit ").append(Formats.fixed(stepMs, 1))
                .append(" ms a minibatch of ").append(s.batchSize()).append("), batch ").append(s.batchSize())
                .append(" per worker; **one core**: one one-core worker per node; **8 cores**: ").append(NODE_CORES)
                .append(" one-core workers per node, each on a core of its own (the peer ring passes through every ")
                .append("worker, crossing the network once per node; the driver exchange is predicted as ")
                .append(NODE_CORES).append(" x nodes workers with every transfer on the wire, which overstates its ")
                .append("cost a little). A link's latency is taken as ").append(Formats.fixed(LINK_LATENCY_MS, 2))
                .append(" ms per step of the ring. Both exchanges are projected at the same t_fit. **Efficiency**: images/s ")
                .append("over the workers' images/s without any exchange (workers x batch / t_fit). Time to ").append(Formats.percent(s.targetAccuracy()))
                .append(" = ").append(Formats.count(s.imagesToAccuracy())).append(" training images (")
                .append(s.imagesSource()).append(") / images per second, plus, for the peer exchange, one stage's ")
                .append("fixed cost per epoch (").append(segments).append(" segments).\n\n");
        MarkdownTable t = new MarkdownTable().right("Nodes").left("Node").right("Workers").right("Link, Gb/s")
                .right("Every").right("Peer round, ms", ms()).right("Peer images/s", x -> Formats.fixed(
                        x.doubleValue(), 0)).right("Peer efficiency", pct()).left("Peer time to target")
                .right("Driver round, ms", ms()).right("Driver images/s", x -> Formats.fixed(x.doubleValue(), 0))
                .right("Driver efficiency", pct()).left("Driver time to target");
        for (int nodes : s.projectedNodes()) {
            for (int cores : List.of(1, NODE_CORES)) {
                int workers = nodes * cores;
                for (double g : s.linkGbps()) {
                    for (int steps : s.frequencies()) {
                        double bytesPerSecond = CostModel.gbps(g);
                        double ideal = workers * s.batchSize() / (stepMs / 1000);
                        PeerCostModel.Round p = peerRound(peer, stepMs, steps, vector, nodes, cores, bytesPerSecond);
                        double pIps = PeerCostModel.imagesPerSecond(workers, steps, s.batchSize(), p);
                        double pTime = s.imagesToAccuracy() / pIps + segments * peer.stageFixedMs(workers) / 1000;
                        Double dMs = null;
                        Double dIps = null;
                        Double dEff = null;
                        String dTime = Formats.DASH;
                        if (driver != null) {
                            CostModel.Round d = driver.predict(w.withSteps(steps).withStepMs(stepMs), workers,
                                    bytesPerSecond);
                            dMs = d.totalMs();
                            dIps = CostModel.imagesPerSecond(w.withSteps(steps), workers, d);
                            dEff = dIps / ideal;
                            dTime = Formats.duration(s.imagesToAccuracy() / dIps);
                        }
                        t.row(nodes, cores == 1 ? "one core" : cores + " cores", workers, Formats.fixed(g, 0), steps,
                                p.totalMs(), pIps, pIps / ideal, Formats.duration(pTime), dMs, dIps, dEff, dTime);
                    }
                }
            }
        }
        md.append(t.render()).append('\n');
    }

    /**
     * A peer round on {@code nodes} nodes of {@code cores} one-core workers: a ring of every worker, whose slowest
     * hop (the one that crosses the network) sets each step's pace.
     */
    static PeerCostModel.Round peerRound(PeerCostModel peer, double stepMs, int steps, double vector, int nodes,
                                         int cores, double bytesPerSecond) {
        int members = nodes * cores;
        if (nodes == 1) {
            return peer.predict(stepMs, steps, vector, members, Double.POSITIVE_INFINITY, 0);
        }
        return peer.predict(stepMs, steps, vector, members, bytesPerSecond, LINK_LATENCY_MS);
    }

    /**
     * The peer points of a measurement over a rate-limited link predicted by the model fitted on the loopback's,
     * plus the wire time, and the bytes each executor put on its interface as N grows.
     */
    static void linkCheck(StringBuilder md, RoundCost.Results fitted, RoundCost.Results linked, double gbps) {
        // A veth pair adds no propagation delay: the kernel's cost per packet is in alpha already.
        double latencyMs = 0;
        List<PeerCostModel.Observation> base = observations(fitted);
        List<PeerCostModel.Observation> obs = observations(linked);
        if (obs.isEmpty()) {
            return;
        }
        md.append("## The peer exchange over the link\n\n");
        if (base.size() < 3) {
            md.append("No prediction: the loopback measurement has too few peer points for a cost model.\n\n");
        }
        PeerCostModel fit = base.size() < 3 ? null : PeerCostModel.fit(fitted.cores(), base);
        md.append("Predicted with the peer exchange's constants fitted on the loopback measurement, plus the ring's ")
                .append("wire time, 2 (N-1)/N x S / B (a veth pair adds no latency of its own: the kernel's cost ")
                .append("per step is in alpha already); nothing is fitted on these points. **On the ")
                .append("interface**: what each executor's own interface sent during its all-reduce (mean over the ")
                .append("workers and rounds), from the kernel's counters.\n\n");
        MarkdownTable t = new MarkdownTable().left("Model").right("Every").right("Workers")
                .right("Predicted, ms", ms()).right("of which wire, ms", ms()).right("Measured, ms", ms())
                .right("All-reduce measured, ms", ms()).right("Error (mean)", signedPct()).left("Within 25%")
                .right("Sent by the ring, MB", mb()).right("On the interface, MB", mb())
                .right("2 (N-1)/N x S, MB", mb());
        for (int i = 0; i < obs.size(); i++) {
            PeerCostModel.Observation o = obs.get(i);
            RoundCost.PeerPoint p = linked.peerPoints().stream().filter(q -> q.model().displayName().equals(o.model())
                    && q.workers() == o.workers() && q.steps() == o.steps()).findFirst().orElseThrow();
            Double predicted = null;
            Double wire = null;
            Double error = null;
            String ok = Formats.DASH;
            if (fit != null) {
                PeerCostModel.Round round = fit.predict(fit.stepMs().getOrDefault(o.model(), Double.NaN), o.steps(), o.vectorBytes(), o.workers(),
                        CostModel.gbps(gbps), latencyMs);
                predicted = round.totalMs();
                wire = round.wireMs();
                error = predicted / o.roundMs() - 1;
                ok = Math.abs(error) <= TOLERANCE ? "yes" : "**no**";
            }
            t.row(o.model(), o.steps(), o.workers(), predicted, wire, o.roundMs(), o.exchangeMs(), error, ok,
                    p.mean().sentBytes(), p.mean().wireBytes() < 0 ? null : p.mean().wireBytes(),
                    o.workers() == 1 ? 0 : 2.0 * (o.workers() - 1) / o.workers() * o.vectorBytes());
        }
        md.append(t.render()).append('\n');
    }

    static Function<Number, String> ms() {
        return x -> Formats.fixed(x.doubleValue(), x.doubleValue() < 10 ? 1 : 0);
    }

    static Function<Number, String> mb() {
        return x -> Formats.fixed(x.doubleValue() / 1e6, 2);
    }

    static String join(List<Double> values) {
        return values.stream().map(v -> Formats.fixed(v, v < 10 ? 1 : 0)).collect(Collectors.joining(", "));
    }
}
