package io.fashionspark.train;

import io.fashionspark.data.MiniBatch;
import io.fashionspark.runtime.NativeDefaults;
import io.fashionspark.runtime.NativeThreads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One epoch of training data, sharded on the cluster: the training set shuffled with the run's seed and the epoch
 * number, cut into minibatches, one partition per worker, cached on the executors as compact bytes. Each averaging
 * round then takes the next {@code averagingFrequency} minibatches of every partition where they already are.
 *
 * <p>The executors cut their shards themselves from the training set, broadcast once per run. Made on the driver with
 * {@code parallelize}, the shards would travel inside every task of every round (a parallelized partition carries its
 * data, cached or not), and every round would (de)serialise the whole training set.
 */
public final class EpochShards implements AutoCloseable {
    private final JavaRDD<MiniBatch> shards;
    private final int stepsPerEpoch;
    private final long[] exampleShape;
    private final long epochSeed;

    private EpochShards(JavaRDD<MiniBatch> shards, int stepsPerEpoch, long[] exampleShape, long epochSeed) {
        this.shards = shards;
        this.stepsPerEpoch = stepsPerEpoch;
        this.exampleShape = exampleShape;
        this.epochSeed = epochSeed;
    }

    /** Minibatches each worker fits per epoch; the remainder of the shuffled set (under one step) waits a turn. */
    static int stepsPerEpoch(int trainSize, int workers, int batchSize) {
        return trainSize / (workers * batchSize);
    }

    /**
     * The shards of {@code epoch}, made lazily on the executors from {@code trainSet} (the whole training set, as
     * broadcast by the caller): worker {@code w} fits the minibatches {@code s * workers + w} of the shuffled set.
     */
    static EpochShards create(JavaSparkContext sc, Broadcast<MiniBatch> trainSet, int trainSize, int workers,
                              int batchSize, long seed, int epoch, long[] exampleShape) {
        int steps = stepsPerEpoch(trainSize, workers, batchSize);
        List<Integer> workerIds = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            workerIds.add(w);
        }
        JavaRDD<MiniBatch> rdd = sc.parallelize(workerIds, workers)
                .mapPartitionsWithIndex((Integer worker, Iterator<Integer> ignored) -> {
                    // Each worker shuffles for itself (a few ms an epoch): an order captured from the driver would
                    // ride in this RDD's lineage, and so in every round's tasks.
                    int[] order = shuffledIndices(trainSize, seed, epoch);
                    MiniBatch all = trainSet.value();
                    List<MiniBatch> batches = new ArrayList<>(steps);
                    for (int s = 0; s < steps; s++) {
                        int from = (s * workers + worker) * batchSize;
                        batches.add(all.select(order, from, from + batchSize));
                    }
                    return batches.iterator();
                }, true)
                .setName("train epoch " + epoch);
        rdd.persist(StorageLevel.MEMORY_ONLY());
        return new EpochShards(rdd, steps, exampleShape, epochSeed(seed, epoch));
    }

    /** One seed per (run seed, epoch): drives the epoch's shuffle and, mixed with the step, its dropout masks. */
    private static long epochSeed(long seed, int epoch) {
        return seed * 1_000_003L + epoch;
    }

    /** The order of an epoch's training images: the run's seed and the epoch decide it (also the bench's). */
    public static int[] shuffledIndices(int n, long seed, int epoch) {
        List<Integer> idx = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(epochSeed(seed, epoch)));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** The seed of a worker's dropout masks in the round that starts at {@code fromStep}: any exchange uses it. */
    static long dropoutSeed(long epochSeed, int fromStep, int worker) {
        return (epochSeed * 7919L + fromStep) * 31L + worker;
    }

    long epochSeed() {
        return epochSeed;
    }

    long[] exampleShape() {
        return exampleShape;
    }

    /** Every worker's minibatches of the epoch, one partition per worker. */
    JavaRDD<MiniBatch> shards() {
        return shards;
    }

    /**
     * The minibatches {@code [fromStep, toStep)} of every worker, as the DataSets DL4J fits.
     *
     * <p>Also seeds the task thread's ND4J random generator (dropout masks) from the run's seed, the epoch, the step
     * and the worker: dl4j-spark fits in that thread, so a run is reproducible whichever executor thread takes it.
     */
    JavaRDD<DataSet> steps(int fromStep, int toStep) {
        long[] shape = exampleShape;
        long epochSeed = this.epochSeed;
        int workers = shards.getNumPartitions();
        return shards.mapPartitionsWithIndex((Integer worker, Iterator<MiniBatch> it) -> {
            NativeDefaults.apply();
            NativeThreads.shareOpenMpThreads(workers);
            Nd4j.getRandom().setSeed(dropoutSeed(epochSeed, fromStep, worker));
            for (int i = 0; i < fromStep && it.hasNext(); i++) {
                it.next();
            }
            // Converted one at a time as DL4J asks (its prefetch thread runs ahead of the fitting): converting the
            // round's minibatches up front delayed the first fit by their whole conversion time.
            return new DataSets(it, toStep - fromStep, shape);
        }, true);
    }

    /** The next {@code count} minibatches of a shard as DataSets, each converted when asked for. */
    private static final class DataSets implements Iterator<DataSet> {
        private final Iterator<MiniBatch> minibatches;
        private final long[] shape;
        private int left;

        DataSets(Iterator<MiniBatch> minibatches, int count, long[] shape) {
            this.minibatches = minibatches;
            this.left = count;
            this.shape = shape;
        }

        @Override
        public boolean hasNext() {
            return left > 0 && minibatches.hasNext();
        }

        @Override
        public DataSet next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            left--;
            return minibatches.next().toDataSet(shape);
        }
    }

    @Override
    public void close() {
        shards.unpersist(false);
    }
}
