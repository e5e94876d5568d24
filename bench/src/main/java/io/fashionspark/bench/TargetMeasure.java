package io.fashionspark.bench;

import static io.fashionspark.bench.BenchFigures.NOT_MEASURED;
import static io.fashionspark.bench.Formats.epochs;
import static io.fashionspark.bench.Formats.gflops;
import static io.fashionspark.bench.Formats.percent;
import static io.fashionspark.bench.Formats.ratio;

import io.fashionspark.bench.BenchTarget.Measurement;
import io.fashionspark.model.ModelKind;
import java.util.Optional;

/**
 * The figures the performance targets compare with their thresholds, each measured from one run's results for one
 * model, with the words that say what it was measured on (or why it was not).
 */
enum TargetMeasure {
    /** Images/s of the fastest Spark scenario with the targets' worker count over those of the best single JVM. */
    SPARK_VS_SINGLE_JVM {
        @Override
        Measurement measure(BenchFigures f, ModelKind m, int workers) {
            Optional<ScenarioResult> spark = f.fastestSpark(m, workers);
            Optional<ScenarioResult> single = f.bestSingle(m);
            if (spark.isEmpty() || single.isEmpty()) {
                return Measurement.notMeasured(NOT_MEASURED);
            }
            double x = spark.get().imagesPerSecond() / single.get().imagesPerSecond();
            return Measurement.of(x, ratio(x) + " (" + spark.get().label() + " against " + single.get().label()
                    + ")");
        }
    },

    /**
     * DL4J on Spark's training images/s over PyTorch's, provided its test accuracy is at least PyTorch's. Compared
     * after the full runs where both have one; otherwise after this run's images, where the fastest Spark scenario
     * with the targets' worker count that is at least as accurate counts (the fastest of all, failing the
     * condition, where none is).
     */
    DL4J_VS_PYTORCH {
        @Override
        Measurement measure(BenchFigures f, ModelKind m, int workers) {
            Optional<FullRun> dl4jFull = f.dl4jFullRun(m);
            Optional<FullRun> torchFull = f.pytorchFullRun(m);
            if (dl4jFull.isPresent() && torchFull.isPresent()) {
                FullRun d = dl4jFull.get();
                FullRun t = torchFull.get();
                double x = d.imagesPerSecond() / t.imagesPerSecond();
                return Measurement.of(x, d.accuracy() >= t.accuracy(), ratio(x) + " after " + epochs(d.epochs())
                        + " (full runs, DL4J " + d.setup() + ", " + BenchFigures.exchangeName(d.engine())
                        + "); accuracy " + percent(d.accuracy()) + " against "
                        + percent(t.accuracy()));
            }
            Optional<ScenarioResult> torch = f.pytorch(m);
            if (torch.isEmpty()) {
                return Measurement.notMeasured("PyTorch " + f.pytorchMissing(m));
            }
            String basis = " after the same images, no full runs";
            double torchAccuracy = torch.get().accuracy();
            double torchSpeed = torch.get().imagesPerSecond();
            Optional<ScenarioResult> asAccurate = f.fastestSparkAtLeast(m, workers, torchAccuracy);
            if (asAccurate.isPresent()) {
                ScenarioResult x = asAccurate.get();
                double r = x.imagesPerSecond() / torchSpeed;
                return Measurement.of(r, ratio(r) + basis + " (" + x.label() + ", " + percent(x.accuracy())
                        + " against " + percent(torchAccuracy) + ")");
            }
            Optional<ScenarioResult> fastest = f.fastestSpark(m, workers);
            if (fastest.isEmpty()) {
                return Measurement.notMeasured(NOT_MEASURED);
            }
            double r = fastest.get().imagesPerSecond() / torchSpeed;
            return Measurement.of(r, false, ratio(r) + basis + ", but no " + Formats.workers(workers) + " run "
                    + "reached PyTorch's " + percent(torchAccuracy) + " (best "
                    + percent(f.bestSparkAccuracy(m, workers)) + ")");
        }
    },

    /** Achieved training GFLOP/s of the fastest Spark scenario with the targets' worker count over the matmul peak. */
    MATMUL_PEAK_SHARE {
        @Override
        Measurement measure(BenchFigures f, ModelKind m, int workers) {
            Optional<ScenarioResult> fastest = f.fastestSpark(m, workers);
            if (fastest.isEmpty()) {
                return Measurement.notMeasured(NOT_MEASURED);
            }
            ScenarioResult x = fastest.get();
            double share = f.peakShare(m, x);
            return Measurement.of(share, percent(share) + " (" + x.label() + ": " + gflops(x.gflops(f.trainingFlops(m)))
                    + " of " + gflops(f.results().peak().gflops()) + ")");
        }
    },

    /**
     * The training time DL4J's full run took to first reach the time-to-accuracy goal over PyTorch's. A run that
     * never reached it counts as taking forever: DL4J reaching it when PyTorch did not is 0, the reverse (or
     * neither) is no ratio at all.
     */
    TIME_TO_ACCURACY_VS_PYTORCH {
        @Override
        Measurement measure(BenchFigures f, ModelKind m, int workers) {
            double goal = f.settings().ttaTarget();
            if (goal <= 0) {
                return Measurement.notMeasured("not run (--time-to-accuracy 0)");
            }
            Optional<FullRun> dl4j = f.dl4jFullRun(m);
            if (dl4j.isEmpty()) {
                return Measurement.notMeasured(f.settings().fullEpochs() == 0 ? "not run (--full-run-epochs 0)"
                        : NOT_MEASURED);
            }
            Optional<FullRun> torch = f.pytorchFullRun(m);
            if (torch.isEmpty()) {
                return Measurement.notMeasured("DL4J " + f.timeToAccuracy(dl4j.get()) + "; PyTorch "
                        + f.pytorchState());
            }
            double x = secondsTo(dl4j.get(), goal) / secondsTo(torch.get(), goal);
            return Measurement.of(x, "DL4J (" + BenchFigures.exchangeName(dl4j.get().engine()) + ") "
                    + f.timeToAccuracy(dl4j.get()) + ", PyTorch "
                    + f.timeToAccuracy(torch.get()));
        }

        private static double secondsTo(FullRun run, double goal) {
            return run.firstReaching(goal).map(FullRun.Checkpoint::trainSeconds).orElse(Double.POSITIVE_INFINITY);
        }
    };

    /** The figure for one model, or why the run has none. */
    abstract Measurement measure(BenchFigures figures, ModelKind model, int workers);
}
