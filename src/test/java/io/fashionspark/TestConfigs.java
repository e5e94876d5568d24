package io.fashionspark;

import io.fashionspark.config.Settings;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.model.ModelKind;
import java.nio.file.Path;

/** Training settings for tests: small and explicit, so that a test states only what it is about. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /**
     * {@code model} on the idx files in {@code data}, into {@code data/out}: 2 workers, batch 20, averaging every
     * 5, 1 epoch, Adam 0.001, seed 1, tested at epoch ends only, no checkpoints, the newest one kept.
     */
    public static TrainingConfig.Builder small(ModelKind model, Path data) {
        return TrainingConfig.builder().with(Settings.MODEL, model).with(Settings.DATA, data.toString())
                .with(Settings.OUTPUT, data.resolve("out").toString())
                .with(Settings.OVERWRITE, false).with(Settings.WORKERS, 2).with(Settings.BATCH_SIZE, 20)
                .with(Settings.AVERAGING_FREQUENCY, 5).with(Settings.EPOCHS, 1).with(Settings.LEARNING_RATE, 1e-3)
                .with(Settings.SEED, 1L).with(Settings.EVAL_EVERY, 0).with(Settings.TRAIN_LIMIT, 0)
                .with(Settings.TEST_LIMIT, 0).with(Settings.CHECKPOINT_EVERY_EPOCHS, 0)
                .with(Settings.CHECKPOINT_EVERY, 0)
                .with(Settings.KEEP_CHECKPOINTS, 1);
    }
}
