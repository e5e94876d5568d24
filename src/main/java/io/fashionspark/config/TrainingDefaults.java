package io.fashionspark.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The training defaults the jar carries: {@code conf/fashion-spark.properties}, bundled at build time. {@code train}
 * lays a user's {@code --config} file over them; the Spark ML estimator takes its parameters' defaults from them, so
 * both start from the same settings.
 */
public final class TrainingDefaults {
    public static final String RESOURCE = "/io/fashionspark/config/fashion-spark.properties";

    private TrainingDefaults() {
    }

    /** Read once: the ML estimator's parameter checks build a configuration from these on every set. */
    private static final Properties BUNDLED = load();

    /** A fresh copy of the bundled defaults, keyed by option name without dashes. */
    public static Properties bundled() {
        Properties copy = new Properties();
        copy.putAll(BUNDLED);
        return copy;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = TrainingDefaults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks its bundled " + RESOURCE);
            }
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled defaults: " + e.getMessage(), e);
        }
        return p;
    }

    /** A builder holding every bundled default; the run directory ({@code output}) is left for the caller. */
    public static TrainingConfig.Builder builder() {
        return TrainingConfig.builder()
                .model(io.fashionspark.model.ModelKind.parse(of(TrainingOptions.MODEL)))
                .data(of(TrainingOptions.DATA))
                .workers(Integer.parseInt(of(TrainingOptions.WORKERS)))
                .batchSize(Integer.parseInt(of(TrainingOptions.BATCH_SIZE)))
                .averagingFrequency(Integer.parseInt(of(TrainingOptions.AVERAGING_FREQUENCY)))
                .epochs(Integer.parseInt(of(TrainingOptions.EPOCHS)))
                .learningRate(Double.parseDouble(of(TrainingOptions.LEARNING_RATE)))
                .seed(Long.parseLong(of(TrainingOptions.SEED)))
                .evalEvery(Integer.parseInt(of(TrainingOptions.EVAL_EVERY)))
                .trainLimit(Integer.parseInt(of(TrainingOptions.TRAIN_LIMIT)))
                .testLimit(Integer.parseInt(of(TrainingOptions.TEST_LIMIT)))
                .checkpointEveryEpochs(Integer.parseInt(of(TrainingOptions.CHECKPOINT_EVERY_EPOCHS)))
                .checkpointEvery(Integer.parseInt(of(TrainingOptions.CHECKPOINT_EVERY)))
                .keepCheckpoints(Integer.parseInt(of(TrainingOptions.KEEP_CHECKPOINTS)))
                .recipe(TrainingRecipe.named(of(TrainingOptions.RECIPE), TrainingDefaults::of))
                .exchange(Exchange.named(of(TrainingOptions.EXCHANGE)));
    }

    /** The bundled default of {@code option} (e.g. {@code --workers}), trimmed. */
    public static String of(String option) {
        String v = BUNDLED.getProperty(TrainingOptions.key(option));
        if (v == null) {
            throw new IllegalStateException(RESOURCE + " has no default for " + option);
        }
        return v.trim();
    }
}
