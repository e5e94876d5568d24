package io.fashionspark.bench;

import io.fashionspark.model.ModelKind;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's markdown: ratios first (the claims), then the targets met or not, the raw figures they come
 * from, where the averaging rounds' time goes, memory, FLOPs, time to accuracy, the machine and the method.
 */
public final class BenchReport {
    /** Targets of the issue, on a 2-core machine with embedded Spark and 2 workers. */
    static final int TARGET_WORKERS = 2;
    static final double TARGET_SPARK_VS_SINGLE = 0.9;
    static final double TARGET_DL4J_VS_PYTORCH = 1.0;
    static final double TARGET_CNN_PEAK_SHARE = 0.30;
    static final String NOT_MEASURED = "not measured";

    private final BenchResults r;
    private final StringBuilder md = new StringBuilder();

    private BenchReport(BenchResults results) {
        this.r = results;
    }

    public static String markdown(BenchResults results) {
        return new BenchReport(results).render();
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
        timeToAccuracy();
        machine();
        method();
        return md.toString();
    }

    // ---- Ratios -------------------------------------------------------------------------------------------------

    private List<ModelKind> models() {
        return r.settings().models();
    }

    private void ratios() {
        line("## Ratios");
        line("");
        StringBuilder head = new StringBuilder("| Ratio (same run) |");
        StringBuilder rule = new StringBuilder("|---|");
        for (ModelKind m : models()) {
            head.append(' ').append(m.displayName()).append(" |");
            rule.append("---:|");
        }
        line(head.toString());
        line(rule.toString());
        for (int w : r.settings().workers()) {
            for (int f : r.settings().frequencies()) {
                row("Spark " + workers(w) + ", averaging every " + f + " / best single JVM (images/s)", m -> {
                    Optional<ScenarioResult> spark = spark(m, w, f);
                    Optional<ScenarioResult> single = bestSingle(m);
                    return spark.isPresent() && single.isPresent()
                            ? ratio(spark.get().imagesPerSecond() / single.get().imagesPerSecond()) : NOT_MEASURED;
                });
            }
        }
        row("Best single JVM / PyTorch (images/s)", m -> vsPytorch(m, bestSingle(m)));
        row("Spark " + workers(TARGET_WORKERS) + ", fastest / PyTorch (images/s)",
                m -> vsPytorch(m, fastestSpark(m, TARGET_WORKERS)));
        row("Test accuracy: Spark " + workers(TARGET_WORKERS) + " (fastest) − PyTorch, same images", m -> {
            Optional<ScenarioResult> spark = fastestSpark(m, TARGET_WORKERS);
            Optional<ScenarioResult> torch = pytorch(m);
            if (torch.isEmpty()) {
                return pytorchMissing(m);
            }
            return spark.map(x -> points(x.accuracy() - torch.get().accuracy())).orElse(NOT_MEASURED);
        });
        row("Achieved / matmul peak, best DL4J", m -> bestDl4j(m).map(x -> percent(peakShare(m, x)))
                .orElse(NOT_MEASURED));
        row("Achieved / matmul peak, PyTorch (against its own matmul peak)", m -> pytorch(m)
                .map(x -> r.pytorch() == null ? NOT_MEASURED
                        : percent(x.gflops(trainingFlops(m)) / r.pytorch().matmulGflops()))
                .orElse(pytorchMissing(m)));
        Optional<TimeToAccuracy> dl4j = tta(ScenarioResult.Engine.SPARK);
        Optional<TimeToAccuracy> torch = tta(ScenarioResult.Engine.PYTORCH);
        if (dl4j.isPresent() || torch.isPresent()) {
            String cell = dl4j.isPresent() && torch.isPresent() && dl4j.get().reached() && torch.get().reached()
                    ? ratio(dl4j.get().trainSeconds() / torch.get().trainSeconds())
                    : ttaCell(dl4j) + " vs " + (torch.isPresent() ? ttaCell(torch)
                            : "PyTorch " + pytorchMissing(ModelKind.CNN));
            row("Time to " + percent(r.settings().ttaTarget()) + " test accuracy, DL4J / PyTorch (lower is faster)",
                    m -> m == ModelKind.CNN ? cell : "—");
        }
        line("");
        line("Ratios of images/s above 1 mean the first is faster. Every scenario of a model trains on the same "
                + "images, so accuracies compare; see [Raw figures](#raw-figures).");
        line("");
    }

