package io.fashionspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.TestConfigs;
import io.fashionspark.model.ModelKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {
    private static TrainingConfig with(int workers, int batch, int freq, int epochs, double lr, int evalEvery) {
        return TestConfigs.small(ModelKind.DNN, Path.of("data")).with(Settings.OUTPUT, "out")
                .with(Settings.WORKERS, workers).with(Settings.BATCH_SIZE, batch)
                .with(Settings.AVERAGING_FREQUENCY, freq).with(Settings.EPOCHS, epochs)
                .with(Settings.LEARNING_RATE, lr).with(Settings.EVAL_EVERY, evalEvery)
                .with(Settings.CHECKPOINT_EVERY_EPOCHS, 1).with(Settings.KEEP_CHECKPOINTS, 2).build();
    }

    private static String rejection(Runnable r) {
        return assertThrows(ConfigException.class, r::run).getMessage();
    }

    @Test
    void acceptsTheReferenceSettings() {
        TrainingConfig c = with(2, 100, 5, 5, 0.001, 50);
        assertEquals(200, c.imagesPerStep());
    }

    @Test
    void rejectsNonPositiveCountsNamingTheFlag() {
        assertEquals("--workers (the number of parallel model replicas) must be at least 1, got 0",
                rejection(() -> with(0, 100, 5, 5, 0.001, 50)));
        assertEquals("--batch-size (examples per minibatch on each worker) must be at least 1, got -3",
                rejection(() -> with(2, -3, 5, 5, 0.001, 50)));
        assertEquals("--averaging-frequency (minibatches between parameter averagings) must be at least 1, got 0",
                rejection(() -> with(2, 100, 0, 5, 0.001, 50)));
        assertEquals("--epochs (passes over the training set) must be at least 1, got 0",
                rejection(() -> with(2, 100, 5, 0, 0.001, 50)));
        assertEquals("--eval-every must be 0 or more, got -1", rejection(() -> with(2, 100, 5, 5, 0.001, -1)));
    }

    @Test
    void rejectsALearningRateThatIsNotAPositiveNumber() {
        for (double lr : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals("--learning-rate must be a positive number, got " + lr + " (the reference uses 0.001)",
                    rejection(() -> with(2, 100, 5, 5, lr, 50)));
        }
    }

    @Test
    void settingsRoundTripThroughTheirJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        TrainingConfig c = with(3, 50, 4, 2, 0.002, 25).toBuilder().with(Settings.CHECKPOINT_EVERY, 100)
                .with(Settings.TRAIN_LIMIT, 600)
                .recipe(new TrainingRecipe(TrainingRecipe.LrScaling.SQRT, 0.5, TrainingRecipe.LrDecay.COSINE, 0.25,
                        0.6, 1.5, true, TrainingRecipe.AdamState.AVERAGED, 0.95, 200, 0)).build();
        String text = json.writeValueAsString(c);
        assertTrue(text.startsWith("{\"model\":\"DNN\",\"data\":\"data\",\"output\":\"out\",\"overwrite\":false,"
                + "\"workers\":3,\"batchSize\":50,\"averagingFrequency\":4,\"epochs\":2,"), text);
        assertEquals(c, json.readValue(text, TrainingConfig.class));
    }

    @Test
    void theDefaultBeta2IsTheModelsOwnHoweverTheSettingsAreBuilt() {
        // The scaling study and the ML estimator start from the declared defaults and then set the model.
        assertEquals(0.95, TrainingDefaults.builder().with(Settings.MODEL, ModelKind.DNN).build().recipe().adamBeta2());
        assertEquals(0.999, TrainingDefaults.builder().with(Settings.MODEL, ModelKind.CNN).build()
                .recipe().adamBeta2());
        assertEquals(TrainingRecipe.USUAL_ADAM_BETA2, TrainingDefaults.builder().with(Settings.MODEL, ModelKind.DNN)
                .recipe(TrainingRecipe.NOTES).build().recipe().adamBeta2());
    }

    @Test
    void aRecipeSavedBeforeBeta2WasASettingResumesWithAdamsUsualValue() throws Exception {
        String older = "{\"model\":\"DNN\",\"data\":\"/d\",\"output\":\"runs/x\",\"overwrite\":false,\"workers\":2,"
                + "\"batchSize\":100,\"averagingFrequency\":5,\"epochs\":5,\"learningRate\":0.002,\"seed\":42,"
                + "\"evalEvery\":50,\"trainLimit\":0,\"testLimit\":0,\"recipe\":{\"lrScaling\":\"LINEAR\","
                + "\"lrWarmupEpochs\":1.0,\"lrDecay\":\"COSINE\",\"syncEpochs\":0.0,\"blockMomentum\":0.0,"
                + "\"blockLearningRate\":1.0,\"blockNesterov\":false,\"adamState\":\"AVERAGED\","
                + "\"maxGlobalBatch\":200}}";
        TrainingRecipe r = new ObjectMapper().readValue(older, TrainingConfig.class).recipe();
        assertEquals(TrainingRecipe.USUAL_ADAM_BETA2, r.adamBeta2());
        assertEquals(200, r.maxGlobalBatch());
        assertEquals("--adam-beta2 must be above 0 and below 1, got 1.0 (0.999 is Adam's usual value; auto takes the "
                + "model's own)", rejection(() -> new TrainingRecipe(
                r.lrScaling(), 1, r.lrDecay(), 0, 0, 1, false, r.adamState(), 1.0, 200, 0)));
    }

    @Test
    void settingsWrittenBeforeCheckpointsExistedReadAsNoCheckpoints() throws Exception {
        String older = "{\"model\":\"CNN\",\"data\":\"/d\",\"output\":\"runs/x\",\"overwrite\":false,\"workers\":2,"
                + "\"batchSize\":100,\"averagingFrequency\":5,\"epochs\":5,\"learningRate\":0.001,\"seed\":42,"
                + "\"evalEvery\":50,\"trainLimit\":0,\"testLimit\":0}";
        TrainingConfig c = new ObjectMapper().readValue(older, TrainingConfig.class);
        assertEquals(0, c.run().checkpointEveryEpochs());
        assertEquals(0, c.run().checkpointEvery());
        assertEquals(1, c.run().keepCheckpoints());
        assertEquals(ModelKind.CNN, c.model());
        // Written before recipes existed: they trained with the notes' set-up, and resume with it.
        assertEquals(TrainingRecipe.NOTES, c.recipe());
    }

    @Test
    void theRecipesPeakRateFollowsTheWorkers() {
        TrainingConfig c = with(4, 100, 5, 5, 0.001, 50);
        assertEquals(0.001, c.peakLearningRate());
        TrainingRecipe linear = new TrainingRecipe(TrainingRecipe.LrScaling.LINEAR, 0, TrainingRecipe.LrDecay.CONSTANT,
                0, 0, 1, false, TrainingRecipe.AdamState.AVERAGED, 0.999, 0, 0);
        assertEquals(0.004, c.toBuilder().recipe(linear).build().peakLearningRate(), 1e-12);
        assertEquals("--lr-warmup-epochs must be 0 or more epochs, got -1.0", rejection(() -> new TrainingRecipe(
                TrainingRecipe.LrScaling.NONE, -1, TrainingRecipe.LrDecay.CONSTANT, 0, 0, 1, false,
                TrainingRecipe.AdamState.AVERAGED, 0.999, 0, 0)));
    }

    @Test
    void aGlobalBatchLimitShrinksEachWorkersMinibatch() throws Exception {
        TrainingRecipe capped = new TrainingRecipe(TrainingRecipe.LrScaling.LINEAR, 1, TrainingRecipe.LrDecay.COSINE,
                0, 0, 1, false, TrainingRecipe.AdamState.AVERAGED, 0.999, 200, 0);
        TrainingConfig eight = with(8, 100, 5, 5, 0.002, 0).toBuilder().recipe(capped).build();
        assertEquals(25, eight.batchSize(), "8 workers x 25 = the 200 images a step may take in");
        assertEquals(100, with(2, 100, 5, 5, 0.002, 0).toBuilder().recipe(capped).build().batchSize(),
                "2 x 100 is within the limit");
        assertEquals(66, with(3, 100, 5, 5, 0.002, 0).toBuilder().recipe(capped).build().batchSize());
        assertEquals(1, with(400, 100, 5, 5, 0.002, 0).toBuilder().recipe(capped).build().batchSize(),
                "never below one image");
        assertEquals(100, with(8, 100, 5, 5, 0.002, 0).batchSize(), "the notes' set-up has no limit");
        // config.json holds the minibatch trained; read back (--resume) it stays what it was.
        ObjectMapper json = new ObjectMapper();
        assertEquals(eight, json.readValue(json.writeValueAsString(eight), TrainingConfig.class));
        assertEquals(25, eight.toBuilder().build().batchSize());
        assertEquals("--max-global-batch must be 0 (no limit) or more images, got -1", rejection(
                () -> new TrainingRecipe(TrainingRecipe.LrScaling.NONE, 0, TrainingRecipe.LrDecay.CONSTANT, 0, 0, 1,
                        false, TrainingRecipe.AdamState.AVERAGED, 0.999, -1, 0)));
    }

    @Test
    void configJsonKeepsWhatWasAskedBesideWhatTheRecipeTrains() throws Exception {
        TrainingRecipe tuned = TrainingDefaults.values().recipe();
        TrainingConfig eight = with(8, 100, 5, 5, 0.002, 0).toBuilder().recipe(tuned).build();
        assertEquals(25, eight.batchSize());
        assertEquals(1, eight.averagingFrequency());
        assertEquals(new TrainingConfig.Asked(100, 5), eight.asked());
        ObjectMapper json = new ObjectMapper();
        String written = json.writeValueAsString(eight);
        assertTrue(written.contains("\"asked\":{\"batchSize\":100,\"averagingFrequency\":5}"), written);
        assertEquals(eight, json.readValue(written, TrainingConfig.class));
        assertEquals(eight, eight.withEpochs(5), "a resumed run keeps both");
        assertEquals(eight.withEpochs(7).asked(), eight.asked());

        TrainingConfig two = with(2, 100, 5, 5, 0.002, 0).toBuilder().recipe(tuned).build();
        assertEquals(null, two.asked(), "trained as asked");
        assertTrue(!json.writeValueAsString(two).contains("asked"), json.writeValueAsString(two));
    }

    @Test
    void aRunWithoutARunDirectoryNeedsNoOutputButARunDirectoryDoes() {
        TrainingConfig inMemory = TestConfigs.small(ModelKind.DNN, Path.of("data")).with(Settings.OUTPUT, null).build();
        assertEquals(null, inMemory.run().output());
        assertEquals("--output must not be empty", rejection(
                () -> TestConfigs.small(ModelKind.DNN, Path.of("data")).with(Settings.OUTPUT, " ").build()));
    }

    @Test
    void fromTheSyncWorkersOnReplicasAverageAfterEveryMinibatch() throws Exception {
        TrainingRecipe tuned = TrainingDefaults.values().recipe();
        assertEquals(null, tuned.syncWorkers(), "the bundled default is the model's own");
        TrainingConfig eight = with(8, 100, 5, 5, 0.002, 0).toBuilder().recipe(tuned).build();
        assertEquals(8, eight.recipe().syncWorkers(), "the FashionDNN's own");
        assertEquals(1, eight.averagingFrequency());
        assertEquals(1, with(12, 100, 5, 5, 0.002, 0).toBuilder().recipe(tuned).build().averagingFrequency());
        assertEquals(5, with(7, 100, 5, 5, 0.002, 0).toBuilder().recipe(tuned).build().averagingFrequency());
        assertEquals(5, with(4, 100, 5, 5, 0.002, 0).toBuilder().recipe(tuned).build().averagingFrequency());
        assertEquals(5, with(2, 100, 5, 5, 0.002, 0).toBuilder().recipe(tuned).build().averagingFrequency(),
                "the quickstart's 2 workers keep their rounds");
        TrainingConfig cnn = with(8, 100, 5, 5, 0.002, 0).toBuilder().with(Settings.MODEL, ModelKind.CNN)
                .recipe(tuned).build();
        assertEquals(0, cnn.recipe().syncWorkers());
        assertEquals(5, cnn.averagingFrequency(), "the FashionCNN never syncs every step by default");
        assertEquals(5, with(8, 100, 5, 5, 0.002, 0).averagingFrequency(), "the notes' set-up averages as told");
        // config.json holds the period trained; read back (--resume) it stays what it was.
        ObjectMapper json = new ObjectMapper();
        assertEquals(eight, json.readValue(json.writeValueAsString(eight), TrainingConfig.class));
        // A run saved before the setting existed averaged as its averaging frequency said.
        String before = json.writeValueAsString(with(8, 25, 5, 5, 0.002, 0).toBuilder()
                .recipe(tuned.forModel(ModelKind.CNN)).with(Settings.MODEL, ModelKind.DNN)
                .build()).replace(",\"syncWorkers\":0", "");
        assertTrue(!before.contains("syncWorkers"), before);
        assertEquals(5, json.readValue(before, TrainingConfig.class).averagingFrequency());
        assertEquals("--sync-workers must be 0 (never) or a number of workers, got -2 (auto takes the model's own)",
                rejection(() -> new TrainingRecipe(TrainingRecipe.LrScaling.NONE, 0, TrainingRecipe.LrDecay.CONSTANT,
                        0, 0, 1, false, TrainingRecipe.AdamState.AVERAGED, 0.999, 0, -2)));
        assertEquals("--sync-workers must be a whole number or auto, got 'many'", rejection(
                () -> Settings.SYNC_WORKERS.parse("many")));
    }

    @Test
    void settingsFromAFileAreValidatedToo() {
        String bad = "{\"model\":\"DNN\",\"data\":\"/d\",\"output\":\"o\",\"workers\":0,\"batchSize\":100,"
                + "\"averagingFrequency\":5,\"epochs\":5,\"learningRate\":0.001}";
        Exception e = assertThrows(Exception.class, () -> new ObjectMapper().readValue(bad, TrainingConfig.class));
        assertTrue(e.getMessage().contains("--workers (the number of parallel model replicas) must be at least 1"),
                e.getMessage());
    }
}
