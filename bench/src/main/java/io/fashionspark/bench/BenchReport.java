package io.fashionspark.bench;

import static io.fashionspark.bench.BenchFigures.NOT_MEASURED;
import static io.fashionspark.bench.Formats.bytes;
import static io.fashionspark.bench.Formats.count;
import static io.fashionspark.bench.Formats.duration;
import static io.fashionspark.bench.Formats.epochs;
import static io.fashionspark.bench.Formats.fixed;
import static io.fashionspark.bench.Formats.gflops;
import static io.fashionspark.bench.Formats.percent;
import static io.fashionspark.bench.Formats.points;
import static io.fashionspark.bench.Formats.ratio;
import static io.fashionspark.bench.Formats.workers;

import io.fashionspark.model.ModelKind;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The benchmark's markdown: ratios first (the claims), then the performance targets met or not, the raw figures
 * they come from, where the averaging rounds' time goes, memory, FLOPs, the full runs, the machine and the method.
 */
public final class BenchReport {
    private static final Function<Number, String> COUNT = n -> count(n.longValue());
    private static final Function<Number, String> ROUNDED_COUNT = n -> count(Math.round(n.doubleValue()));
    private static final Function<Number, String> PERCENT = n -> percent(n.doubleValue());

    private final BenchResults r;
    private final BenchFigures f;
    private final BenchTargets targets;
    private final StringBuilder md = new StringBuilder();

    private BenchReport(BenchResults results, BenchTargets targets) {
        this.r = results;
        this.f = new BenchFigures(results);
        this.targets = targets;
    }

    public static String markdown(BenchResults results) {
        return new BenchReport(results, BenchTargets.standard()).render();
    }

    private String render() {
        BenchSettings s = r.settings();
        md.append(ReportTemplates.render("bench-head.md", Map.of(
                "started", r.started().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")),
                "duration", duration(r.wallSeconds()), "loadBefore", r.loadBefore(), "loadAfter", r.loadAfter(),
                "command", s.command())));
        ratios();
        targets();
        raw();
        rounds();
        flops();
        fullRuns();
        machine();
        method();
        return md.toString();
    }

    private List<ModelKind> models() {
        return r.settings().models();
    }

    // ---- Ratios -------------------------------------------------------------------------------------------------

