package io.fashionspark.train;

import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.MiniBatch;
import io.fashionspark.runtime.NativeDefaults;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.netty.SparkTransportConf;
import org.apache.spark.network.util.TransportConf;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Option;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The workers average among themselves: each segment of rounds is one Spark barrier stage in which every task
 * holds one replica and its shard from the segment's first round to its last, and each round ends with a ring
 * all-reduce among the tasks ({@link PeerRing}) of what the recipe averages (the parameters, and Adam's state
 * where the recipe averages it). The driver sends the model once at the segment's start and gets it back once at its
 * end, from the first task: every replica holds the same bits after every round.
 *
 * <p>The tasks find each other once per stage ({@link BarrierTaskContext#allGather}); no round calls the driver. A
 * failed task fails the stage, which Spark relaunches as a whole from the segment's start (the broadcast model), so
 * a retried segment ends as the first attempt would have.
 *
 * <p>Each round is the driver exchange's round: the same minibatches, the same dropout seeds, the same rates and
 * block momentum, Adam's iteration count advanced as dl4j-spark's master advances it; only the order of the float
 * additions in the average differs.
 */
final class PeerExchange implements ReplicaExchange {
    /** How long a task waits for its neighbour before it fails; default: {@code spark.network.timeout}. */
    static final String TIMEOUT_KEY = "spark.fashionspark.exchange.timeout";
    /** The transport's module name: its settings are {@code spark.fashionpeer.io.*}, as Spark's are per module. */
    static final String TRANSPORT_MODULE = "fashionpeer";

    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final RoundRecipe recipe;
    private final int stepsPerEpoch;
    private MultiLayerNetwork model;

    PeerExchange(JavaSparkContext sc, TrainingConfig config, MultiLayerNetwork start, RoundRecipe recipe,
                 int stepsPerEpoch) {
        this.sc = sc;
        this.config = config;
        this.model = start;
        this.recipe = recipe;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    @Override
    public MultiLayerNetwork model() {
        return model;
    }

    @Override
    public void train(EpochShards shards, List<PlannedRound> rounds, Consumer<RoundReport> onRound) {
        long t0 = System.nanoTime();
        INDArray momentum = recipe.blockMomentumState();
        Broadcast<SegmentStart> start = sc.broadcast(new SegmentStart(write(model),
                momentum == null ? null : momentum.toFloatVector()));
        List<SegmentResult> results;
        try {
            ClassTag<SegmentResult> tag = ClassTag$.MODULE$.apply(SegmentResult.class);
            results = shards.shards().rdd().barrier()
                    .mapPartitions(new SegmentTask(start, config, stepsPerEpoch, rounds, shards.epochSeed(),
                            shards.exampleShape()), false, tag)
                    .toJavaRDD().collect();
        } finally {
            start.destroy();
        }
        SegmentResult first = results.stream().filter(r -> r.model != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no task of the segment returned the model"));
        model = read(first.model);
        recipe.restoreBlockMomentum(first.blockMomentum == null ? null : Nd4j.createFromArray(first.blockMomentum));
        // The stage's launch, the model's trips and the tasks' meeting belong to the rounds too: the first one
        // carries them, so that images/s counts every second the segment took.
        long overhead = System.nanoTime() - t0 - Arrays.stream(first.roundNanos).sum();
        for (int i = 0; i < rounds.size(); i++) {
            onRound.accept(report(results, rounds, i, first.roundNanos[i] + (i == 0 ? Math.max(0, overhead) : 0)));
        }
    }

    /** Round {@code index}'s losses from every task, in step then worker order, and its score. */
    private static RoundReport report(List<SegmentResult> results, List<PlannedRound> rounds, int index, long nanos) {
        int skip = 0;
        for (int i = 0; i < index; i++) {
            skip += rounds.get(i).steps();
        }
        int steps = rounds.get(index).steps();
        List<WorkerLoss> losses = new ArrayList<>();
        double lastSum = 0;
        for (SegmentResult r : results) {
            for (int s = 0; s < steps; s++) {
                losses.add(new WorkerLoss(r.timestamps[skip + s], r.worker, s, r.losses[skip + s],
                        r.examples[skip + s]));
            }
            lastSum += r.losses[skip + steps - 1];
        }
        losses.sort(Comparator.comparingInt(WorkerLoss::step).thenComparingInt(WorkerLoss::worker));
        return new RoundReport(nanos, lastSum / results.size(), losses);
    }

    static byte[] write(MultiLayerNetwork net) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, out, true);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MultiLayerNetwork read(byte[] bytes) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What every task starts the segment from, broadcast once (Spark's serializer: a class, not a record). */
    static final class SegmentStart implements Serializable {
        private static final long serialVersionUID = 1L;
        byte[] model;
        float[] blockMomentum;

        SegmentStart() {
        }

        SegmentStart(byte[] model, float[] blockMomentum) {
            this.model = model;
            this.blockMomentum = blockMomentum;
        }
    }

    /** What a task sends back: its losses, and from the first task the model and the timings of every round. */
    static final class SegmentResult implements Serializable {
        private static final long serialVersionUID = 1L;
        int worker;
        double[] losses;
        int[] examples;
        long[] timestamps;
        long[] roundNanos;
        byte[] model;
        float[] blockMomentum;
    }

    /**
     * One task of the barrier stage: a replica trained through the segment, averaged with its peers each round. A
     * Scala function: Spark 3.5's {@code RDDBarrier.mapPartitionsWithEvaluator} runs its tasks outside the barrier.
     */
    static final class SegmentTask
            extends AbstractFunction1<scala.collection.Iterator<MiniBatch>, scala.collection.Iterator<SegmentResult>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<SegmentStart> start;
        private final TrainingConfig config;
        private final int stepsPerEpoch;
        private final List<PlannedRound> rounds;
        private final long epochSeed;
        private final long[] exampleShape;

        SegmentTask(Broadcast<SegmentStart> start, TrainingConfig config, int stepsPerEpoch, List<PlannedRound> rounds,
                    long epochSeed, long[] exampleShape) {
            this.start = start;
            this.config = config;
            this.stepsPerEpoch = stepsPerEpoch;
            this.rounds = List.copyOf(rounds);
            this.epochSeed = epochSeed;
            this.exampleShape = exampleShape;
        }

        @Override
        public scala.collection.Iterator<SegmentResult> apply(scala.collection.Iterator<MiniBatch> shard) {
            BarrierTaskContext task = BarrierTaskContext.get();
            SegmentResult result = run(task, task.partitionId(), JavaConverters.asJavaIterator(shard));
            return JavaConverters.asScalaIterator(List.of(result).iterator());
        }

        private SegmentResult run(BarrierTaskContext task, int worker, Iterator<MiniBatch> shard) {
            NativeDefaults.apply();
            SparkEnv env = SparkEnv.get();
            SparkConf conf = env.conf();
            TransportConf transport = SparkTransportConf.fromSparkConf(conf, TRANSPORT_MODULE, 1, Option.empty());
            long timeout = conf.getTimeAsMs(TIMEOUT_KEY, conf.get("spark.network.timeout", "120s"));
            String host = env.blockManager().blockManagerId().host();
            try (PeerRing ring = new PeerRing(transport,
                    env.securityManager().isAuthenticationEnabled() ? env.securityManager() : null,
                    conf.getAppId(), host, timeout)) {
                ring.join(worker, Arrays.asList(task.allGather(ring.address())));
                SegmentResult result = train(worker, shard, ring);
                // Every peer has had its last message before any server closes.
                task.barrier();
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PeerRing.PeerFailure("interrupted");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private SegmentResult train(int worker, Iterator<MiniBatch> shard, PeerRing ring)
                throws InterruptedException {
            SegmentStart from = start.value();
            MultiLayerNetwork net = read(from.model);
            RoundRecipe recipe = new RoundRecipe(config, stepsPerEpoch,
                    from.blockMomentum == null ? null : Nd4j.createFromArray(from.blockMomentum));
            boolean averageAdam = config.recipe().adamState() == TrainingRecipe.AdamState.AVERAGED;
            List<MiniBatch> batches = new ArrayList<>();
            shard.forEachRemaining(batches::add);
            int steps = rounds.stream().mapToInt(PlannedRound::steps).sum();
            SegmentResult out = new SegmentResult();
            out.worker = worker;
            out.losses = new double[steps];
            out.examples = new int[steps];
            out.timestamps = new long[steps];
            out.roundNanos = new long[rounds.size()];
            int done = 0;
            long iterationCount = net.getLayerWiseConfigurations().getIterationCount();
            for (int r = 0; r < rounds.size(); r++) {
                PlannedRound round = rounds.get(r);
                long t0 = System.nanoTime();
                Nd4j.getRandom().setSeed(EpochShards.dropoutSeed(epochSeed, round.fromStep(), worker));
                recipe.beforeRound(net, round.iteration());
                if (!averageAdam) {
                    // The recipe restarts Adam every round, as the driver exchange's workers start with a new one.
                    net.getUpdater().getStateViewArray().assign(0);
                }
                for (int s = round.fromStep(); s < round.toStep(); s++, done++) {
                    MiniBatch batch = batches.get(s);
                    net.fit(batch.toDataSet(exampleShape));
                    out.losses[done] = net.score();
                    out.examples[done] = batch.size();
                    out.timestamps[done] = System.currentTimeMillis();
                }
                average(net, ring, averageAdam);
                // Adam's bias correction counts as dl4j-spark's master counts: a round is averagingFrequency steps.
                iterationCount += config.averagingFrequency();
                net.getLayerWiseConfigurations().setIterationCount((int) iterationCount);
                recipe.afterRound(net);
                out.roundNanos[r] = System.nanoTime() - t0;
            }
            if (worker == 0) {
                out.model = write(net);
                INDArray momentum = recipe.blockMomentumState();
                out.blockMomentum = momentum == null ? null : momentum.toFloatVector();
            }
            return out;
        }

        /** Replaces the replica's parameters (and Adam's state) with the mean over the ring. */
        private static void average(MultiLayerNetwork net, PeerRing ring, boolean averageAdam)
                throws InterruptedException {
            if (ring.size() == 1) {
                return;
            }
            INDArray params = net.params();
            INDArray state = averageAdam ? net.getUpdater().getStateViewArray() : null;
            int p = (int) params.length();
            float[] values = new float[p + (state == null ? 0 : (int) state.length())];
            System.arraycopy(params.toFloatVector(), 0, values, 0, p);
            if (state != null) {
                System.arraycopy(state.toFloatVector(), 0, values, p, (int) state.length());
            }
            ring.allReduceMean(values);
            params.assign(Nd4j.createFromArray(Arrays.copyOfRange(values, 0, p)).reshape(params.shape()));
            if (state != null) {
                state.assign(Nd4j.createFromArray(Arrays.copyOfRange(values, p, values.length)).reshape(state.shape()));
            }
        }
    }
}