    private String vsPytorch(ModelKind m, Optional<ScenarioResult> dl4j) {
        Optional<ScenarioResult> torch = pytorch(m);
        if (torch.isEmpty()) {
            return pytorchMissing(m);
        }
        return dl4j.map(x -> ratio(x.imagesPerSecond() / torch.get().imagesPerSecond())).orElse(NOT_MEASURED);
    }

    private String pytorchMissing(ModelKind m) {
        if (!PyTorchReference.supports(m)) {
            return "no reference";
        }
        return r.pytorch() == null ? "skipped" : "failed";
    }

    // ---- Targets ------------------------------------------------------------------------------------------------

    private void targets() {
        line("## Targets");
        line("");
        line("The issue's targets, for a 2-core machine, embedded Spark and " + TARGET_WORKERS + " workers.");
        line("");
        line("| Target | Measured | Met |");
        line("|---|---|---|");
        for (ModelKind m : List.of(ModelKind.DNN, ModelKind.CNN)) {
            if (!models().contains(m)) {
                continue;
            }
            Optional<ScenarioResult> spark = fastestSpark(m, TARGET_WORKERS);
            Optional<ScenarioResult> single = bestSingle(m);
            if (spark.isPresent() && single.isPresent()) {
                double x = spark.get().imagesPerSecond() / single.get().imagesPerSecond();
                target("Spark " + workers(TARGET_WORKERS) + " ≥ " + ratio(TARGET_SPARK_VS_SINGLE)
                        + " the images/s of the best single JVM, " + m.displayName(),
                        ratio(x) + " (" + spark.get().label() + " against " + single.get().label() + ")",
                        x >= TARGET_SPARK_VS_SINGLE);
            } else {
                target("Spark " + workers(TARGET_WORKERS) + " ≥ " + ratio(TARGET_SPARK_VS_SINGLE)
                        + " the best single JVM, " + m.displayName(), NOT_MEASURED, null);
            }
        }
        for (ModelKind m : List.of(ModelKind.DNN, ModelKind.CNN)) {
            if (!models().contains(m)) {
                continue;
            }
            String name = "≥ " + ratio(TARGET_DL4J_VS_PYTORCH) + " PyTorch's training images/s at equal or better "
                    + "test accuracy, " + m.displayName();
            Optional<ScenarioResult> torch = pytorch(m);
            if (torch.isEmpty()) {
                target(name, "PyTorch " + pytorchMissing(m), null);
                continue;
            }
            double torchAcc = torch.get().accuracy();
            Optional<ScenarioResult> atLeastAsGood = r.of(m, ScenarioResult.Engine.SPARK).stream()
                    .filter(x -> x.workers() == TARGET_WORKERS && x.accuracy() >= torchAcc)
                    .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
            if (atLeastAsGood.isPresent()) {
                ScenarioResult x = atLeastAsGood.get();
                double ratio = x.imagesPerSecond() / torch.get().imagesPerSecond();
                target(name, ratio(ratio) + " (" + x.label() + ", " + percent(x.accuracy()) + " against "
                        + percent(torchAcc) + ")", ratio >= TARGET_DL4J_VS_PYTORCH);
            } else {
                Optional<ScenarioResult> fastest = fastestSpark(m, TARGET_WORKERS);
                target(name, fastest.map(x -> ratio(x.imagesPerSecond() / torch.get().imagesPerSecond()) + " but no "
                        + workers(TARGET_WORKERS) + " run reached PyTorch's " + percent(torchAcc) + " (best "
                        + percent(bestAccuracy(m, TARGET_WORKERS)) + ")").orElse(NOT_MEASURED), false);
            }
        }
        if (models().contains(ModelKind.CNN)) {
            Optional<ScenarioResult> best = fastestSpark(ModelKind.CNN, TARGET_WORKERS);
            target("FashionCNN training ≥ " + percent(TARGET_CNN_PEAK_SHARE) + " of the measured matmul peak",
                    best.map(x -> percent(peakShare(ModelKind.CNN, x)) + " (" + x.label() + ": "
                            + gflops(x.gflops(trainingFlops(ModelKind.CNN))) + " of " + gflops(r.peak().gflops())
                            + ")").orElse(NOT_MEASURED),
                    best.map(x -> peakShare(ModelKind.CNN, x) >= TARGET_CNN_PEAK_SHARE).orElse(null));
            Optional<TimeToAccuracy> dl4j = tta(ScenarioResult.Engine.SPARK);
            Optional<TimeToAccuracy> torch = tta(ScenarioResult.Engine.PYTORCH);
            String name = "FashionCNN time to " + (r.settings().ttaTarget() > 0 ? percent(r.settings().ttaTarget())
                    : "90%") + " test accuracy reported, no worse than PyTorch's";
            if (r.settings().ttaTarget() <= 0) {
                target(name, "not run (--time-to-accuracy 0)", null);
            } else if (dl4j.isEmpty()) {
                target(name, NOT_MEASURED, null);
            } else if (torch.isEmpty()) {
                target(name, "DL4J " + ttaCell(dl4j) + "; PyTorch " + (r.pytorch() == null ? "skipped" : "failed"),
                        null);
            } else {
                boolean met = dl4j.get().reached()
                        && (!torch.get().reached() || dl4j.get().trainSeconds() <= torch.get().trainSeconds());
                target(name, "DL4J " + ttaCell(dl4j) + ", PyTorch " + ttaCell(torch), met);
            }
        }
        line("");
        Map<ModelKind, Integer> images = r.settings().images();
        boolean fiveEpochs = models().stream().allMatch(m -> images.get(m) >= 300_000);
        if (!fiveEpochs) {
            line("Accuracies are compared after the images of this run (see the raw figures), not after the 5 epochs "
                    + "the target names; `--images 300000` measures that (5 to 10 times longer).");
            line("");
        }
    }

