package io.fashionspark.bench;

import io.fashionspark.config.Exchange;
import io.fashionspark.model.ModelKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The round-cost report (bench/results/round-cost/<date>.md): the measured phases and bytes per worker count, the cost model
 * fitted on all the points, each point predicted by the model fitted on the others, and what it projects for
 * larger clusters.
 */
public final class ScalingCostReport {
    /** A point the model's prediction misses by more than this is called out. */
    static final double TOLERANCE = 0.25;

    private ScalingCostReport() {
    }

    /**
     * The fitted model and what it needs, or why there is none.
     *
     * @param fit       the constants fitted on every point
     * @param workloads each model's workload with its fitted t_step, its sizes from its first point (projections)
     * @param heldOut   for each point (in the measurement's order) the fit on all the others; null where no other
     *                  point has its model
     * @param measuredStepMs t_step by workload name where the measurement timed it apart from the rounds (every fit
     *                  takes it as given); empty for a measurement saved before step times were taken
     */
    record Analysis(CostModel.Fit fit, Map<ModelKind, CostModel.Workload> workloads, List<CostModel.Fit> heldOut,
                    Map<String, Double> measuredStepMs, String missing) {
        /** The k(N) of a model's points: its own cores where the fit has them. */
        double slowdown(ModelKind m, int workers, int machineCores) {
            return fit != null && fit.covers(m.displayName()) ? fit.model(m.displayName()).slowdown(workers)
                    : Math.max(1, (double) workers / machineCores);
        }
    }

    /**
     * Fits the model by least squares on every point (each the mean of its runs; see {@link CostModel#fit}), and
     * once more without each point in turn, to predict it from the others.
     */
    static Analysis analyse(RoundCost.Results r) {
        RoundCost.Settings s = r.settings();
        if (r.modelPoints().isEmpty()) {
            return new Analysis(null, Map.of(), List.of(), Map.of(), "no points were measured");
        }
        List<CostModel.Observation> observations = r.modelPoints().stream().map(p -> observation(s, p)).toList();
        Map<String, Double> measured = measuredStepMs(r);
        CostModel.Fit fit = CostModel.fit(r.cores(), observations, measured);
        Map<ModelKind, CostModel.Workload> workloads = new LinkedHashMap<>();
        for (ModelKind m : s.models()) {
            r.modelPoints().stream().filter(p -> p.model() == m).findFirst()
                    .ifPresent(p -> workloads.put(m, fit.workload(workload(s, p))));
        }
        return new Analysis(fit, workloads, CostModel.leaveOneOut(r.cores(), observations, measured), measured, null);
    }

    private static String frequencies(RoundCost.Settings s) {
        List<String> each = s.frequencies().stream().map(String::valueOf).toList();
        return each.size() == 1 ? each.get(0)
                : String.join(", ", each.subList(0, each.size() - 1)) + " and " + each.get(each.size() - 1);
    }

