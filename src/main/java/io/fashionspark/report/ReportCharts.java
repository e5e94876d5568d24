package io.fashionspark.report;

import io.fashionspark.data.FashionClasses;
import io.fashionspark.metrics.AveragingRound;
import io.fashionspark.metrics.EpochEnd;
import io.fashionspark.metrics.TestEvaluation;
import io.fashionspark.metrics.WorkerIteration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Which charts a report has, and the curves each draws from the metrics. */
public final class ReportCharts {
    public static final String LOSS = "loss.png";
    public static final String ACCURACY = "accuracy.png";
    public static final String THROUGHPUT = "throughput.png";
    public static final String CONFUSION = "confusion.png";
    public static final String PER_CLASS = "per-class.png";
    public static final String SAMPLES = "samples.png";

    private static final String ITERATION = "iteration (each worker fits one minibatch)";
    private static final String ELAPSED = "seconds since training started";

    private ReportCharts() {
    }

    /** One run's charts, in page order; the image grid only when its predictions could be made. */
    public static List<ChartImage> forRun(RunResults run, SampleGrid samples) {
        List<ChartImage> charts = new ArrayList<>();
        charts.add(new ChartImage(LOSS, "Training loss",
                "Training loss per iteration for each worker, the averaged model's score per round and the test loss",
                ChartRenderer.lines("Training loss per iteration", ITERATION, "cross-entropy loss", lossCurves(run),
                        0.0, null, false)));
        charts.add(new ChartImage(ACCURACY, "Test accuracy",
                "Test accuracy of the averaged model over iterations",
                ChartRenderer.lines("Test accuracy of the averaged model", ITERATION, "accuracy (%)",
                        List.of(accuracyCurve("test accuracy", run, Curve.Style.POINTS)), accuracyAxisMin(List.of(run)),
                        100.0, false)));
        charts.add(new ChartImage(THROUGHPUT, "Throughput",
                "Training images per second over time, per averaging round and per epoch",
                ChartRenderer.lines("Training throughput", ELAPSED, "images per second", throughputCurves(run),
                        0.0, null, false)));
        charts.add(new ChartImage(CONFUSION, "Confusion matrix",
                "Confusion matrix heat map of the final model on the test set",
                ChartRenderer.confusionHeatMap(run.summary().confusionMatrix(), classNames(run))));
        charts.add(new ChartImage(PER_CLASS, "Per-class accuracy",
                "Final test accuracy for each class",
                ChartRenderer.perClassBars(run.summary().perClassAccuracy())));
        if (samples.available() && !samples.samples().isEmpty()) {
            charts.add(new ChartImage(SAMPLES, "Test images",
                    "The first " + samples.samples().size() + " test images with true and predicted labels",
                    SampleGridRenderer.render(samples)));
        }
        return charts;
    }

    /**
     * Several runs overlaid, one colour each: training loss averaged over workers, test accuracy, throughput.
     *
     * @param labels one distinct label per run, in the runs' order
     */
    public static List<ChartImage> forComparison(List<RunResults> runs, List<String> labels) {
        List<Curve> loss = new ArrayList<>();
        List<Curve> accuracy = new ArrayList<>();
        List<Curve> throughput = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResults run = runs.get(i);
            String label = labels.get(i);
            loss.add(Curve.of(label, run.meanWorkerLossPerIteration(), Curve.Style.LINE));
            accuracy.add(accuracyCurve(label, run, Curve.Style.POINTS));
            throughput.add(roundThroughput(label, run, Curve.Style.LINE));
        }
        String runsNamed = ": " + String.join("; ", labels);
        return List.of(
                new ChartImage(LOSS, "Training loss",
                        "Training loss per iteration, averaged over each run's workers" + runsNamed,
                        ChartRenderer.lines("Training loss per iteration (mean over workers)", ITERATION,
                                "cross-entropy loss", loss, 0.0, null, true)),
                new ChartImage(ACCURACY, "Test accuracy", "Test accuracy of each run over iterations" + runsNamed,
                        ChartRenderer.lines("Test accuracy of the averaged model", ITERATION, "accuracy (%)",
                                accuracy, accuracyAxisMin(runs), 100.0, true)),
                new ChartImage(THROUGHPUT, "Throughput",
                        "Training images per second of each run over time" + runsNamed,
                        ChartRenderer.lines("Training throughput per averaging round", ELAPSED,
                                "images per second", throughput, 0.0, null, true)));
    }

    /**
     * The accuracy axis ends at 100% and starts a little below the lowest accuracy, on a multiple of 10: runs that
     * all reach 100% still get an axis, and the late, small gains stay visible.
     */
    static double accuracyAxisMin(List<RunResults> runs) {
        double lowest = 100;
        for (RunResults run : runs) {
            for (TestEvaluation t : run.tests()) {
                if (Double.isFinite(t.accuracy())) {
                    lowest = Math.min(lowest, 100 * t.accuracy());
                }
            }
        }
        return Math.max(0, Math.floor((lowest - 1) / 10) * 10);
    }

    static List<Curve> lossCurves(RunResults run) {
        Map<Integer, SortedMap<Long, Double>> byWorker = new TreeMap<>();
        for (WorkerIteration w : run.workerLosses()) {
            byWorker.computeIfAbsent(w.worker(), k -> new TreeMap<>()).put(w.iteration(), w.loss());
        }
        List<Curve> curves = new ArrayList<>();
        byWorker.forEach((worker, points) -> curves.add(Curve.of("worker " + worker, points, Curve.Style.THIN)));
        SortedMap<Long, Double> averaged = new TreeMap<>();
        for (AveragingRound r : run.rounds()) {
            averaged.put(r.iteration(), r.score());
        }
        curves.add(Curve.of("averaged model (round score)", averaged, Curve.Style.BOLD));
        SortedMap<Long, Double> test = new TreeMap<>();
        for (TestEvaluation t : run.tests()) {
            test.put(t.iteration(), t.loss());
        }
        curves.add(Curve.of("test set", test, Curve.Style.MARKERS_ONLY));
        return curves;
    }

    static Curve accuracyCurve(String label, RunResults run, Curve.Style style) {
        SortedMap<Long, Double> points = new TreeMap<>();
        for (TestEvaluation t : run.tests()) {
            points.put(t.iteration(), 100 * t.accuracy());
        }
        return Curve.of(label, points, style);
    }

    static List<Curve> throughputCurves(RunResults run) {
        List<Curve> curves = new ArrayList<>();
        curves.add(roundThroughput("each averaging round", run, Curve.Style.THIN));
        Map<Double, Double> perEpoch = new LinkedHashMap<>();
        long start = run.trainingStartMs();
        for (EpochEnd e : run.epochs()) {
            perEpoch.put((e.timestampMs() - start) / 1000.0, e.imagesPerSecond());
        }
        curves.add(Curve.of("epoch average (testing excluded)", perEpoch, Curve.Style.POINTS));
        return curves;
    }

    private static Curve roundThroughput(String label, RunResults run, Curve.Style style) {
        Map<Double, Double> points = new LinkedHashMap<>();
        long start = run.trainingStartMs();
        for (AveragingRound r : run.rounds()) {
            points.put((r.timestampMs() - start) / 1000.0, r.imagesPerSecond());
        }
        return Curve.of(label, points, style);
    }

    private static List<String> classNames(RunResults run) {
        List<String> names = run.summary().classNames();
        return names == null || names.isEmpty() ? FashionClasses.NAMES : names;
    }
}