    private void ratios() {
        int w = targets.workers();
        MarkdownTable table = new MarkdownTable().left("Ratio (same run)");
        models().forEach(m -> table.right(m.displayName()));
        for (int workers : r.settings().workers()) {
            for (int freq : r.settings().frequencies()) {
                for (ScenarioResult.Engine exchange : BenchFigures.SPARK_EXCHANGES) {
                    if (models().stream().allMatch(m -> f.spark(m, exchange, workers, freq).isEmpty())) {
                        continue;
                    }
                    perModel(table, "Spark " + workers(workers) + ", averaging every " + freq + " ("
                            + BenchFigures.exchangeName(exchange) + ") / best single JVM (images/s)", m -> {
                                Optional<ScenarioResult> spark = f.spark(m, exchange, workers, freq);
                                Optional<ScenarioResult> single = f.bestSingle(m);
                                return spark.isPresent() && single.isPresent()
                                        ? ratio(spark.get().imagesPerSecond() / single.get().imagesPerSecond())
                                        : NOT_MEASURED;
                            });
                }
            }
        }
        perModel(table, "Best single JVM / PyTorch (images/s)", m -> vsPytorch(m, f.bestSingle(m)));
        perModel(table, "Spark " + workers(w) + ", fastest / PyTorch (images/s)",
                m -> vsPytorch(m, f.fastestSpark(m, w)));
        perModel(table, "Test accuracy: Spark " + workers(w) + " (fastest) − PyTorch, same images", m -> {
            Optional<ScenarioResult> torch = f.pytorch(m);
            if (torch.isEmpty()) {
                return f.pytorchMissing(m);
            }
            return f.fastestSpark(m, w).map(x -> points(x.accuracy() - torch.get().accuracy())).orElse(NOT_MEASURED);
        });
        perModel(table, "Achieved / matmul peak, best DL4J",
                m -> f.bestDl4j(m).map(x -> percent(f.peakShare(m, x))).orElse(NOT_MEASURED));
        perModel(table, "Achieved / matmul peak, PyTorch (against its own matmul peak)", m -> f.pytorch(m)
                .map(x -> r.pytorch() == null ? NOT_MEASURED
                        : percent(x.gflops(f.trainingFlops(m)) / r.pytorch().matmulGflops()))
                .orElse(f.pytorchMissing(m)));
        if (!r.fullRuns().isEmpty()) {
            double goal = r.settings().ttaTarget();
            for (ScenarioResult.Engine exchange : BenchFigures.SPARK_EXCHANGES) {
                if (models().stream().allMatch(m -> f.dl4jFullRun(m, exchange).isEmpty())) {
                    continue;
                }
                String name = BenchFigures.exchangeName(exchange);
                perModel(table, "Full run (" + epochs(r.settings().fullEpochs()) + "), DL4J " + f.fullSetup() + " ("
                        + name + ") / PyTorch (images/s)", m -> fullRunCell(f.dl4jFullRun(m, exchange), m,
                        (d, t) -> ratio(d.imagesPerSecond() / t.imagesPerSecond())));
                perModel(table, "Full run (" + name + "), test accuracy at the end: DL4J − PyTorch",
                        m -> fullRunCell(f.dl4jFullRun(m, exchange), m, (d, t) -> points(d.accuracy() - t.accuracy())));
                if (goal > 0) {
                    perModel(table, "Full run (" + name + "), time to " + percent(goal) + " test accuracy, DL4J / "
                            + "PyTorch (lower is faster)", m -> m != ModelKind.CNN ? Formats.DASH
                            : fullRunCell(f.dl4jFullRun(m, exchange), m, (d, t) -> {
                                Optional<FullRun.Checkpoint> dc = d.firstReaching(goal);
                                Optional<FullRun.Checkpoint> tc = t.firstReaching(goal);
                                return dc.isPresent() && tc.isPresent()
                                        ? ratio(dc.get().trainSeconds() / tc.get().trainSeconds())
                                        : f.timeToAccuracy(d) + " vs " + f.timeToAccuracy(t);
                            }));
                }
            }
        }
        md.append(ReportTemplates.render("bench-ratios.md", Map.of("table", table.render())));
    }

    /** A row with a name and a cell for each model. */
    private void perModel(MarkdownTable table, String name, Function<ModelKind, String> cell) {
        List<Object> cells = new ArrayList<>();
        cells.add(name);
        models().forEach(m -> cells.add(cell.apply(m)));
        table.row(cells.toArray());
    }

    private String vsPytorch(ModelKind m, Optional<ScenarioResult> dl4j) {
        Optional<ScenarioResult> torch = f.pytorch(m);
        if (torch.isEmpty()) {
            return f.pytorchMissing(m);
        }
        return dl4j.map(x -> ratio(x.imagesPerSecond() / torch.get().imagesPerSecond())).orElse(NOT_MEASURED);
    }

    /** A cell from the model's two full runs, or why there is none. */
    private String fullRunCell(Optional<FullRun> d, ModelKind m, BiFunction<FullRun, FullRun, String> cell) {
        Optional<FullRun> t = f.pytorchFullRun(m);
        if (d.isEmpty()) {
            return PyTorchReference.supports(m) ? NOT_MEASURED : "no reference";
        }
        return t.isEmpty() ? f.pytorchMissing(m) : cell.apply(d.get(), t.get());
    }

    // ---- Targets ------------------------------------------------------------------------------------------------

    private void targets() {
        MarkdownTable table = new MarkdownTable().left("Target").left("Measured").left("Met");
        for (BenchTargets.Evaluation e : targets.evaluate(f)) {
            table.row(e.title(), e.measurement().shown(), e.verdict().cell());
        }
        md.append(ReportTemplates.render("bench-targets.md", Map.of("workers", workers(targets.workers()),
                "table", table.render(), "fullRuns", !r.fullRuns().isEmpty())));
    }

    // ---- Raw figures ---------------------------------------------------------------------------------------------