    /** t_step by workload name where the measurement timed the steps apart from the rounds; none before it did. */
    private static Map<String, Double> measuredStepMs(RoundCost.Results r) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (r.stepTimes() != null) {
            r.stepTimes().forEach(t -> out.put(t.model().displayName(), t.meanMs()));
        }
        return out;
    }

    /** A point's workload with its own measured sizes; its t_step is the fit's to give. */
    static CostModel.Workload workload(RoundCost.Settings s, RoundCost.Point p) {
        return new CostModel.Workload(p.model().displayName(), Double.NaN, s.steps(), s.batchSize(),
                p.broadcastBytes(), p.mean().resultBytes(), s.sumOnDriverUpTo());
    }

    static CostModel.Observation observation(RoundCost.Settings s, RoundCost.Point p) {
        return new CostModel.Observation(workload(s, p), p.workers(), p.mean());
    }

    public static String markdown(RoundCost.Results r) {
        RoundCost.Settings s = r.settings();
        Analysis an = analyse(r);
        StringBuilder md = new StringBuilder();
        int most = s.workerCounts().stream().mapToInt(Integer::intValue).max().orElse(1);
        Map<String, Object> head = measurement(r);
        head.put("memory", String.valueOf(r.machine().get("Memory")));
        head.put("embedded", r.master() != null && r.master().startsWith("local"));
        head.put("executors", r.machine().getOrDefault("Executors", ""));
        head.put("warmUp", s.warmUpRounds());
        head.put("repeats", s.repeats());
        head.put("runRounds", s.rounds() + 1);
        head.put("rounds", s.rounds());
        head.put("frequencies", frequencies(s));
        head.put("batch", s.batchSize());
        head.put("oneFrequency", s.frequencies().size() == 1 ? " " + s.steps() : "");
        head.put("exchanges", s.exchanges().equals(List.of(Exchange.DRIVER)) ? ""
                : s.exchanges().stream().map(e -> e == Exchange.DRIVER ? "the driver exchange"
                : "the peer exchange (each run one barrier stage)").collect(Collectors.joining(" and ", ", on ", "")));
        // A section over no value or one: the sentence appears only where several frequencies were measured.
        head.put("driverFitAt", s.frequencies().size() == 1 ? List.of() : List.of(s.steps()));
        head.put("loadBefore", r.loadBefore());
        head.put("loadAfter", r.loadAfter());
        head.put("oversubscribed", most > r.cores());
        head.put("most", most);
        head.put("factor", Formats.fixed((double) most / r.cores(), 0));
        md.append(ReportTemplates.render("driver-head.md", head));
        bytesTable(md, r);
        phasesTable(md, r, an);
        stepTimes(md, r);
        if (an.fit() == null) {
            md.append("No cost model of the driver exchange: ").append(an.missing()).append(".\n\n");
            PeerCostReport.append(md, r, an);
            return md.toString();
        }
        constants(md, r, an);
        validation(md, r, an);
        projections(md, r, an);
        assumptions(md, r, an);
        PeerCostReport.append(md, r, an);
        return md.toString();
    }

    private static void bytesTable(StringBuilder md, RoundCost.Results r) {
        MarkdownTable t = new MarkdownTable().left("Model").right("Workers").right("Parameters")
                .right("3 x parameters as floats, MB", x -> Formats.fixed(x.doubleValue(), 2))
                .right("Broadcast (down), MB", x -> Formats.fixed(x.doubleValue(), 2))
                .right("Result (up), MB", x -> Formats.fixed(x.doubleValue(), 2))
                .right("Results reaching the driver");
        for (RoundCost.Point p : r.modelPoints()) {
            t.row(p.model().displayName(), p.workers(), Formats.count(p.parameters()), 12.0 * p.parameters() / 1e6,
                    p.broadcastBytes() / 1e6, p.mean().resultBytes() / 1e6, p.mean().driverResults());
        }
        md.append(ReportTemplates.render("driver-bytes.md", Map.of("table", t.render())));
    }

    private static void phasesTable(StringBuilder md, RoundCost.Results r, Analysis an) {
        MarkdownTable t = new MarkdownTable().left("Model").right("Workers").right("k(N)", slowdownFormat())
                .right("Wall", ms()).right("Spread", pct()).right("Compute (slowest)", ms())
                .right("Compute (mean)", ms()).right("Broadcast", ms()).right("Fetch", ms()).right("Wait", ms())
                .right("Launch", ms()).right("Sched. delay", ms()).right("Task deser.", ms()).right("Results", ms())
                .right("Result ser.", ms()).right("Getting result", ms()).right("Other", ms())
                .right("Communication (wall - compute)", ms()).right("First round", ms());
        for (RoundCost.Point p : r.modelPoints()) {
            RoundPhases m = p.mean();
            double first = p.firstRounds().stream().mapToDouble(RoundPhases::wallMs).average().orElse(Double.NaN);
            double k = an.slowdown(p.model(), p.workers(), r.cores());
            t.row(p.model().displayName(), p.workers(), k, m.wallMs(),
                    p.spread(), m.computeMs(), m.computeMeanMs(), m.broadcastMs(), m.fetchMs(), m.workerWaitMs(),
                    m.launchMs(), m.schedulerDelayMs(), m.taskDeserializeMs(), m.resultsMs(), m.resultSerializeMs(),
                    m.gettingResultMs(), m.otherMs(), m.communicationMs(), first);
        }
        MarkdownTable runs = new MarkdownTable().left("Model").right("Workers").left("Runs' mean rounds, ms")
                .left("Runs' communication (wall - compute), ms");
        for (RoundCost.Point p : r.modelPoints()) {
            runs.row(p.model().displayName(), p.workers(), join(p.repeats().stream()
                    .mapToDouble(RoundPhases::wallMs).toArray()), join(p.repeats().stream()
                    .mapToDouble(RoundPhases::communicationMs).toArray()));
        }
        md.append(ReportTemplates.render("driver-phases.md", Map.of("phases", t.render(), "runs", runs.render())));
    }

    /** The step times measured apart, beside the 1-worker rounds' compute where there is one to compare. */
    private static void stepTimes(StringBuilder md, RoundCost.Results r) {
        if (r.stepTimes() == null || r.stepTimes().isEmpty()) {
            return;
        }
        MarkdownTable t = new MarkdownTable().left("Model").right("Minibatch").right("Per run")
                .left("Runs, ms a minibatch").right("Mean, ms", x -> Formats.fixed(x.doubleValue(), 1))
                .right("Spread", pct()).right("1 worker's round compute a minibatch, ms",
                        x -> Formats.fixed(x.doubleValue(), 1));
        for (StepTime st : r.stepTimes()) {
            Double inRounds = r.modelPoints().stream().filter(p -> p.model() == st.model() && p.workers() == 1)
                    .findFirst().map(p -> p.mean().computeMs() / r.settings().steps()).orElse(null);
            t.row(st.model().displayName(), st.batchSize(), st.steps(), st.runsMs().stream()
                    .map(x -> Formats.fixed(x, 1)).collect(java.util.stream.Collectors.joining(", ")), st.meanMs(),
                    st.spread(), inRounds);
        }
        md.append(ReportTemplates.render("driver-step-times.md", Map.of("warmUpSteps",
                r.settings().warmUpRounds() * r.settings().steps(), "repeats", r.settings().repeats(), "timedSteps",
                r.settings().steps() * r.settings().rounds(), "table", t.render())));
    }

    private static void constants(StringBuilder md, RoundCost.Results r, Analysis an) {
        CostModel c = an.fit().shared();
        int onDriver = r.settings().sumOnDriverUpTo();
        List<String> sizes = new ArrayList<>();
        an.workloads().values().forEach(w -> sizes.add(w.name() + " " + Formats.fixed(w.broadcastBytes() / 1e6, 2)
                + " MB"));
        String all = workerList(r.modelPoints().stream().map(RoundCost.Point::workers).toList());
        String direct = workerList(r.modelPoints().stream().map(RoundCost.Point::workers)
                .filter(n -> CostModel.levels(n, onDriver).size() == 1).toList());
        List<Map<String, Object>> workloads = new ArrayList<>();
        for (CostModel.Workload w : an.workloads().values()) {
            String name = w.name();
            workloads.add(Map.of("name", name, "cores", Formats.fixed(an.fit().cores().get(name), 2),
                    "measured", an.measuredStepMs().containsKey(name), "open", an.fit().coresOpen().contains(name),
                    "stepMs", Formats.fixed(w.stepMs(), 1),
                    "perCore", Formats.fixed(w.batchSize() / w.stepMs() * 1000, 0)));
        }
        Map<String, Object> values = new HashMap<>();
        values.put("noneOnDriver", onDriver == 0);
        values.put("onDriver", onDriver);
        values.put("points", r.modelPoints().size());
        values.put("stepsMeasured", !an.measuredStepMs().isEmpty());
        values.put("sizes", String.join(", ", sizes));
        values.put("workloads", workloads);
        values.put("all", all);
        values.put("nproc", r.cores());
        values.put("oRound", Formats.fixed(c.roundOverheadMs(), 1));
        values.put("oTask", Formats.fixed(c.taskOverheadMs(), 1));
        values.put("w", Formats.fixed(c.waitMs(), 1));
        values.put("broadcast", transfer(c.broadcast()));
        values.put("fetch", transfer(c.fetch()));
        values.put("serialize", transfer(c.serialize()));
        values.put("receive", transfer(c.receive()));
        values.put("direct", direct);
        md.append(ReportTemplates.render("driver-model.md", values));
    }

    /** What a report's opening says of the measurement it shows: when, how long, where, and its command. */
    private static Map<String, Object> measurement(RoundCost.Results r) {
        Map<String, Object> values = new HashMap<>();
        values.put("started", String.valueOf(r.started()));
        values.put("duration", Formats.duration(r.seconds()));
        values.put("cpu", String.valueOf(r.machine().get("CPU")));
        values.put("cores", r.cores());
        values.put("master", String.valueOf(r.master()));
        values.put("command", r.settings().command());
        return values;
    }

    /** "1, 2, 4 and 8 workers" (or "1 worker") from the points' worker counts. */
    private static String workerList(List<Integer> counts) {
        List<String> distinct = counts.stream().distinct().sorted().map(String::valueOf).toList();
        if (distinct.isEmpty()) {
            return "none measured";
        }
        if (distinct.size() == 1) {
            return Formats.workers(counts.get(0));
        }
        return String.join(", ", distinct.subList(0, distinct.size() - 1)) + " and "
                + distinct.get(distinct.size() - 1) + " workers";
    }

    private static String transfer(CostModel.Transfer x) {
        return Formats.fixed(x.fixedMs(), 1) + " ms + " + Formats.fixed(x.nsPerByte(), 2) + " ns/B";
    }

    /** The worst of a point's runs: the one farthest (relatively) from {@code predicted}. */
    private static double worstRun(double predicted, List<RoundPhases> runs,
                                   java.util.function.ToDoubleFunction<RoundPhases> measured) {
        double worst = 0;
        for (RoundPhases run : runs) {
            double e = predicted / measured.applyAsDouble(run) - 1;
            worst = Math.abs(e) > Math.abs(worst) ? e : worst;
        }
        return worst;
    }

    private static void validation(StringBuilder md, RoundCost.Results r, Analysis an) {
        RoundCost.Settings s = r.settings();
        MarkdownTable t = new MarkdownTable().left("Model").right("Workers").left("Without it: cores, t_step")
                .right("Predicted, ms", ms()).right("Compute", ms()).right("Communication", ms())
                .right("Measured mean, ms", ms()).right("Runs, ms").right("Error (mean)", signedPct())
                .right("Worst run's error", signedPct()).left("Within 25%");
        List<String> misses = new ArrayList<>();
        int within = 0;
        int withinOnMean = 0;
        int predicted = 0;
        for (int i = 0; i < r.modelPoints().size(); i++) {
            RoundCost.Point p = r.modelPoints().get(i);
            CostModel.Fit f = an.heldOut().get(i);
            String runs = join(p.repeats().stream().mapToDouble(RoundPhases::wallMs).toArray());
            double measured = p.mean().wallMs();
            if (f == null) {
                t.row(p.model().displayName(), p.workers(), "no other point of " + p.model().displayName(), null,
                        null, null, measured, runs, null, null, "not predicted");
                misses.add(p.model().displayName() + ", " + Formats.workers(p.workers()) + ": not predicted, no "
                        + "other point of its model gives its t_step");
                continue;
            }
            predicted++;
            String name = p.model().displayName();
            CostModel.Round pred = f.predict(workload(s, p), p.workers(), Double.POSITIVE_INFINITY);
            double err = pred.totalMs() / measured - 1;
            double worst = worstRun(pred.totalMs(), p.repeats(), RoundPhases::wallMs);
            boolean ok = Math.abs(worst) <= TOLERANCE;
            within += ok ? 1 : 0;
            withinOnMean += Math.abs(err) <= TOLERANCE ? 1 : 0;
            String without = Formats.fixed(f.cores().get(name), 2) + (f.coresOpen().contains(name) ? " (open)" : "")
                    + ", " + Formats.fixed(f.stepMs().get(name), 1) + " ms";
            t.row(name, p.workers(), without, pred.totalMs(), pred.computeMs(), pred.communicationMs(), measured,
                    runs, err, worst, ok ? "yes" : "**no**");
            if (!ok) {
                misses.add(miss(r, an, p, f, pred, err, worst));
            }
        }
        Map<String, Object> values = new HashMap<>();
        values.put("stepsMeasured", !an.measuredStepMs().isEmpty());
        values.put("table", t.render());
        values.put("within", within);
        values.put("points", r.modelPoints().size());
        values.put("withinOnMean", withinOnMean);
        values.put("hasMisses", !misses.isEmpty());
        values.put("misses", misses);
        md.append(ReportTemplates.render("driver-validation.md", values));
        inSample(md, r, an);
        communicationGivenCpu(md, r, an);
    }

    /** Why a held-out point is missed: which part is off, and what in its measurement the model cannot follow. */
    private static String miss(RoundCost.Results r, Analysis an, RoundCost.Point p, CostModel.Fit f,
                               CostModel.Round pred, double err, double worst) {
        RoundPhases m = p.mean();
        String name = p.model().displayName();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%s, %s: %+.1f%% on the runs' mean, worst "
                + "run %+.1f%%; predicted compute %.0f ms against %.0f measured (slowest worker), communication "
                + "%.0f against %.0f", name, Formats.workers(p.workers()), 100 * err, 100 * worst, pred.computeMs(),
                m.computeMs(), pred.communicationMs(), m.communicationMs()));
        if (f.coresOpen().contains(name)) {
            out.append(String.format(Locale.ROOT, ". Without it, %s's other points do not separate its t_step from "
                    + "its cores: the fit takes %s cores and t_step %s ms (on all points: %s and %s ms)", name,
                    Formats.fixed(f.cores().get(name), 2), Formats.fixed(f.stepMs().get(name), 1),
                    Formats.fixed(an.fit().cores().get(name), 2), Formats.fixed(an.fit().stepMs().get(name), 1)));
        }
        // The model's compute and communication only grow with the workers; a point above one with more workers
        // is one it cannot follow, whatever the constants.
        for (RoundCost.Point q : r.modelPoints()) {
            if (q.model() == p.model() && q.workers() > p.workers()) {
                boolean compute = q.mean().computeMs() < m.computeMs();
                boolean comm = q.mean().communicationMs() < m.communicationMs();
                if (compute || comm) {
                    out.append(String.format(Locale.ROOT, ". Its measured %s more than at %s (%s), which the "
                            + "model cannot follow: its compute and communication grow with the workers",
                            compute && comm ? "compute and communication are" : compute ? "compute is"
                                    : "communication is", Formats.workers(q.workers()),
                            compute && comm ? String.format(Locale.ROOT, "%.0f and %.0f ms against %.0f and %.0f",
                                    m.computeMs(), m.communicationMs(), q.mean().computeMs(),
                                    q.mean().communicationMs())
                                    : String.format(Locale.ROOT, "%.0f ms against %.0f",
                                    compute ? m.computeMs() : m.communicationMs(),
                                    compute ? q.mean().computeMs() : q.mean().communicationMs())));
                    break;
                }
            }
        }
        return out.toString();
    }

    /** The fit on all points against the same points: how well the form fits, not how well it predicts. */
    private static void inSample(StringBuilder md, RoundCost.Results r, Analysis an) {
        MarkdownTable t = new MarkdownTable().left("Model").right("Workers").right("Fitted, ms", ms())
                .right("Compute", ms()).right("Communication", ms()).right("Measured mean, ms", ms())
                .right("Error (mean)", signedPct()).right("Worst run's error", signedPct()).left("Within 25%");
        for (RoundCost.Point p : r.modelPoints()) {
            CostModel.Round pred = an.fit().predict(workload(r.settings(), p), p.workers(), Double.POSITIVE_INFINITY);
            double worst = worstRun(pred.totalMs(), p.repeats(), RoundPhases::wallMs);
            t.row(p.model().displayName(), p.workers(), pred.totalMs(), pred.computeMs(), pred.communicationMs(),
                    p.mean().wallMs(), pred.totalMs() / p.mean().wallMs() - 1, worst,
                    Math.abs(worst) <= TOLERANCE ? "yes" : "**no**");
        }
        md.append(ReportTemplates.render("driver-in-sample.md", Map.of("table", t.render())));
    }

    /**
     * A round's communication predicted with the executors' share of the CPU taken from the run itself (how much
     * slower its mean worker fitted than t_step) rather than from the fitted cores.
     */
    private static double communicationGivenCpu(CostModel.Fit f, CostModel.Workload w, int workers,
                                                RoundPhases run, double link) {
        CostModel.Workload fitted = f.workload(w);
        double k = Math.max(1, run.computeMeanMs() / (fitted.steps() * fitted.stepMs()));
        return f.model(w.name()).withCores(workers / k).predict(fitted, workers, link).communicationMs();
    }

    /**
     * The communication part alone, with the executors' share of the CPU taken from the run itself: on a machine
     * where other work comes and goes, this tests what the model says about broadcast, scheduling, results and
     * aggregation apart from how much CPU the workers happened to get. Held out like the rounds.
     */
    private static void communicationGivenCpu(StringBuilder md, RoundCost.Results r, Analysis an) {
        MarkdownTable t = new MarkdownTable().left("Model").right("Workers").right("Measured k, runs")
                .right("Predicted communication, ms", ms()).right("Measured communication, ms", ms())
                .right("Error (mean)", signedPct()).right("Worst run's error", signedPct()).left("Within 25%");
        for (int i = 0; i < r.modelPoints().size(); i++) {
            RoundCost.Point p = r.modelPoints().get(i);
            CostModel.Fit f = an.heldOut().get(i);
            double measured = p.mean().communicationMs();
            if (f == null) {
                t.row(p.model().displayName(), p.workers(), null, null, measured, null, null, "not predicted");
                continue;
            }
            CostModel.Workload w = workload(r.settings(), p);
            CostModel.Workload fitted = f.workload(w);
            List<String> ks = new ArrayList<>();
            double predictedSum = 0;
            double worst = 0;
            for (RoundPhases run : p.repeats()) {
                ks.add(Formats.fixed(Math.max(1, run.computeMeanMs() / (fitted.steps() * fitted.stepMs())), 1));
                double predicted = communicationGivenCpu(f, w, p.workers(), run, Double.POSITIVE_INFINITY);
                predictedSum += predicted;
                double e = predicted / run.communicationMs() - 1;
                worst = Math.abs(e) > Math.abs(worst) ? e : worst;
            }
            double predicted = predictedSum / p.repeats().size();
            t.row(p.model().displayName(), p.workers(), String.join(", ", ks), predicted, measured,
                    predicted / measured - 1, worst, Math.abs(worst) <= TOLERANCE ? "yes" : "**no**");
        }
        md.append(ReportTemplates.render("driver-communication.md", Map.of("table", t.render())));
    }

    private static void projections(StringBuilder md, RoundCost.Results r, Analysis an) {
        RoundCost.Settings s = r.settings();
        CostModel.Workload w = an.workloads().get(ModelKind.CNN);
        if (w == null) {
            md.append(ReportTemplates.render("driver-projections.md", Map.of("measured", false)));
            return;
        }
        CostModel cluster = an.fit().model(w.name()).onOwnCores();
        MarkdownTable t = new MarkdownTable().right("Nodes").right("Link, Gb/s").right("Round, ms", ms())
                .right("Compute, ms", ms()).right("Communication, ms", ms()).right("of which wire, ms", ms())
                .right("Images/s", x -> Formats.fixed(x.doubleValue(), 0))
                .left("Time to " + Formats.percent(s.targetAccuracy()))
                .right("Balanced period, minibatches", x -> Formats.fixed(x.doubleValue(), 1));
        for (int n : s.projectedNodes()) {
            for (double g : s.linkGbps()) {
                CostModel.Round p = cluster.predict(w, n, CostModel.gbps(g));
                double ips = CostModel.imagesPerSecond(w, n, p);
                t.row(n, Formats.fixed(g, 0), p.totalMs(), p.computeMs(), p.communicationMs(), p.wireMs(), ips,
                        Formats.duration(s.imagesToAccuracy() / ips), cluster.balancedSteps(w, n, CostModel.gbps(g)));
            }
        }
        List<Map<String, String>> links = new ArrayList<>();
        for (double g : s.linkGbps()) {
            int n = cluster.workersWhereCommunicationEqualsCompute(w, CostModel.gbps(g), 100_000);
            CostModel.Round at = cluster.predict(w, Math.max(1, n), CostModel.gbps(g));
            links.add(Map.of("gbps", Formats.fixed(g, 0), "nodes", n == 0 ? "more than 100,000" : Formats.count(n),
                    "roundMs", String.format(Locale.ROOT, "%.0f", at.totalMs()),
                    "ips", String.format(Locale.ROOT, "%,.0f", CostModel.imagesPerSecond(w, Math.max(1, n), at)),
                    "cap", String.format(Locale.ROOT, "%,.0f", saturation(cluster, w, CostModel.gbps(g)))));
        }
        Map<String, Object> values = new HashMap<>();
        values.put("measured", true);
        values.put("stepMs", Formats.fixed(w.stepMs(), 1));
        values.put("batch", w.batchSize());
        values.put("steps", w.steps());
        values.put("target", Formats.percent(s.targetAccuracy()));
        values.put("images", Formats.count(s.imagesToAccuracy()));
        values.put("imagesSource", s.imagesSource());
        values.put("table", t.render());
        values.put("links", links);
        md.append(ReportTemplates.render("driver-projections.md", values));
    }

    /**
     * The wire term checked: the points of a measurement over a link of {@code gbps} (e.g. a rate-limited one
     * between network namespaces) predicted by the model fitted on another measurement (the loopback's), with the
     * link's wire time added. Nothing is fitted on the linked measurement. {@code fittedReport} is the loopback
     * measurement's report as this one links to it.
     */
    public static String linkCheck(RoundCost.Results fitted, String fittedReport, RoundCost.Results linked,
                                   double gbps, String setup) {
        Analysis an = analyse(fitted);
        if (an.fit() == null) {
            throw new IllegalArgumentException("no cost model from the fitted measurement: " + an.missing());
        }
        double link = CostModel.gbps(gbps);
        StringBuilder md = new StringBuilder();
        String table = null;
        if (!linked.modelPoints().isEmpty()) {
            MarkdownTable t = new MarkdownTable().left("Model").right("Workers").right("Predicted, ms", ms())
                    .right("of which wire, ms", ms()).right("Measured mean, ms", ms()).right("Runs, ms")
                    .right("Error (mean)", signedPct()).right("Worst run's error", signedPct())
                    .right("Communication predicted given the CPU got, ms", ms())
                    .right("Communication measured, ms", ms()).right("Its error", signedPct()).left("Within 25%");
            for (RoundCost.Point p : linked.modelPoints()) {
                CostModel.Workload w = workload(linked.settings(), p);
                if (!an.fit().covers(w.name())) {
                    continue;
                }
                CostModel.Round pred = an.fit().predict(w, p.workers(), link);
                double measured = p.mean().wallMs();
                double worst = worstRun(pred.totalMs(), p.repeats(), RoundPhases::wallMs);
                double commSum = 0;
                for (RoundPhases run : p.repeats()) {
                    commSum += communicationGivenCpu(an.fit(), w, p.workers(), run, link);
                }
                double comm = commSum / p.repeats().size();
                double commErr = comm / p.mean().communicationMs() - 1;
                t.row(p.model().displayName(), p.workers(), pred.totalMs(), pred.wireMs(), measured,
                        join(p.repeats().stream().mapToDouble(RoundPhases::wallMs).toArray()),
                        pred.totalMs() / measured - 1, worst, comm, p.mean().communicationMs(), commErr,
                        Math.abs(worst) <= TOLERANCE ? "yes" : "**no**");
            }
            table = t.render();
        }
        Map<String, Object> head = measurement(linked);
        head.put("gbps", Formats.fixed(gbps, 3));
        head.put("hasSetup", !setup.isBlank());
        head.put("setup", setup);
        head.put("fittedStarted", String.valueOf(fitted.started()));
        head.put("fittedReport", fittedReport);
        head.put("loadBefore", linked.loadBefore());
        head.put("loadAfter", linked.loadAfter());
        head.put("points", table != null);
        head.put("table", table == null ? "" : table);
        md.append(ReportTemplates.render("link-head.md", head));
        if (table != null) {
            phasesTable(md, linked, an);
        }
        PeerCostReport.linkCheck(md, fitted, linked, gbps);
        return md.toString();
    }

    /** Images/s as N grows without bound: the workers' images over the per-worker part of the round. */
    static double saturation(CostModel c, CostModel.Workload w, double link) {
        int big = 1 << 20;
        CostModel.Round r = c.predict(w, big, link);
        return CostModel.imagesPerSecond(w, big, r);
    }

    private static void assumptions(StringBuilder md, RoundCost.Results r, Analysis an) {
        RoundCost.Settings s = r.settings();
        CostModel.Workload w = an.workloads().get(ModelKind.CNN);
        List<Map<String, String>> star = new ArrayList<>();
        List<Map<String, Object>> getters = new ArrayList<>();
        if (w != null) {
            for (double g : s.linkGbps()) {
                double extra = 63 * Math.max(0, w.broadcastBytes() - CostModel.BROADCAST_PIECE_BYTES)
                        / CostModel.gbps(g) * 1000;
                star.add(Map.of("ms", String.format(Locale.ROOT, "%.0f", extra), "gbps", Formats.fixed(g, 0)));
            }
            CostModel cluster = an.fit().model(w.name()).onOwnCores();
            List<Integer> levels = w.levels(64);
            int p = levels.get(levels.size() - 1);
            double serial = (p - Math.ceil((double) p / CostModel.RESULT_GETTER_THREADS))
                    * cluster.receive().ms(w.resultBytes());
            getters.add(Map.of("threads", CostModel.RESULT_GETTER_THREADS, "serialMs",
                    String.format(Locale.ROOT, "%.0f", serial), "p", p));
        }
        md.append(ReportTemplates.render("driver-assumptions.md", Map.of("star", star, "getters", getters,
                "fewest", r.modelPoints().stream().mapToInt(RoundCost.Point::workers).min().orElse(1),
                "most", r.modelPoints().stream().mapToInt(RoundCost.Point::workers).max().orElse(1))));
    }

    private static java.util.function.Function<Number, String> ms() {
        return x -> Formats.fixed(x.doubleValue(), 0);
    }

    static java.util.function.Function<Number, String> pct() {
        return x -> Formats.fixed(100 * x.doubleValue(), 0) + "%";
    }

    static java.util.function.Function<Number, String> signedPct() {
        return x -> Double.isFinite(x.doubleValue())
                ? String.format(Locale.ROOT, "%+.1f%%", 100 * x.doubleValue()) : Formats.DASH;
    }

    private static java.util.function.Function<Number, String> slowdownFormat() {
        return x -> Formats.fixed(x.doubleValue(), 1);
    }

    private static String join(double[] values) {
        List<String> out = new ArrayList<>();
        for (double v : values) {
            out.add(Formats.fixed(v, 0));
        }
        return String.join(", ", out);
    }
}
