package io.fashionspark.bench;

import static io.fashionspark.bench.Formats.count;
import static io.fashionspark.bench.Formats.fixed;
import static io.fashionspark.bench.Formats.percent;

import io.fashionspark.config.Exchange;
import io.fashionspark.model.ModelKind;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The figures the report and the targets compare, looked up in one run's results: the best single JVM, the fastest
 * Spark scenario of a worker count, the PyTorch reference, the full runs, the share of the matmul peak; and, where
 * one is missing, the words that say why.
 */
final class BenchFigures {
    static final String NOT_MEASURED = "not measured";
    /** The two ways Spark scenarios average, in the order the report lists them. */
    static final List<ScenarioResult.Engine> SPARK_EXCHANGES = List.of(
            ScenarioResult.Engine.SPARK, ScenarioResult.Engine.SPARK_ALLREDUCE);

    private final BenchResults r;

    BenchFigures(BenchResults results) {
        this.r = results;
    }

    BenchResults results() {
        return r;
    }

    BenchSettings settings() {
        return r.settings();
    }

    /** The fastest single-JVM scenario of a model: the baseline Spark is measured against. */
    Optional<ScenarioResult> bestSingle(ModelKind m) {
        return r.of(m, ScenarioResult.Engine.SINGLE_JVM).stream()
                .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    /** The Spark scenario of a model with that exchange, worker count and averaging frequency. */
    Optional<ScenarioResult> spark(ModelKind m, ScenarioResult.Engine exchange, int workers, int frequency) {
        return r.of(m, exchange).stream()
                .filter(x -> x.workers() == workers && x.averagingFrequency() == frequency).findFirst();
    }

    /** The Spark scenarios of a model with that many workers, through either exchange. */
    private Stream<ScenarioResult> sparkScenarios(ModelKind m, int workers) {
        return SPARK_EXCHANGES.stream().flatMap(e -> r.of(m, e).stream()).filter(x -> x.workers() == workers);
    }

    /** The fastest Spark scenario of a model with that many workers, whatever its exchange and averaging frequency. */
    Optional<ScenarioResult> fastestSpark(ModelKind m, int workers) {
        return sparkScenarios(m, workers).max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    /** The fastest Spark scenario with that many workers that is at least {@code accuracy} accurate. */
    Optional<ScenarioResult> fastestSparkAtLeast(ModelKind m, int workers, double accuracy) {
        return sparkScenarios(m, workers).filter(x -> x.accuracy() >= accuracy)
                .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    double bestSparkAccuracy(ModelKind m, int workers) {
        return sparkScenarios(m, workers).mapToDouble(ScenarioResult::accuracy).max().orElse(Double.NaN);
    }

    /** The fastest DL4J scenario of a model, one JVM or Spark. */
    Optional<ScenarioResult> bestDl4j(ModelKind m) {
        return r.scenarios().stream().filter(x -> x.model() == m && x.engine() != ScenarioResult.Engine.PYTORCH)
                .max(Comparator.comparingDouble(ScenarioResult::imagesPerSecond));
    }

    Optional<ScenarioResult> pytorch(ModelKind m) {
        return r.of(m, ScenarioResult.Engine.PYTORCH).stream().findFirst();
    }

    /**
     * DL4J's full run that the targets judge: the one through the product's default exchange, the workers'
     * all-reduce, or the driver's where a run has only that one (runs saved before both were made).
     */
    Optional<FullRun> dl4jFullRun(ModelKind m) {
        Optional<FullRun> allReduce = r.fullRun(m, ScenarioResult.Engine.SPARK_ALLREDUCE);
        return allReduce.isPresent() ? allReduce : r.fullRun(m, ScenarioResult.Engine.SPARK);
    }

    /** DL4J's full run through one exchange. */
    Optional<FullRun> dl4jFullRun(ModelKind m, ScenarioResult.Engine exchange) {
        return r.fullRun(m, exchange);
    }

    Optional<FullRun> pytorchFullRun(ModelKind m) {
        return r.fullRun(m, ScenarioResult.Engine.PYTORCH);
    }

    /** Why PyTorch has no figure for a model: it has no such model, it was not run, or its run failed. */
    String pytorchMissing(ModelKind m) {
        if (!PyTorchReference.supports(m)) {
            return "no reference";
        }
        return pytorchState();
    }

    /** For a model PyTorch has: "skipped" where the reference did not run at all, "failed" where it ran. */
    String pytorchState() {
        return r.pytorch() == null ? "skipped" : "failed";
    }

    /** Training FLOPs per image of a model (NaN where not counted). */
    double trainingFlops(ModelKind m) {
        FlopCounter.Count c = r.flops().get(m);
        return c == null ? Double.NaN : c.trainingFlops();
    }

    /** A DL4J scenario's achieved GFLOP/s over the ND4J matmul peak. */
    double peakShare(ModelKind m, ScenarioResult x) {
        return x.gflops(trainingFlops(m)) / r.peak().gflops();
    }

    /** The setup of DL4J's full runs in words. */
    String fullSetup() {
        return "Spark " + Formats.workers(settings().fullWorkers()) + " avg every " + settings().fullFrequency();
    }

    /** An exchange as the report's rows name it: the option's value. */
    static String exchangeName(ScenarioResult.Engine exchange) {
        return (exchange == ScenarioResult.Engine.SPARK_ALLREDUCE ? Exchange.ALLREDUCE : Exchange.DRIVER).cliName();
    }

    /** When a full run first reached the time-to-accuracy goal, or that it did not. */
    String timeToAccuracy(FullRun run) {
        double goal = settings().ttaTarget();
        return run.firstReaching(goal)
                .map(c -> fixed(c.trainSeconds(), 1) + " s (" + count(c.images()) + " images)")
                .orElse("not reached in " + fixed(run.trainSeconds(), 1) + " s (best " + percent(run.bestAccuracy())
                        + ")");
    }

    /** The cores the JVM used, as the machine facts have it. */
    String cores() {
        return r.machine().getOrDefault("Cores the JVM uses", "?");
    }
}
