package io.fashionspark.train;

import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.config.TrainingRecipe.LrDecay;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A run's {@link TrainingRecipe} as the loop applies it, round by round: how many steps the next round has, the
 * learning rate (and Adam beta2) its workers use, and the block-momentum filter of its average. Everything here is
 * a function of the iteration reached and of the block momentum, which checkpoints keep: a resumed run takes the
 * same rounds at the same rates.
 */
final class RoundRecipe {
    private final TrainingConfig config;
    private final long totalIterations;
    private final long warmupIterations;
    private final long syncIterations;
    private BlockMomentum blockMomentum;
    private double rateSet;
    private boolean beta2Set;

    RoundRecipe(TrainingConfig config, int stepsPerEpoch, INDArray blockMomentumState) {
        this.config = config;
        TrainingRecipe r = config.recipe();
        this.totalIterations = (long) config.epochs() * stepsPerEpoch;
        this.warmupIterations = Math.round(warmupEpochs(r.lrWarmupEpochs(), config.epochs()) * stepsPerEpoch);
        this.syncIterations = Math.round(r.syncEpochs() * stepsPerEpoch);
        this.blockMomentum = r.blockMomentumOn() ? blockMomentum(blockMomentumState) : null;
        this.rateSet = Double.NaN;
    }

    /** The most of a run its warm-up takes: the rest of the run trains at the peak rate and its decay. */
    static final double MOST_WARMUP_SHARE = 0.2;

    /**
     * The warm-up a run of {@code epochs} gets: {@code lr-warmup-epochs}, but at most a fifth of the run. A run of 5
     * epochs or more warms up as asked; a shorter one would otherwise spend all (1 epoch) or half (2) of itself
     * below the peak and never decay.
     */
    static double warmupEpochs(double asked, int epochs) {
        return Math.min(asked, MOST_WARMUP_SHARE * epochs);
    }

    /** Steps in the round that starts at {@code iteration}, given {@code left} steps left in the epoch. */
    int stepsOfRound(long iteration, int left) {
        // Post-local SGD: while the weights move fast, replicas that drift for several steps disagree most.
        int period = iteration < syncIterations ? 1 : config.averagingFrequency();
        return Math.min(left, period);
    }

    /** The learning rate of the round that starts at {@code iteration}. */
    double rateAt(long iteration) {
        double peak = config.peakLearningRate();
        TrainingRecipe r = config.recipe();
        if (iteration < warmupIterations) {
            return peak * (iteration + 1) / warmupIterations;
        }
        double progress = (double) (iteration - warmupIterations) / Math.max(1, totalIterations - warmupIterations);
        return switch (r.lrDecay()) {
            case CONSTANT -> peak;
            case COSINE -> peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
            case STEP -> progress < 0.5 ? peak : progress < 0.75 ? peak / 10 : peak / 100;
        };
    }

    /** True when every round runs at the rate the network was built with: the loop then never touches it. */
    boolean constantRate() {
        return warmupIterations == 0 && config.recipe().lrDecay() == LrDecay.CONSTANT;
    }

    /**
     * Sets the round's rate on the network (sent to the workers with its configuration) and its start point; before
     * the run's first round, also the recipe's Adam beta2.
     */
    void beforeRound(MultiLayerNetwork network, long iteration) {
        if (!beta2Set) {
            double beta2 = config.recipe().adamBeta2();
            forEachUpdater(network, u -> {
                if (u instanceof Adam adam) {
                    adam.setBeta2(beta2);
                }
            });
            beta2Set = true;
        }
        if (!constantRate()) {
            double rate = rateAt(iteration);
            if (rate != rateSet) {
                setRate(network, rate);
                rateSet = rate;
            }
        }
        if (blockMomentum != null) {
            blockMomentum.beforeRound(network);
        }
    }

    /**
     * Every layer's Adam rate, in the configuration the next round sends to the workers. Set in place: DL4J's
     * {@code setLearningRate} also rebuilds the driver's updater, copying Adam's state (twice the parameters)
     * every round, which the driver never uses to train; with one rate for every layer the updater's blocks stay
     * what they were.
     */
    private static void setRate(MultiLayerNetwork network, double rate) {
        forEachUpdater(network, u -> {
            if (u.hasLearningRate()) {
                u.setLrAndSchedule(rate, null);
            }
        });
    }

    /** Every layer's updater settings: in the configuration the workers get, and in the driver's layers. */
    private static void forEachUpdater(MultiLayerNetwork network, Consumer<IUpdater> change) {
        for (NeuralNetConfiguration conf : network.getLayerWiseConfigurations().getConfs()) {
            updater(conf, change);
        }
        for (org.deeplearning4j.nn.api.Layer layer : network.getLayers()) {
            updater(layer.conf(), change);
        }
    }

    private static void updater(NeuralNetConfiguration conf, Consumer<IUpdater> change) {
        if (conf.getLayer() instanceof BaseLayer layer && layer.getIUpdater() != null) {
            change.accept(layer.getIUpdater());
        }
    }

    /** Filters the round's average through the block momentum, when the recipe has one. */
    void afterRound(MultiLayerNetwork network) {
        if (blockMomentum != null) {
            blockMomentum.afterRound(network);
        }
    }

    /** Takes the block momentum an exchange's workers ended with (null when the recipe has none). */
    void restoreBlockMomentum(INDArray state) {
        if (blockMomentum != null) {
            blockMomentum = blockMomentum(state);
        }
    }

    private BlockMomentum blockMomentum(INDArray state) {
        TrainingRecipe r = config.recipe();
        return new BlockMomentum(r.blockMomentum(), r.blockLearningRate(), r.blockNesterov(), state);
    }

    /** The block momentum to checkpoint with the model; null when the recipe has none. */
    INDArray blockMomentumState() {
        return blockMomentum == null ? null : blockMomentum.state();
    }
}
