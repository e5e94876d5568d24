package io.fashionspark.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line name of every training setting, defined once: {@code train}'s options are declared with these,
 * {@code conf/fashion-spark.properties} uses them without the dashes (an unknown key is an error), and every
 * message that asks a user to change a setting names it with these.
 */
public final class TrainingOptions {
    public static final String MODEL = "--model";
    public static final String DATA = "--data";
    public static final String OUTPUT = "--output";
    public static final String OVERWRITE = "--overwrite";
    public static final String WORKERS = "--workers";
    public static final String BATCH_SIZE = "--batch-size";
    public static final String AVERAGING_FREQUENCY = "--averaging-frequency";
    public static final String EPOCHS = "--epochs";
    public static final String LEARNING_RATE = "--learning-rate";
    public static final String SEED = "--seed";
    public static final String EVAL_EVERY = "--eval-every";
    public static final String TRAIN_LIMIT = "--train-limit";
    public static final String TEST_LIMIT = "--test-limit";
    public static final String CHECKPOINT_EVERY_EPOCHS = "--checkpoint-every-epochs";
    public static final String CHECKPOINT_EVERY = "--checkpoint-every";
    public static final String KEEP_CHECKPOINTS = "--keep-checkpoints";
    public static final String RECIPE = "--recipe";
    public static final String LR_SCALING = "--lr-scaling";
    public static final String LR_WARMUP_EPOCHS = "--lr-warmup-epochs";
    public static final String LR_DECAY = "--lr-decay";
    public static final String SYNC_EPOCHS = "--sync-epochs";
    public static final String BLOCK_MOMENTUM = "--block-momentum";
    public static final String BLOCK_LEARNING_RATE = "--block-learning-rate";
    public static final String BLOCK_NESTEROV = "--block-nesterov";
    public static final String ADAM_STATE = "--adam-state";
    public static final String ADAM_BETA2 = "--adam-beta2";
    public static final String MAX_GLOBAL_BATCH = "--max-global-batch";
    public static final String SYNC_WORKERS = "--sync-workers";
    public static final String EXCHANGE = "--exchange";

    private static final List<String> ALL = declared();

    private TrainingOptions() {
    }

    /** Every setting above, in the order declared. */
    public static List<String> all() {
        return ALL;
    }

    private static List<String> declared() {
        List<String> names = new ArrayList<>();
        for (Field f : TrainingOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers())
                    && f.getType() == String.class) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return List.copyOf(names);
    }

    /** The key of {@code option} in a properties file: its name without the dashes. */
    public static String key(String option) {
        return option.replaceFirst("^-+", "");
    }
}
