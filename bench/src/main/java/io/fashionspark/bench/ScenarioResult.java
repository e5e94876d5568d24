package io.fashionspark.bench;

import io.fashionspark.model.ModelKind;

/**
 * One measured training run of a benchmark.
 *
 * @param model        the architecture
 * @param engine       what trained it
 * @param workers      Spark workers (1 for the single JVM and PyTorch)
 * @param averagingFrequency minibatches between averagings (0 where there is no averaging)
 * @param batchSize    minibatch size (per worker for Spark)
 * @param threads      native threads per worker (ND4J's BLAS threads, or torch's)
 * @param images       images trained
 * @param trainSeconds time spent training them (test evaluations excluded)
 * @param accuracy     test accuracy after training
 * @param loss         mean test cross-entropy after training
 * @param memory       peak memory (null where measured otherwise, see {@code peakRssBytes})
 * @param peakRssBytes peak resident set size of the process that trained (-1: unknown)
 * @param rounds       where each averaging round's time went (Spark only; null otherwise)
 */
public record ScenarioResult(ModelKind model, Engine engine, int workers, int averagingFrequency, int batchSize,
                             int threads, long images, double trainSeconds, double accuracy, double loss,
                             MemoryProbe.Peaks memory, long peakRssBytes, RoundBreakdown rounds) {

    /** What trained the model. */
    public enum Engine {
        SINGLE_JVM("DL4J, one JVM (no Spark)"),
        SPARK("DL4J + Spark parameter averaging"),
        SPARK_ALLREDUCE("DL4J + Spark, the workers' ring all-reduce"),
        PYTORCH("PyTorch reference");

        private final String description;

        Engine(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public double imagesPerSecond() {
        return trainSeconds > 0 ? images / trainSeconds : Double.NaN;
    }

    /** A short name, e.g. {@code Spark 2w avg 5} or {@code single JVM b200}. */
    public String label() {
        return switch (engine) {
            case SINGLE_JVM -> "single JVM, batch " + batchSize;
            case SPARK -> "Spark " + workers + (workers == 1 ? " worker" : " workers") + ", avg every "
                    + averagingFrequency;
            case SPARK_ALLREDUCE -> "Spark " + workers + (workers == 1 ? " worker" : " workers") + ", allreduce every "
                    + averagingFrequency;
            case PYTORCH -> "PyTorch, batch " + batchSize + ", " + threads + (threads == 1 ? " thread" : " threads");
        };
    }

    /** Achieved training GFLOP/s for a model costing {@code flopsPerImage} per trained image. */
    public double gflops(double flopsPerImage) {
        return imagesPerSecond() * flopsPerImage / 1e9;
    }
}