    private void target(String name, String measured, Boolean met) {
        line("| " + name + " | " + measured + " | " + (met == null ? "n/a" : met ? "**met**" : "**not met**")
                + " |");
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
            line("| Scenario | Threads/worker | Images | Train s | Images/s | Test accuracy | Test loss | GFLOP/s "
                    + "| % of peak | Peak RSS | Peak heap | Peak off-heap (≥ RSS − committed heap) |");
            line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            List<ScenarioResult> rows = new ArrayList<>(r.scenarios().stream().filter(x -> x.model() == m).toList());
            for (ScenarioResult x : rows) {
                double gf = x.gflops(trainingFlops(m));
                double peakGf = x.engine() == ScenarioResult.Engine.PYTORCH
                        ? (r.pytorch() == null ? Double.NaN : r.pytorch().matmulGflops()) : r.peak().gflops();
                MemoryProbe.Peaks mem = x.memory();
                line("| " + x.label() + " | " + x.threads() + " | " + count(x.images()) + " | "
                        + fixed(x.trainSeconds(), 1) + " | " + fixed(x.imagesPerSecond(), 0) + " | "
                        + percent(x.accuracy()) + " | " + fixed(x.loss(), 3) + " | " + fixed(gf, 1) + " | "
                        + percent(gf / peakGf) + " | " + bytes(x.peakRssBytes())
                        + (mem != null && !mem.rssSinceScenarioStart() ? " (since JVM start)" : "") + " | "
                        + (mem == null ? "—" : bytes(mem.heapUsedBytes())) + " | "
                        + (mem == null ? "—" : bytes(mem.offHeapBytes())) + " |");
            }
            if (PyTorchReference.supports(m) && pytorch(m).isEmpty()) {
                line("| PyTorch reference | " + pytorchMissing(m) + " | | | | | | | | | | |");
            }
            line("");
        }
        if (r.pytorchNote() != null) {
            line(r.pytorchNote() + ".");
            line("");
        }
    }

    // ---- Round breakdown -----------------------------------------------------------------------------------------

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
        line("| Model | Scenario | Rounds | Round ms | Compute | Broadcast | Aggregation | Count job | Rest "
                + "| of which (de)serialisation | of which scheduler delay | Compute share |");
        line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (ScenarioResult x : r.scenarios()) {
            RoundBreakdown b = x.rounds();
            if (b == null) {
                continue;
            }
            line("| " + x.model().displayName() + " | " + x.label() + " | " + b.rounds() + " | "
                    + fixed(b.wallMs(), 1) + " | " + fixed(b.computeMs(), 1) + " | " + fixed(b.broadcastMs(), 1)
                    + " | " + fixed(b.aggregationMs(), 1) + " | " + fixed(b.countMs(), 1) + " | "
                    + fixed(b.restMs(), 1) + " | " + fixed(b.serializationMs(), 1) + " | "
                    + fixed(b.schedulerDelayMs(), 1) + " | " + percent(b.computeShare()) + " |");
        }
        line("");
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
        line("| Model | MACs per layer | Forward MFLOP | Training MFLOP |");
        line("|---|---|---:|---:|");
        for (Map.Entry<ModelKind, FlopCounter.Count> e : r.flops().entrySet()) {
            FlopCounter.Count c = e.getValue();
            List<String> parts = new ArrayList<>();
            for (FlopCounter.LayerMacs l : c.layers()) {
                parts.add(l.name() + " " + count(l.macs()));
            }
            line("| " + c.model() + " | " + String.join(", ", parts) + " (total " + count(c.forwardMacs()) + ") | "
                    + fixed(c.forwardFlops() / 1e6, 2) + " | " + fixed(c.trainingFlops() / 1e6, 2) + " |");
        }
        line("");
    }

    // ---- Time to accuracy ----------------------------------------------------------------------------------------

    private void timeToAccuracy() {
        line("## Time to accuracy");
        line("");
        if (r.settings().ttaTarget() <= 0 || !models().contains(ModelKind.CNN)) {
            line("Not run (it needs the CNN among --models and --time-to-accuracy above 0).");
            line("");
            return;
        }
        line("FashionCNN from scratch on all " + count(r.trainSetSize()) + " training images until a test "
                + "evaluation reaches " + percent(r.settings().ttaTarget()) + ", at most "
                + epochs(r.settings().ttaMaxEpochs()) + ", tested every " + count(ttaEvalImages()) + " trained "
                + "images (DL4J tests at the end of the averaging round that passes that point). Time is training "
                + "time until that evaluation; the evaluations themselves are left out (with them: the wall "
                + "column).");
        line("");
        line("| Engine | Setup | Reached | Training s | Wall s (with tests) | Images | Accuracy | Tests |");
        line("|---|---|---|---:|---:|---:|---:|---:|");
        for (TimeToAccuracy t : r.timeToAccuracy()) {
            line("| " + t.engine().description() + " | " + t.setup() + " | " + (t.reached() ? "yes" : "no") + " | "
                    + fixed(t.trainSeconds(), 1) + " | " + fixed(t.wallSeconds(), 1) + " | " + count(t.images())
                    + " | " + percent(t.accuracy()) + " | " + t.evaluations() + " |");
        }
        if (tta(ScenarioResult.Engine.PYTORCH).isEmpty()) {
            line("| " + ScenarioResult.Engine.PYTORCH.description() + " | | " + (r.pytorch() == null ? "skipped"
                    : "failed") + " | | | | | |");
        }
        line("");
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
        line("## Method");
        line("");
        line("- One JVM (`bin/fashion-spark`), one run: first the matmul peak, then each model in one JVM without "
                + "Spark (DL4J `MultiLayerNetwork.fit` on each minibatch), then on an embedded `local[N]` Spark "
                + "master for each worker count (the project's `ParameterAveragingTrainer`, as `train` runs it, "
                + "without checkpoints; DL4J's time-to-accuracy run follows in the context of its worker count), "
                + "then the PyTorch reference and its time-to-accuracy run, as subprocesses. A few untimed "
                + "minibatches (one JVM) and two untimed rounds (each Spark context) warm up first.");
        line("- The single-JVM runs train on a thread of their own, not the JVM's main thread: DL4J fits the same "
                + "FashionDNN minibatch 2.5-3x slower on the main thread (18-26 ms against 7-9 ms, measured while "
                + "building this benchmark), and Spark's task threads never are the main thread.");
        line("- Same data, seed (" + r.settings().seed() + "), Adam learning rate (" + r.settings().learningRate()
                + ") and minibatch size (" + r.settings().batchSize() + " per worker) everywhere; each epoch "
                + "reshuffled. Spark's " + workers(TARGET_WORKERS) + " fit " + TARGET_WORKERS + " x "
                + r.settings().batchSize() + " images per step, so for the same images they take fewer, averaged "
                + "steps; the single JVM is also run with the minibatch sizes " + r.settings().singleBatchSizes()
                + " and the fastest is the baseline.");
        line("- Threads: ND4J uses its default native thread count (" + machineThreads() + ") in each worker, so "
                + "Spark's workers share the cores; PyTorch runs with torch.set_num_threads(" + cores() + ") and "
                + "OMP/OpenBLAS threads " + cores() + ", the cores the JVM sees.");
        line("- PyTorch: `bench/pytorch_reference.py` (carried in the jar), the notes' FashionDNN and FashionCNN "
                + "layer for layer, CrossEntropyLoss, Adam; it reads the same idx files, reshuffles each epoch as "
                + "the DL4J runs do, and scores the test set in inference mode (`model.eval()`), as DL4J does; the "
                + "notes score it in training mode.");
        line("- Memory: peak RSS is the kernel's high-water mark (VmHWM), reset per scenario through "
                + "/proc/self/clear_refs; peak heap is the most heap in use (garbage included) and peak off-heap "
                + "the most RSS − committed heap (ND4J's native arrays, native libraries, thread stacks, metaspace; "
                + "a lower bound, as committed heap pages not yet touched are not resident), both sampled every "
                + MemoryProbe.SAMPLE_MS + " ms. In the embedded mode the driver and the executors are one JVM, so "
                + "these are their sum.");
        line("- Where the time goes: see that section; per-phase timers cost a few milliseconds per round and are on "
                + "in every Spark scenario.");
        line("");
    }

    private String machineThreads() {
        return r.scenarios().stream().filter(x -> x.engine() != ScenarioResult.Engine.PYTORCH).findFirst()
                .map(x -> Integer.toString(x.threads())).orElse("?");
    }

    private String cores() {
        return r.machine().getOrDefault("Cores the JVM uses", "?");
    }

    // ---- Lookups -------------------------------------------------------------------------------------------------

    private Optional<ScenarioResult> bestSingle(ModelKind m) {
        return r.of(m, ScenarioResult.Engine.SINGLE_JVM).stream()
                .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    private Optional<ScenarioResult> spark(ModelKind m, int workers, int freq) {
        return r.of(m, ScenarioResult.Engine.SPARK).stream()
                .filter(x -> x.workers() == workers && x.averagingFrequency() == freq).findFirst();
    }

    private Optional<ScenarioResult> fastestSpark(ModelKind m, int workers) {
        return r.of(m, ScenarioResult.Engine.SPARK).stream().filter(x -> x.workers() == workers)
                .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    private double bestAccuracy(ModelKind m, int workers) {
        return r.of(m, ScenarioResult.Engine.SPARK).stream().filter(x -> x.workers() == workers)
                .mapToDouble(ScenarioResult::accuracy).max().orElse(Double.NaN);
    }

    private Optional<ScenarioResult> bestDl4j(ModelKind m) {
        return r.scenarios().stream().filter(x -> x.model() == m && x.engine() != ScenarioResult.Engine.PYTORCH)
                .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    private Optional<ScenarioResult> pytorch(ModelKind m) {
        return r.of(m, ScenarioResult.Engine.PYTORCH).stream().findFirst();
    }

    private Optional<TimeToAccuracy> tta(ScenarioResult.Engine engine) {
        return r.timeToAccuracy().stream().filter(t -> t.engine() == engine).findFirst();
    }

    private double trainingFlops(ModelKind m) {
        FlopCounter.Count c = r.flops().get(m);
        return c == null ? Double.NaN : c.trainingFlops();
    }

    private double peakShare(ModelKind m, ScenarioResult x) {
        return x.gflops(trainingFlops(m)) / r.peak().gflops();
    }

    private static String ttaCell(Optional<TimeToAccuracy> t) {
        if (t.isEmpty()) {
            return NOT_MEASURED;
        }
        TimeToAccuracy x = t.get();
        return x.reached() ? fixed(x.trainSeconds(), 1) + " s (" + count(x.images()) + " images)"
                : "not reached in " + fixed(x.trainSeconds(), 1) + " s (best " + percent(x.accuracy()) + ")";
    }

    // ---- Formatting ----------------------------------------------------------------------------------------------

    private interface Cell {
        String of(ModelKind m);
    }

    private void row(String name, Cell cell) {
        StringBuilder sb = new StringBuilder("| ").append(name).append(" |");
        for (ModelKind m : models()) {
            sb.append(' ').append(cell.of(m)).append(" |");
        }
        line(sb.toString());
    }

    private void line(String s) {
        md.append(s).append('\n');
    }

    private long ttaEvalImages() {
        return r.timeToAccuracy().stream().mapToLong(TimeToAccuracy::evalEveryImages).findFirst()
                .orElse(r.settings().ttaEvalImages());
    }

    static String epochs(int n) {
        return n + (n == 1 ? " epoch" : " epochs");
    }

    static String workers(int n) {
        return n + (n == 1 ? " worker" : " workers");
    }

    static String ratio(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.2fx", x) : "—";
    }

    static String percent(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.2f%%", 100 * x) : "—";
    }

    static String points(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%+.2f points", 100 * x) : "—";
    }

    static String fixed(double x, int decimals) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%,." + decimals + "f", x) : "—";
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String gflops(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.1f GFLOP/s", x) : "—";
    }

    static String bytes(long b) {
        if (b < 0) {
            return "—";
        }
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.0f MiB", b / (double) (1L << 20));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
    }
}
