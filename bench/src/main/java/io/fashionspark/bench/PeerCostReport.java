package io.fashionspark.bench;

import static io.fashionspark.bench.ScalingCostReport.TOLERANCE;
import static io.fashionspark.bench.ScalingCostReport.pct;
import static io.fashionspark.bench.ScalingCostReport.signedPct;

import io.fashionspark.model.ModelKind;
import io.fashionspark.train.PeerTimes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            md.append(ReportTemplates.render("peer-model.md", Map.of("fitted", false)));
            return;
        }
        PeerCostModel fit = PeerCostModel.fit(r.cores(), obs);
        model(md, r, fit, obs);
        projections(md, r, an, fit);
    }

    private static void sideBySide(StringBuilder md, RoundCost.Results r) {
        RoundCost.Settings s = r.settings();
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
        md.append(ReportTemplates.render("peer-side-by-side.md", Map.of("table", t.render())));
    }

    private static void phases(StringBuilder md, RoundCost.Results r) {
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
        MarkdownTable runs = new MarkdownTable().left("Model").right("Every").right("Workers").left("Runs' rounds, ms")
                .left("Runs' all-reduce, ms").left("Runs' stage outside its rounds, ms");
        for (RoundCost.PeerPoint p : r.peerPoints()) {
            runs.row(p.model().displayName(), p.steps(), p.workers(),
                    join(p.repeats().stream().map(PeerTimes.Round::roundMs).toList()),
                    join(p.repeats().stream().map(PeerTimes.Round::exchangeMs).toList()), join(p.stageFixedMs()));
        }
        md.append(ReportTemplates.render("peer-rounds.md", Map.of("phases", t.render(), "runs", runs.render())));
    }

    private static void model(StringBuilder md, RoundCost.Results r, PeerCostModel fit,
                              List<PeerCostModel.Observation> obs) {
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
        Map<String, Object> values = new HashMap<>();
        values.put("fitted", true);
        values.put("points", obs.size());
        values.put("batch", r.settings().batchSize());
        values.put("steps", byModel(fit.stepMs()));
        values.put("after", byModel(fit.afterExchangeMs()));
        values.put("alpha", Formats.fixed(fit.alphaMs(), 3));
        values.put("beta", Formats.fixed(fit.betaNsPerByte(), 3));
        values.put("other", Formats.fixed(fit.otherMs(), 2));
        values.put("a", Formats.fixed(fit.stageMs(), 0));
        values.put("c", Formats.fixed(fit.stageTaskMs(), 0));
        values.put("b", Formats.fixed(fit.stagePerWorkerMs(), 1));
        values.put("table", t.render());
        values.put("within", within);
        md.append(ReportTemplates.render("peer-model.md", values));
    }

    private static void projections(StringBuilder md, RoundCost.Results r, ScalingCostReport.Analysis an,
                                    PeerCostModel fit) {
        RoundCost.Settings s = r.settings();
        RoundCost.PeerPoint cnn = r.peerPoints().stream().filter(p -> p.model() == ModelKind.CNN).findFirst()
                .orElse(null);
        double stepMs = fit.stepMs().getOrDefault(ModelKind.CNN.displayName(), Double.NaN);
        if (cnn == null || Double.isNaN(stepMs)) {
            md.append(ReportTemplates.render("peer-projections.md", Map.of("measured", false)));
            return;
        }
        CostModel.Workload w = an.workloads().get(ModelKind.CNN);
        CostModel driver = an.fit() != null && w != null ? an.fit().model(w.name()).onOwnCores() : null;
        PeerCostModel peer = fit.onOwnCores();
        double vector = 4.0 * cnn.averagedFloats();
        long epochImages = 60_000;
        int segments = (int) Math.ceil((double) s.imagesToAccuracy() / epochImages);
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
                        PeerCostModel.Round p = peerRound(peer, ModelKind.CNN.displayName(), steps, vector, nodes,
                                cores, bytesPerSecond);
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
        Map<String, Object> values = new HashMap<>();
        values.put("measured", true);
        values.put("stepMs", Formats.fixed(stepMs, 1));
        values.put("after", Formats.fixed(fit.afterExchangeMs().getOrDefault(ModelKind.CNN.displayName(), 0.0), 1));
        values.put("batch", s.batchSize());
        values.put("nodeCores", NODE_CORES);
        values.put("latency", Formats.fixed(LINK_LATENCY_MS, 2));
        values.put("target", Formats.percent(s.targetAccuracy()));
        values.put("images", Formats.count(s.imagesToAccuracy()));
        values.put("imagesSource", s.imagesSource());
        values.put("segments", segments);
        values.put("table", t.render());
        md.append(ReportTemplates.render("peer-projections.md", values));
    }

    /**
     * A peer round on {@code nodes} nodes of {@code cores} one-core workers: a ring of every worker, whose slowest
     * hop (the one that crosses the network) sets each step's pace.
     */
    static PeerCostModel.Round peerRound(PeerCostModel peer, String model, int steps, double vector, int nodes,
                                         int cores, double bytesPerSecond) {
        int members = nodes * cores;
        if (nodes == 1) {
            return peer.predict(model, steps, vector, members, Double.POSITIVE_INFINITY, 0);
        }
        return peer.predict(model, steps, vector, members, bytesPerSecond, LINK_LATENCY_MS);
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
        PeerCostModel fit = base.size() < 3 ? null : PeerCostModel.fit(fitted.cores(), base);
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
                PeerCostModel.Round round = fit.predict(o.model(), o.steps(), o.vectorBytes(), o.workers(),
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
        md.append(ReportTemplates.render("peer-link.md", Map.of("fitted", fit != null, "table", t.render())));
    }

    /** A constant per model as the template's rows: its name and milliseconds. */
    private static List<Map<String, String>> byModel(Map<String, Double> ms) {
        List<Map<String, String>> rows = new ArrayList<>();
        ms.forEach((model, v) -> rows.add(Map.of("model", model, "ms", Formats.fixed(v, 1))));
        return rows;
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