    private void raw() {
        List<Map<String, Object>> sections = new ArrayList<>();
        for (ModelKind m : models()) {
            BenchSettings.Plan plan = r.settings().plan(m, r.trainSetSize());
            MarkdownTable table = new MarkdownTable().left("Scenario").right("Threads/worker").right("Images", COUNT)
                    .right("Train s", n -> fixed(n.doubleValue(), 1)).right("Images/s", n -> fixed(n.doubleValue(), 0))
                    .right("Test accuracy", PERCENT).right("Test loss", n -> fixed(n.doubleValue(), 3))
                    .right("GFLOP/s", n -> fixed(n.doubleValue(), 1)).right("% of peak", PERCENT)
                    .right("Peak RSS").right("Peak heap").right("Peak off-heap (≥ RSS − committed heap)");
            for (ScenarioResult x : r.scenarios().stream().filter(x -> x.model() == m).toList()) {
                double gf = x.gflops(f.trainingFlops(m));
                double peakGf = x.engine() == ScenarioResult.Engine.PYTORCH
                        ? (r.pytorch() == null ? Double.NaN : r.pytorch().matmulGflops()) : r.peak().gflops();
                MemoryProbe.Peaks mem = x.memory();
                table.row(x.label(), x.threads(), x.images(), x.trainSeconds(), x.imagesPerSecond(), x.accuracy(),
                        x.loss(), gf, gf / peakGf, bytes(x.peakRssBytes())
                                + (mem != null && !mem.rssSinceScenarioStart() ? " (since JVM start)" : ""),
                        mem == null ? null : bytes(mem.heapUsedBytes()),
                        mem == null ? null : bytes(mem.offHeapBytes()));
            }
            if (PyTorchReference.supports(m) && f.pytorch(m).isEmpty()) {
                table.rowThenBlank(ScenarioResult.Engine.PYTORCH.description(), f.pytorchMissing(m));
            }
            sections.add(Map.of("name", m.displayName(), "subset", count(plan.subset()),
                    "epochs", plan.epochs() > 1 ? ", " + plan.epochs() + " epochs" : "",
                    "testImages", count(r.testSetSize()), "table", table.render()));
        }
        md.append(ReportTemplates.render("bench-raw.md", Map.of("peak", gflops(r.peak().gflops()),
                "pytorchPeak", r.pytorch() == null ? "not measured" : gflops(r.pytorch().matmulGflops()),
                "models", sections, "hasNote", r.pytorchNote() != null,
                "note", r.pytorchNote() == null ? "" : r.pytorchNote())));
    }

    // ---- Where an averaging round's time goes --------------------------------------------------------------------

    private void rounds() {
        Function<Number, String> ms = n -> fixed(n.doubleValue(), 1);
        MarkdownTable table = new MarkdownTable().left("Model").left("Scenario").right("Rounds").right("Round ms", ms)
                .right("Compute", ms).right("Broadcast", ms).right("Aggregation", ms).right("Count job", ms)
                .right("Rest", ms).right("of which (de)serialisation", ms).right("of which scheduler delay", ms)
                .right("Compute share", PERCENT);
        for (ScenarioResult x : r.scenarios()) {
            RoundBreakdown b = x.rounds();
            if (b != null) {
                table.row(x.model().displayName(), x.label(), b.rounds(), b.wallMs(), b.computeMs(), b.broadcastMs(),
                        b.aggregationMs(), b.countMs(), b.restMs(), b.serializationMs(), b.schedulerDelayMs(),
                        b.computeShare());
            }
        }
        md.append(ReportTemplates.render("bench-rounds.md", Map.of("table", table.render())));
    }

    // ---- FLOPs ---------------------------------------------------------------------------------------------------

