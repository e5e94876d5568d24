package io.fashionspark.config;

import static io.fashionspark.config.TrainingOptions.ADAM_BETA2;
import static io.fashionspark.config.TrainingOptions.ADAM_STATE;
import static io.fashionspark.config.TrainingOptions.BLOCK_LEARNING_RATE;
import static io.fashionspark.config.TrainingOptions.BLOCK_MOMENTUM;
import static io.fashionspark.config.TrainingOptions.BLOCK_NESTEROV;
import static io.fashionspark.config.TrainingOptions.LR_DECAY;
import static io.fashionspark.config.TrainingOptions.LR_SCALING;
import static io.fashionspark.config.TrainingOptions.LR_WARMUP_EPOCHS;
import static io.fashionspark.config.TrainingOptions.MAX_GLOBAL_BATCH;
import static io.fashionspark.config.TrainingOptions.SYNC_EPOCHS;
import static io.fashionspark.config.TrainingOptions.SYNC_WORKERS;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fashionspark.model.ModelKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a run moves its learning rate and combines its replicas: the part of the settings that decides how well
 * accuracy holds as workers are added. {@link #NOTES} is the reference notes' set-up (Adam at a constant rate,
 * plain averaging); every other recipe changes what the workers train, not how the data is cut.
 *
 * @param lrScaling         how the peak learning rate grows with the worker count (each step sees workers times
 *                          more images, so it can take a larger step)
 * @param lrWarmupEpochs    epochs over which the rate climbs linearly from near 0 to the peak (0: none); keeps a
 *                          scaled-up rate from wrecking the first steps
 * @param lrDecay           the rate's shape after the warm-up
 * @param syncEpochs        epochs at the start during which the replicas are averaged after every minibatch (post-local
 *                          SGD: the replicas cannot drift while the weights move fast), then every
 *                          {@code --averaging-frequency} minibatches
 * @param blockMomentum     momentum of the averaged change of each round (BMUF; 0: plain averaging)
 * @param blockLearningRate scale of each round's averaged change (BMUF; 1: plain averaging)
 * @param blockNesterov     start each round from the look-ahead point (Nesterov block momentum)
 * @param adamState         whether Adam's moment estimates travel with the parameters and are averaged, or every
 *                          round's workers start them afresh (a third of the bytes)
 * @param adamBeta2         the decay of Adam's second-moment estimate: 0.999 (Adam's usual value) remembers about
 *                          1,000 steps of squared gradients; lower forgets sooner, which suits runs of a few
 *                          thousand steps whose rate moves. Null stands for the model's own value
 *                          ({@link #forModel}) until the run's settings are built
 * @param maxGlobalBatch    the most images one averaged step takes in over all workers (0: no limit); above it each
 *                          worker's minibatch shrinks to this divided by the workers. Many workers at a full
 *                          minibatch take too few steps per epoch to reach one worker's accuracy
 * @param syncWorkers       from this many workers on, the replicas are averaged after every minibatch for the whole
 *                          run, whatever {@code --averaging-frequency} says (0: never). With the rate scaled by the
 *                          workers, each replica's local steps are that much larger, and replicas that fit several
 *                          minibatches apart drift further than their average makes up. Null stands for the
 *                          model's own value ({@link #forModel}) until the run's settings are built
 */
public record TrainingRecipe(LrScaling lrScaling, double lrWarmupEpochs, LrDecay lrDecay, double syncEpochs,
                             double blockMomentum, double blockLearningRate, boolean blockNesterov,
                             AdamState adamState, Double adamBeta2, int maxGlobalBatch, Integer syncWorkers)
        implements java.io.Serializable {

    /** Adam's usual beta2 (PyTorch's and DL4J's default): the notes' value, and what runs saved without one used. */
    public static final double USUAL_ADAM_BETA2 = 0.999;

    /** The reference notes' set-up: a constant rate, plain averaging of parameters and Adam state. */
    public static final TrainingRecipe NOTES = new TrainingRecipe(LrScaling.NONE, 0, LrDecay.CONSTANT, 0, 0, 1,
            false, AdamState.AVERAGED, USUAL_ADAM_BETA2, 0, 0);

    /**
     * What {@code --adam-beta2} and {@code --sync-workers} take for the model's own measured value
     * ({@link ModelKind#tunedAdamBeta2()}, {@link ModelKind#tunedSyncWorkers()}).
     */
    public static final String AUTO = "auto";

    /** How the peak learning rate follows the worker count. */
    public enum LrScaling {
        /** The same rate for any worker count. */
        NONE,
        /** Rate times workers (Goyal et al. 2017): right when one step averages workers times as many images. */
        LINEAR,
        /** Rate times the square root of workers: the gradient noise falls with the square root of the batch. */
        SQRT;

        public double factor(int workers) {
            return switch (this) {
                case NONE -> 1;
                case LINEAR -> workers;
                case SQRT -> Math.sqrt(workers);
            };
        }
    }

    /** The learning rate's shape after the warm-up. */
    public enum LrDecay {
        /** Stay at the peak. */
        CONSTANT,
        /** Half a cosine from the peak to 0 at the last iteration. */
        COSINE,
        /** A tenth of the peak after half the iterations, a hundredth after three quarters. */
        STEP
    }

    /** What happens to Adam's moment estimates between rounds. */
    public enum AdamState {
        /** Sent to the workers and averaged with the parameters. */
        AVERAGED,
        /** Not sent: every round's workers start them at zero; the parameters alone travel. */
        RESET
    }

    public TrainingRecipe {
        if (lrScaling == null || lrDecay == null || adamState == null) {
            throw new ConfigException(LR_SCALING + ", " + LR_DECAY + " and " + ADAM_STATE + " must be given");
        }
        requireNonNegative(lrWarmupEpochs, LR_WARMUP_EPOCHS);
        requireNonNegative(syncEpochs, SYNC_EPOCHS);
        if (!(blockMomentum >= 0 && blockMomentum < 1)) {
            throw new ConfigException(BLOCK_MOMENTUM + " must be at least 0 and below 1, got " + blockMomentum
                    + " (0 is plain averaging; 1 - 1/workers is the usual choice)");
        }
        if (!(blockLearningRate > 0) || Double.isInfinite(blockLearningRate)) {
            throw new ConfigException(BLOCK_LEARNING_RATE + " must be a positive number, got " + blockLearningRate
                    + " (1 is plain averaging)");
        }
        if (adamBeta2 != null && !(adamBeta2 > 0 && adamBeta2 < 1)) {
            throw new ConfigException(ADAM_BETA2 + " must be above 0 and below 1, got " + adamBeta2
                    + " (0.999 is Adam's usual value; " + AUTO + " takes the model's own)");
        }
        if (maxGlobalBatch < 0) {
            throw new ConfigException(MAX_GLOBAL_BATCH + " must be 0 (no limit) or more images, got "
                    + maxGlobalBatch);
        }
        if (syncWorkers != null && syncWorkers < 0) {
            throw new ConfigException(SYNC_WORKERS + " must be 0 (never) or a number of workers, got " + syncWorkers
                    + " (" + AUTO + " takes the model's own)");
        }
    }

    /**
     * Reads a recipe as {@code config.json} holds it. Runs saved before beta2 was a setting trained with Adam's usual
     * value, and runs saved before {@code syncWorkers} was one averaged as their averaging frequency said; both read
     * as such, so that they resume as they began.
     */
    @JsonCreator
    static TrainingRecipe fromJson(@JsonProperty("lrScaling") LrScaling lrScaling,
                                   @JsonProperty("lrWarmupEpochs") double lrWarmupEpochs,
                                   @JsonProperty("lrDecay") LrDecay lrDecay,
                                   @JsonProperty("syncEpochs") double syncEpochs,
                                   @JsonProperty("blockMomentum") double blockMomentum,
                                   @JsonProperty("blockLearningRate") double blockLearningRate,
                                   @JsonProperty("blockNesterov") boolean blockNesterov,
                                   @JsonProperty("adamState") AdamState adamState,
                                   @JsonProperty("adamBeta2") Double adamBeta2,
                                   @JsonProperty("maxGlobalBatch") int maxGlobalBatch,
                                   @JsonProperty("syncWorkers") Integer syncWorkers) {
        return new TrainingRecipe(lrScaling, lrWarmupEpochs, lrDecay, syncEpochs, blockMomentum, blockLearningRate,
                blockNesterov, adamState, adamBeta2 == null ? USUAL_ADAM_BETA2 : adamBeta2, maxGlobalBatch,
                syncWorkers == null ? 0 : syncWorkers);
    }

    /** This recipe with the model's own beta2 and sync workers where it asks for them ({@value #AUTO}). */
    public TrainingRecipe forModel(ModelKind model) {
        return adamBeta2 != null && syncWorkers != null ? this : new TrainingRecipe(lrScaling, lrWarmupEpochs,
                lrDecay, syncEpochs, blockMomentum, blockLearningRate, blockNesterov, adamState,
                adamBeta2 != null ? adamBeta2 : model.tunedAdamBeta2(), maxGlobalBatch,
                syncWorkers != null ? syncWorkers : model.tunedSyncWorkers());
    }

    /**
     * Minibatches each worker fits between two averagings: {@code averagingFrequency}, or 1 from
     * {@link #syncWorkers} workers on.
     */
    public int averagingPeriod(int averagingFrequency, int workers) {
        return syncWorkers != null && syncWorkers > 0 && workers >= syncWorkers ? 1 : averagingFrequency;
    }

    /**
     * Each worker's minibatch: {@code batchSize}, or less where {@code workers} of them would exceed
     * {@link #maxGlobalBatch} (never below one image).
     */
    public int workerBatch(int batchSize, int workers) {
        if (maxGlobalBatch == 0 || (long) batchSize * workers <= maxGlobalBatch) {
            return batchSize;
        }
        return Math.max(1, maxGlobalBatch / workers);
    }

    private static void requireNonNegative(double value, String option) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new ConfigException(option + " must be 0 or more epochs, got " + value);
        }
    }

    /** In a few words, for the console and a model's provenance. */
    public String describe() {
        if (equals(NOTES)) {
            return "the notes' recipe (constant rate, plain averaging)";
        }
        StringBuilder b = new StringBuilder("rate scaled " + lower(lrScaling));
        b.append(lrWarmupEpochs > 0 ? ", warm-up " + lrWarmupEpochs + " epochs" : "");
        b.append(", ").append(lower(lrDecay)).append(" decay");
        b.append(syncEpochs > 0 ? ", averaging every step for " + syncEpochs + " epochs" : "");
        if (blockMomentumOn()) {
            b.append(", block momentum ").append(blockMomentum).append(" at rate ").append(blockLearningRate)
                    .append(blockNesterov ? " (Nesterov)" : "");
        }
        b.append(", Adam state ").append(lower(adamState));
        b.append(adamBeta2 == null ? ", Adam beta2 the model's own"
                : adamBeta2 != USUAL_ADAM_BETA2 ? ", Adam beta2 " + adamBeta2 : "");
        b.append(maxGlobalBatch > 0 ? ", at most " + maxGlobalBatch + " images per step" : "");
        return b.append(syncWorkers == null ? ", averaging every step from the model's own worker count"
                : syncWorkers > 0 ? ", averaging every step from " + syncWorkers + " workers" : "").toString();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** True when the driver filters each round's average (block momentum or a block rate other than 1). */
    public boolean blockMomentumOn() {
        return blockMomentum != 0 || blockLearningRate != 1 || blockNesterov;
    }

    /** The notes' Adam learning rate: what {@code --recipe notes} trains with unless given another. */
    public static final double NOTES_LEARNING_RATE = 0.001;

    /** The names {@code --recipe} takes. */
    public static final String TUNED = "tuned";
    public static final String NOTES_NAME = "notes";

    /** The options a {@code tuned} recipe reads; {@code notes} ignores them. */
    public static final java.util.List<String> OPTIONS = java.util.List.of(LR_SCALING, LR_WARMUP_EPOCHS, LR_DECAY,
            SYNC_EPOCHS, BLOCK_MOMENTUM, BLOCK_LEARNING_RATE, BLOCK_NESTEROV, ADAM_STATE, ADAM_BETA2, MAX_GLOBAL_BATCH,
            SYNC_WORKERS);

    /** Whether {@code name} (as {@code --recipe} takes it: any case, spaces around) names the notes' set-up. */
    public static boolean isNotes(String name) {
        return name != null && name.trim().equalsIgnoreCase(NOTES_NAME);
    }

    /**
     * The recipe {@code name} stands for: {@code notes} is {@link #NOTES}; {@code tuned} reads each of
     * {@link #OPTIONS} with {@code valueOf} (option name to its text).
     */
    public static TrainingRecipe named(String name, Function<String, String> valueOf) {
        if (isNotes(name)) {
            return NOTES;
        }
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!n.equals(TUNED)) {
            throw new ConfigException(TrainingOptions.RECIPE + " must be " + TUNED + " (the schedule and averaging "
                    + "options) or " + NOTES_NAME + " (the reference notes' set-up), got '" + name + "'");
        }
        return new TrainingRecipe(parse(LrScaling.class, valueOf.apply(LR_SCALING), LR_SCALING),
                number(valueOf, LR_WARMUP_EPOCHS), parse(LrDecay.class, valueOf.apply(LR_DECAY), LR_DECAY),
                number(valueOf, SYNC_EPOCHS), number(valueOf, BLOCK_MOMENTUM), number(valueOf, BLOCK_LEARNING_RATE),
                bool(valueOf, BLOCK_NESTEROV), parse(AdamState.class, valueOf.apply(ADAM_STATE), ADAM_STATE),
                orAuto(valueOf, ADAM_BETA2, Double::parseDouble, "a number between 0 and 1"),
                whole(valueOf, MAX_GLOBAL_BATCH), orAuto(valueOf, SYNC_WORKERS, Integer::parseInt, "a whole number"));
    }

    /**
     * The option's value read by {@code parser}, or null for {@value #AUTO}: the model's own, filled in by
     * {@link #forModel}. {@code kind} says what else it may be, for the error.
     */
    private static <T> T orAuto(Function<String, String> valueOf, String option, Function<String, T> parser,
                                String kind) {
        String v = valueOf.apply(option);
        if (v != null && v.trim().equalsIgnoreCase(AUTO)) {
            return null;
        }
        return parsed(valueOf, option, parser, kind + " or " + AUTO);
    }

    private static double number(Function<String, String> valueOf, String option) {
        return parsed(valueOf, option, Double::parseDouble, "a number");
    }

    private static int whole(Function<String, String> valueOf, String option) {
        return parsed(valueOf, option, Integer::parseInt, "a whole number");
    }

    /** The option's text read by {@code parser}; an error names the option, what it must be and what it got. */
    private static <T> T parsed(Function<String, String> valueOf, String option, Function<String, T> parser,
                                String kind) {
        String v = valueOf.apply(option);
        try {
            return parser.apply(v.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigException(option + " must be " + kind + ", got '" + v + "'");
        }
    }

    private static boolean bool(Function<String, String> valueOf, String option) {
        String v = valueOf.apply(option) == null ? "" : valueOf.apply(option).trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException(option + " must be true or false, got '" + valueOf.apply(option) + "'");
        }
        return v.equals("true");
    }

    /** {@code value} as one of {@code type}'s constants, case-insensitive; an error names the option and choices. */
    public static <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException(option + " must be one of " + choices(type) + ", got '" + value + "'");
        }
    }

    /** The constants of {@code type} as options take them: lower case, separated by {@code |}. */
    public static <E extends Enum<E>> String choices(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("|"));
    }
}
