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
        line("# Benchmarks");
        line("");
        line("Measured by `fashion-spark bench` on " + r.started().format(DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm z")) + " in one run of " + duration(r.wallSeconds()) + " on one machine (see "
                + "[Machine](#machine)). **The claims are the ratios between figures measured in this same run**; "
                + "absolute times depend on the machine and on what else ran on it (load average " + r.loadBefore()
                + " at the start, " + r.loadAfter() + " at the end; on a quiet machine it is near 0).");
        line("");
        line("What these figures mean for the targets, what was tried and what would close the gaps: "
                + "[performance.md](../../../docs/performance.md) (written by hand; each run writes a report of its own date).");
        line("");
        line("Reproduce (after `mvn -B -DskipTests package`; `bin/fashion-spark` runs the jar with the JVM options of "
                + "`conf/jvm.options`):");
        line("");
        line("```");
        line(s.command());
        line("```");
        line("");
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
        line("## Ratios");
        line("");
        int w = targets.workers();
        MarkdownTable table = new MarkdownTable().left("Ratio (same run)");
        models().forEach(m -> table.right(m.displayName()));
        for (int workers : r.settings().workers()) {
            for (int freq : r.settings().frequencies()) {
                perModel(table, "Spark " + workers(workers) + ", averaging every " + freq
                        + " / best single JVM (images/s)", m -> {
                            Optional<ScenarioResult> spark = f.spark(m, workers, freq);
                            Optional<ScenarioResult> single = f.bestSingle(m);
                            return spark.isPresent() && single.isPresent()
                                    ? ratio(spark.get().imagesPerSecond() / single.get().imagesPerSecond())
                                    : NOT_MEASURED;
                        });
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
            String run = "Full run (" + epochs(r.settings().fullEpochs()) + "), DL4J " + f.fullSetup() + " / PyTorch";
            perModel(table, run + " (images/s)",
                    m -> fullRunCell(m, (d, t) -> ratio(d.imagesPerSecond() / t.imagesPerSecond())));
            perModel(table, "Full run, test accuracy at the end: DL4J − PyTorch",
                    m -> fullRunCell(m, (d, t) -> points(d.accuracy() - t.accuracy())));
            double goal = r.settings().ttaTarget();
            if (goal > 0) {
                perModel(table, "Full run, time to " + percent(goal) + " test accuracy, DL4J / PyTorch "
                        + "(lower is faster)", m -> m != ModelKind.CNN ? Formats.DASH : fullRunCell(m, (d, t) -> {
                            Optional<FullRun.Checkpoint> dc = d.firstReaching(goal);
                            Optional<FullRun.Checkpoint> tc = t.firstReaching(goal);
                            return dc.isPresent() && tc.isPresent()
                                    ? ratio(dc.get().trainSeconds() / tc.get().trainSeconds())
                                    : f.timeToAccuracy(d) + " vs " + f.timeToAccuracy(t);
                        }));
            }
        }
        table(table);
        line("Ratios of images/s above 1 mean the first is faster. Every scenario of a model trains on the same "
                + "images, so accuracies compare; see [Raw figures](#raw-figures).");
        line("");
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
    private String fullRunCell(ModelKind m, BiFunction<FullRun, FullRun, String> cell) {
        Optional<FullRun> d = f.dl4jFullRun(m);
        Optional<FullRun> t = f.pytorchFullRun(m);
        if (d.isEmpty()) {
            return PyTorchReference.supports(m) ? NOT_MEASURED : "no reference";
        }
        return t.isEmpty() ? f.pytorchMissing(m) : cell.apply(d.get(), t.get());
    }

    // ---- Targets ------------------------------------------------------------------------------------------------

    private void targets() {
        line("## Targets");
        line("");
        line("The product's performance targets, set for a 2-core machine, embedded Spark and "
                + workers(targets.workers()) + " (`src/main/resources/io/fashionspark/bench/targets.json`).");
        line("");
        MarkdownTable table = new MarkdownTable().left("Target").left("Measured").left("Met");
        for (BenchTargets.Evaluation e : targets.evaluate(f)) {
            table.row(e.title(), e.measurement().shown(), e.verdict().cell());
        }
        table(table);
        if (r.fullRuns().isEmpty()) {
            line("Without full runs (`--full-run-epochs 0`) the PyTorch target compares "
                    + "accuracies after the images of this run (see the raw figures), not after full runs.");
            line("");
        }
    }

    // ---- Raw figures ---------------------------------------------------------------------------------------------

    private void raw() {
        line("## Raw figures");
        line("");
        line("Training images/s count training time only (the test evaluation after training is left out). GFLOP/s: "
                + "images/s x training FLOPs per image (see [FLOPs](#flops-per-image)); % of peak: against the "
                + "ND4J matmul peak of " + gflops(r.peak().gflops()) + " (PyTorch against its own, "
                + (r.pytorch() == null ? "not measured" : gflops(r.pytorch().matmulGflops())) + "). Memory: peaks "
                + "of the JVM that trained, driver and executors together (one JVM in the embedded mode); "
                + "for PyTorch the peak RSS of its process. See [Method](#method).");
        line("");
        for (ModelKind m : models()) {
            BenchSettings.Plan plan = r.settings().plan(m, r.trainSetSize());
            line("### " + m.displayName());
            line("");
            line("The first " + count(plan.subset()) + " training images" + (plan.epochs() > 1
                    ? ", " + plan.epochs() + " epochs" : "") + " (a last partial step is dropped); "
                    + count(r.testSetSize()) + " test images.");
            line("");
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
            table(table);
        }
        if (r.pytorchNote() != null) {
            line(r.pytorchNote() + ".");
            line("");
        }
    }

    // ---- Where an averaging round's time goes --------------------------------------------------------------------

    private void rounds() {
        line("## Where an averaging round's time goes");
        line("");
        line("Milliseconds per averaging round, averaged over the scenario's rounds; worker-side figures are means "
                + "over the workers, which run side by side. Sources: dl4j-spark's training stats "
                + "(`setCollectTrainingStats`) and Spark's task metrics.");
        line("");
        line("- **compute**: the workers fitting their minibatches (forward, backward, Adam);");
        line("- **broadcast**: the driver broadcasting parameters and Adam state (serialising them), each worker "
                + "fetching and deserialising them and building its replica;");
        line("- **aggregation**: the averaging job beyond the workers' own function (serialising each replica's "
                + "parameters and Adam state back, summing them) and the driver's division and update;");
        line("- **count job**: dl4j-spark counts each round's data with a Spark job of its own before training on it "
                + "(that builds the round's minibatches a second time);");
        line("- **rest**: the round's wall time minus the above: scheduling between and inside the jobs, the workers "
                + "waiting for their minibatches, splitting the data;");
        line("- of which **(de)serialisation** and **scheduler delay**: Spark's task deserialisation + result "
                + "serialisation, and scheduler delay, of the round's tasks (already inside the columns above).");
        line("");
        line("Rows of the workers' ring all-reduce (`--exchange allreduce`) come from the tasks' own clocks: "
                + "**compute** is the workers fitting, **aggregation** the all-reduce (waiting for the slowest "
                + "worker included), **broadcast** each barrier stage's start and end shared over its rounds (the "
                + "stage's launch, the model's trips to and from the driver), **rest** the driver's time between "
                + "stages (tests excluded); no count job. A round's fixed cost is its wall time less compute.");
        line("");
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
        table(table);
    }

    // ---- FLOPs ---------------------------------------------------------------------------------------------------

    private void flops() {
        line("## FLOPs per image");
        line("");
        line("Multiply-adds (MACs) of the convolutions (out_h x out_w x out_c x k_h x k_w x in_c) and dense layers "
                + "(in x out); batch norm, activations, pooling, dropout and the optimiser are left out (under 1%). "
                + "Forward FLOPs = 2 x MACs; training ≈ " + FlopCounter.TRAINING_PASSES + " x forward (forward, and "
                + "the backward pass's input and weight gradients). Matmul peak: the fastest of "
                + r.peak().repetitions() + " ND4J sgemm multiplies of " + r.peak().size() + " x " + r.peak().size()
                + " floats after a warm-up, " + r.peak().threads() + " threads: **" + gflops(r.peak().gflops())
                + "** (median " + gflops(r.peak().medianGflops()) + ").");
        line("");
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
        table(table);
    }

    // ---- Full runs ----------------------------------------------------------------------------------------------

    private void fullRuns() {
        line("## Full runs");
        line("");
        if (r.fullRuns().isEmpty()) {
            line("Not run (`--full-run-epochs 0`, or no DNN or CNN among --models).");
            line("");
            return;
        }
        double goal = r.settings().ttaTarget();
        FullRun any = r.fullRuns().get(0);
        line("Each model from scratch on all " + count(r.trainSetSize()) + " training images for "
                + epochs(r.settings().fullEpochs()) + ", tested every " + count(any.evalEveryImages()) + " trained "
                + "images (DL4J tests at the end of the averaging round that passes that point) and at the end. "
                + "Times are training time; the tests are left out (with them: the wall column)."
                + (goal > 0 ? " The time to " + percent(goal) + " (FashionCNN) is the training time before the first "
                        + "test at or above it." : ""));
        line("");
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
        table(table);
    }

    // ---- Machine and method --------------------------------------------------------------------------------------

    private void machine() {
        line("## Machine");
        line("");
        for (Map.Entry<String, String> e : r.machine().entrySet()) {
            line("- " + e.getKey() + ": " + e.getValue());
        }
        if (r.pytorch() != null) {
            BenchResults.PyTorchInfo p = r.pytorch();
            line("- PyTorch: " + p.torch() + " (" + p.python() + "), " + p.threads() + " threads; BLAS loaded: "
                    + p.blas() + (p.openBlas() ? " (OpenBLAS)" : " (**not OpenBLAS**)") + "; torch matmul peak "
                    + gflops(p.matmulGflops()));
        } else {
            line("- PyTorch: " + (r.pytorchNote() == null ? "not run" : r.pytorchNote()));
        }
        line("- Load average: " + r.loadBefore() + " at the start, " + r.loadAfter() + " at the end");
        line("");
    }

    private void method() {
        String cores = f.cores();
        int w = targets.workers();
        line("## Method");
        line("");
        line("- One JVM (`bin/fashion-spark`), one run: first the matmul peak, then each model in one JVM without "
                + "Spark (DL4J `MultiLayerNetwork.fit` on each minibatch), then on an embedded `local[N]` Spark "
                + "master for each worker count (the project's `ParameterAveragingTrainer`, as `train` runs it, "
                + "without checkpoints; DL4J's full runs follow in the context of their worker count), "
                + "then the single JVM again, then the PyTorch reference and its full runs, as subprocesses. A few "
                + "untimed minibatches (one JVM) and two untimed averaging rounds (each Spark context) warm up first.");
        line("- The single-JVM scenarios run twice, before and after the Spark scenarios, and the faster of the two is "
                + "the figure above (the harder baseline: other work on a shared machine comes and goes within a "
                + "run). Both:");
        for (String b : r.baselineRuns()) {
            line("  - " + b);
        }
        line("- The single-JVM runs train on a thread of their own, not the JVM's main thread: DL4J fits the same "
                + "FashionDNN minibatch 2.5-3x slower on the main thread (18-26 ms against 7-9 ms a minibatch on a "
                + "2-core machine), and Spark's task threads never are the main thread.");
        line("- Same data, seed (" + r.settings().seed() + "), Adam learning rate (" + r.settings().learningRate()
                + ") and minibatch size (" + r.settings().batchSize() + " per worker) everywhere; each epoch "
                + "reshuffled. Spark's " + workers(w) + " fit " + w + " x " + r.settings().batchSize()
                + " images per step, so for the same images they take fewer, averaged steps; the single JVM is also "
                + "run with the minibatch sizes " + r.settings().singleBatchSizes() + " and the fastest is the "
                + "baseline.");
        line("- Threads: ND4J's BLAS runs each matrix product on the cores the JVM sees (" + cores + ") in the "
                + "single JVM, and on that count divided by the workers in each Spark scenario (the embedded "
                + "master's default: its workers share one process; the column Threads/worker); PyTorch runs with "
                + "torch.set_num_threads(" + cores + ") and OMP/OpenBLAS threads " + cores + ".");
        line("- PyTorch: `bench/pytorch_reference.py` (carried in the jar), the reference PyTorch models "
                + "(docs/models.md) layer for layer, CrossEntropyLoss, Adam; it reads the same idx files, reshuffles "
                + "each epoch as the DL4J runs do, and scores the test set in inference mode (`model.eval()`), as "
                + "DL4J does, where the reference code scores it in training mode.");
        line("- Memory: peak RSS is the kernel's high-water mark (VmHWM), reset per scenario through "
                + "/proc/self/clear_refs; peak heap is the most heap in use (garbage included) and peak off-heap "
                + "the most RSS − committed heap (ND4J's native arrays, native libraries, thread stacks, metaspace; "
                + "a lower bound, as committed heap pages not yet touched are not resident), both sampled every "
                + MemoryProbe.SAMPLE_MS + " ms. In the embedded mode the driver and the executors are one JVM, so "
                + "these are their sum.");
        line("- Where the time goes: see that section; per-phase timers cost a few milliseconds per averaging round "
                + "and are on in every Spark scenario.");
        line("");
    }

    // ---- Writing -------------------------------------------------------------------------------------------------

    /** A table and the blank line after it. */
    private void table(MarkdownTable table) {
        md.append(table.render());
        line("");
    }

    private void line(String s) {
        md.append(s).append('\n');
    }
}
