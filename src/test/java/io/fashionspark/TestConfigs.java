package io.fashionspark;

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
        return TrainingConfig.builder().model(model).data(data.toString()).output(data.resolve("out").toString())
                .overwrite(false).workers(2).batchSize(20).averagingFrequency(5).epochs(1).learningRate(1e-3)
                .seed(1).evalEvery(0).trainLimit(0).testLimit(0).checkpointEveryEpochs(0).checkpointEvery(0)
                .keepCheckpoints(1);
    }
}
