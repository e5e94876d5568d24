package io.fashionspark.config;

import io.fashionspark.model.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a run moves its learning rate and combines its replicas: the part of the settings that decides how well
 * accuracy holds as workers are added. {@link #NOTES} is the reference notes' set-up (Adam at a constant rate,
 * plain averaging); every other recipe changes what the workers train, not how the data is cut. Each component is
 * the {@link Settings} declaration of its name ({@link Setting.Concern#RECIPE}), which says what it does; {@code
 * adamBeta2} and {@code syncWorkers} are null for the model's own value ({@link #forModel}) until the run's settings
 * are built.
 */
public record TrainingRecipe(LrScaling lrScaling, double lrWarmupEpochs, LrDecay lrDecay, double syncEpochs,
                             double blockMomentum, double blockLearningRate, boolean blockNesterov,
                             AdamState adamState, Double adamBeta2, int maxGlobalBatch, Integer syncWorkers)
        implements java.io.Serializable {

    /** Adam's usual beta2 (PyTorch's and DL4J's default): the notes' value, and what runs saved without one used. */
    public static final double USUAL_ADAM_BETA2 = 0.999;

    /** The reference notes' set-up: a constant rate, plain averaging of parameters and Adam state. */
    public static final TrainingRecipe NOTES = SettingValues.parse(Settings.all().stream()
            .filter(s -> s.concern() == Setting.Concern.RECIPE).toList(), Setting::notesValue).recipe();

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
        Settings.LR_SCALING.require(lrScaling);
        Settings.LR_WARMUP_EPOCHS.require(lrWarmupEpochs);
        Settings.LR_DECAY.require(lrDecay);
        Settings.SYNC_EPOCHS.require(syncEpochs);
        Settings.BLOCK_MOMENTUM.require(blockMomentum);
        Settings.BLOCK_LEARNING_RATE.require(blockLearningRate);
        Settings.ADAM_STATE.require(adamState);
        Settings.ADAM_BETA2.require(adamBeta2);
        Settings.MAX_GLOBAL_BATCH.require(maxGlobalBatch);
        Settings.SYNC_WORKERS.require(syncWorkers);
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

    /**
     * In a few words, for the console and a model's provenance: the settings where this recipe differs from the
     * notes' set-up.
     */
    public String describe() {
        if (equals(NOTES)) {
            return "the notes' recipe (constant rate, plain averaging)";
        }
        SettingValues mine = SettingValues.of(this);
        SettingValues notes = SettingValues.of(NOTES);
        List<String> differences = new ArrayList<>();
        for (Setting<?> s : Settings.all()) {
            if (s.concern() == Setting.Concern.RECIPE && !Objects.equals(mine.get(s), notes.get(s))) {
                Object v = mine.get(s);
                differences.add(s.key() + " " + (v == null ? AUTO : v instanceof Enum<?> e ? lower(e) : v));
            }
        }
        return "tuned: " + String.join(", ", differences);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** True when the driver filters each round's average (block momentum or a block rate other than 1). */
    public boolean blockMomentumOn() {
        return blockMomentum != 0 || blockLearningRate != 1 || blockNesterov;
    }

    /** The names {@code --recipe} takes. */
    public static final String TUNED = "tuned";
    public static final String NOTES_NAME = "notes";
}
