package io.fashionspark.bench;

import io.fashionspark.data.LabelledImages;
import io.fashionspark.data.MiniBatch;
import io.fashionspark.model.ModelKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A worker's time per minibatch on a core of its own, measured apart from the averaging rounds: one task on one
 * executor fits minibatches one after another, with no broadcast, no replica to rebuild and nothing sent back but
 * the times. The cost model takes its t_step from here rather than from the rounds' compute: there t_step and the
 * share of the cores the workers got come only as a product, wherever the workers outnumber the cores.
 *
 * @param model     what was fitted
 * @param batchSize images per minibatch
 * @param steps     minibatches per timed run
 * @param runsMs    each run's mean time per minibatch (DL4J's {@code fit} only, as the rounds' compute is)
 */
public record StepTime(ModelKind model, int batchSize, int steps, List<Double> runsMs) {
    public StepTime {
        runsMs = List.copyOf(runsMs);
    }

    /** The mean over the runs, milliseconds per minibatch. */
    public double meanMs() {
        return runsMs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The slowest run over the fastest, less one. */
    public double spread() {
        double min = runsMs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = runsMs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return max / min - 1;
    }

    /**
     * Fits {@code warmUp} untimed minibatches (the JIT and oneDNN's kernels for each shape warm up, as the rounds'
     * warm-up run does), then {@code repeats} timed runs of {@code steps}, all in one task, so on one executor of
     * the application {@code sc} (give it one: a second would sit idle, but on a shared machine would not be).
     */
    static StepTime measure(JavaSparkContext sc, ModelKind model, LabelledImages train, int batchSize, int steps,
                            int warmUp, int repeats, long seed, double learningRate) {
        int images = Math.min(train.size(), steps * batchSize);
        if (images < batchSize) {
            throw new IllegalArgumentException("a minibatch of " + batchSize + " needs more than the " + train.size()
                    + " training images there are");
        }
        MiniBatch all = train.head(images).whole();
        List<MiniBatch> batches = new ArrayList<>();
        for (int from = 0; from + batchSize <= images; from += batchSize) {
            batches.add(all.range(from, from + batchSize));
        }
        List<double[]> times = sc.parallelize(List.of(0), 1).map(unused -> {
            long[] shape = model.factory().exampleShape();
            List<DataSet> data = new ArrayList<>();
            for (MiniBatch b : batches) {
                data.add(b.toDataSet(shape));
            }
            MultiLayerNetwork net = model.factory().create(seed, learningRate);
            for (int i = 0; i < warmUp; i++) {
                net.fit(data.get(i % data.size()));
            }
            double[] runs = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long fitNanos = 0;
                for (int i = 0; i < steps; i++) {
                    DataSet d = data.get(i % data.size());
                    long t0 = System.nanoTime();
                    net.fit(d);
                    fitNanos += System.nanoTime() - t0;
                }
                runs[r] = fitNanos / 1e6 / steps;
            }
            return runs;
        }).collect();
        List<Double> runs = new ArrayList<>();
        for (double ms : times.get(0)) {
            runs.add(ms);
        }
        return new StepTime(model, batchSize, steps, runs);
    }
}
