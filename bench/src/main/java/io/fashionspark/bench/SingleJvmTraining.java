package io.fashionspark.bench;

import io.fashionspark.data.LabelledImages;
import io.fashionspark.data.MiniBatch;
import io.fashionspark.model.ModelKind;
import io.fashionspark.train.EpochShards;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J without Spark: one {@link MultiLayerNetwork} in this JVM fits minibatches one after another, with ND4J's
 * native threads (all cores by default). The baseline the Spark runs are compared with. The data path is the
 * Spark workers': compact byte minibatches turned into float tensors just before each fit.
 */
final class SingleJvmTraining {
    /** Test minibatch size, as the distributed evaluator's. */
    static final int EVAL_BATCH = 500;

    private SingleJvmTraining() {
    }

    /**
     * Runs {@code work} on a thread of its own and waits for it. Measured here (a 300-minibatch FashionDNN loop,
     * three alternations): DL4J fits the same minibatch 2.5-3x slower on the JVM's main thread (18-26 ms) than on any
     * other thread (7-9 ms), whichever thread initialised ND4J. Spark's task threads never are the main thread, so
     * the single-JVM baseline gets a thread of its own too, or it would be handicapped.
     */
    static <T> T onTrainingThread(java.util.function.Supplier<T> work) {
        java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(work.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "single-jvm-training");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        }
        if (failure.get() instanceof RuntimeException re) {
            throw re;
        } else if (failure.get() instanceof Error err) {
            throw err;
        } else if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return result.get();
    }

    /** What one run gives back. */
    record Outcome(long images, double trainSeconds, double accuracy, double loss) {
    }

    /**
     * Trains a fresh model for {@code epochs} passes over {@code train} (each reshuffled; a last partial minibatch
     * is dropped, as in the Spark runs) and tests it once at the end.
     */
    static Outcome run(ModelKind kind, LabelledImages train, LabelledImages test, int batchSize, int epochs,
                       long seed, double learningRate) {
        MultiLayerNetwork net = kind.factory().create(seed, learningRate);
        Nd4j.getRandom().setSeed(seed);
        long[] shape = kind.factory().exampleShape();
        int steps = train.size() / batchSize;
        long images = 0;
        long nanos = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = EpochShards.shuffledIndices(train.size(), seed, epoch);
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                DataSet ds = train.batch(order, s * batchSize, (s + 1) * batchSize).toDataSet(shape);
                net.fit(ds);
            }
            nanos += System.nanoTime() - t0;
            images += (long) steps * batchSize;
        }
        double[] scores = evaluate(net, test, shape);
        return new Outcome(images, nanos / 1e9, scores[0], scores[1]);
    }

    /** A few minibatches, untimed: loads ND4J's kernels and lets the JIT compile the training path. */
    static void warmUp(ModelKind kind, LabelledImages train, int batchSize, int steps) {
        MultiLayerNetwork net = new MultiLayerNetwork(kind.factory().configuration(1, 1e-3));
        net.init();
        int[] order = EpochShards.shuffledIndices(train.size(), 1, 0);
        int n = Math.min(steps, train.size() / batchSize);
        for (int s = 0; s < n; s++) {
            net.fit(train.batch(order, s * batchSize, (s + 1) * batchSize).toDataSet(kind.factory().exampleShape()));
        }
    }

    /** Accuracy and mean cross-entropy on the test set, in inference mode (no dropout, batch norm's averages). */
    static double[] evaluate(MultiLayerNetwork net, LabelledImages test, long[] shape) {
        Evaluation eval = new Evaluation(MiniBatch.NUM_CLASSES);
        double lossSum = 0;
        for (int from = 0; from < test.size(); from += EVAL_BATCH) {
            int to = Math.min(test.size(), from + EVAL_BATCH);
            DataSet ds = test.whole().range(from, to).toDataSet(shape);
            INDArray p = net.output(ds.getFeatures(), false);
            eval.eval(ds.getLabels(), p);
            INDArray truth = p.mul(ds.getLabels()).sum(1);
            for (int i = 0; i < to - from; i++) {
                lossSum -= Math.log(Math.max(truth.getDouble(i), 1e-12));
            }
        }
        return new double[] {eval.accuracy(), test.size() == 0 ? Double.NaN : lossSum / test.size()};
    }
}