    private void flops() {
        Function<Number, String> mflop = n -> fixed(n.doubleValue() / 1e6, 2);
        MarkdownTable table = new MarkdownTable().left("Model").left("MACs per layer").right("Forward MFLOP", mflop)
                .right("Training MFLOP", mflop);
        for (FlopCounter.Count c : r.flops().values()) {
            List<String> parts = new ArrayList<>();
            for (FlopCounter.LayerMacs l : c.layers()) {
                parts.add(l.name() + " " + count(l.macs()));
            }
            table.row(c.model(), String.join(", ", parts) + " (total " + count(c.forwardMacs()) + ")",
                    c.forwardFlops(), c.trainingFlops());
        }
        md.append(ReportTemplates.render("bench-flops.md", Map.of("passes", FlopCounter.TRAINING_PASSES,
                "repetitions", r.peak().repetitions(), "size", r.peak().size(), "threads", r.peak().threads(),
                "peak", gflops(r.peak().gflops()), "median", gflops(r.peak().medianGflops()),
                "table", table.render())));
    }

    // ---- Full runs ----------------------------------------------------------------------------------------------

    private void fullRuns() {
        if (r.fullRuns().isEmpty()) {
            md.append(ReportTemplates.render("bench-full-runs.md", Map.of("ran", false)));
            return;
        }
        double goal = r.settings().ttaTarget();
        FullRun any = r.fullRuns().get(0);
        Function<Number, String> seconds = n -> fixed(n.doubleValue(), 1);
        MarkdownTable table = new MarkdownTable().left("Model").left("Engine").left("Setup").right("Images", COUNT)
                .right("Training s", seconds).right("Wall s (with tests)", seconds).right("Images/s", ROUNDED_COUNT)
                .right("Accuracy at the end", PERCENT).right("Best", PERCENT)
                .left("Time to " + (goal > 0 ? percent(goal) : "accuracy")).right("Tests");
        for (FullRun run : r.fullRuns()) {
            String tta = run.model() != ModelKind.CNN || goal <= 0 ? Formats.DASH : f.timeToAccuracy(run);
            table.row(run.model().displayName(), run.engine().description(), run.setup(), run.images(),
                    run.trainSeconds(), run.wallSeconds(), run.imagesPerSecond(), run.accuracy(), run.bestAccuracy(),
                    tta, run.checkpoints().size() + 1);
        }
        for (ModelKind m : r.settings().fullRunModels()) {
            if (f.pytorchFullRun(m).isEmpty()) {
                table.rowThenBlank(m.displayName(), ScenarioResult.Engine.PYTORCH.description(), f.pytorchState());
            }
        }
        md.append(ReportTemplates.render("bench-full-runs.md", Map.of("ran", true,
                "trainImages", count(r.trainSetSize()), "epochs", epochs(r.settings().fullEpochs()),
                "evalEvery", count(any.evalEveryImages()), "hasGoal", goal > 0, "goal", percent(goal),
                "table", table.render())));
    }

    // ---- Machine and method --------------------------------------------------------------------------------------

    private void machine() {
        List<Map<String, String>> facts = r.machine().entrySet().stream()
                .map(e -> Map.of("key", e.getKey(), "value", e.getValue())).toList();
        String pytorch;
        if (r.pytorch() != null) {
            BenchResults.PyTorchInfo p = r.pytorch();
            pytorch = p.torch() + " (" + p.python() + "), " + p.threads() + " threads; BLAS loaded: " + p.blas()
                    + (p.openBlas() ? " (OpenBLAS)" : " (**not OpenBLAS**)") + "; torch matmul peak "
                    + gflops(p.matmulGflops());
        } else {
            pytorch = r.pytorchNote() == null ? "not run" : r.pytorchNote();
        }
        md.append(ReportTemplates.render("bench-machine.md", Map.of("facts", facts, "pytorch", pytorch,
                "loadBefore", r.loadBefore(), "loadAfter", r.loadAfter())));
    }

    private void method() {
        int w = targets.workers();
        Map<String, Object> values = new HashMap<>();
        values.put("baselines", r.baselineRuns());
        values.put("seed", r.settings().seed());
        values.put("learningRate", r.settings().learningRate());
        values.put("batch", r.settings().batchSize());
        values.put("workers", workers(w));
        values.put("w", w);
        values.put("singleBatches", r.settings().singleBatchSizes());
        values.put("cores", f.cores());
        values.put("sampleMs", MemoryProbe.SAMPLE_MS);
        md.append(ReportTemplates.render("bench-method.md", values));
    }
}
