package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.cli.CommandLineTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training recipes as a user runs them: block momentum that reduces to plain averaging, a run with every part of
 * a recipe that resumes exactly, and the notes' set-up one option away.
 */
class RecipeTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = IdxFixtures.writeDataset(tmp.resolve("data"), 1200, 300, 7);
    }

    /** 1200 images / (2 workers x 20) = 30 iterations an epoch, averaging every 3. */
    private static Path train(String name, String... more) {
        Path out = tmp.resolve(name);
        List<String> a = new ArrayList<>(List.of("train", "--model", "dnn", "--data", data.toString(), "--output",
                out.toString(), "--workers", "2", "--batch-size", "20", "--averaging-frequency", "3",
                "--eval-every", "0", "--seed", "3"));
        a.addAll(List.of(more));
        Result r = CommandLineTest.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private static float[] params(Path run) throws Exception {
        return ResumeTest.model(run).params().toFloatVector();
    }

    @Test
    void blockMomentumZeroWithRateOneIsPlainAveragingBitForBit() throws Exception {
        Path plain = train("plain", "--epochs", "2", "--recipe", "notes", "--learning-rate", "0.001");
        // Nesterov turns the filter on at momentum 0: every round goes through the look-ahead and the filter.
        Path filtered = train("filtered", "--epochs", "2", "--recipe", "tuned", "--lr-scaling", "none",
                "--lr-warmup-epochs", "0", "--lr-decay", "constant", "--sync-epochs", "0", "--adam-state", "averaged",
                "--adam-beta2", "0.999", "--block-momentum", "0", "--block-learning-rate", "1", "--block-nesterov",
                "true", "--learning-rate", "0.001");
        assertArrayEquals(params(plain), params(filtered), 0f);
        MultiLayerNetwork a = ResumeTest.model(plain);
        MultiLayerNetwork b = ResumeTest.model(filtered);
        assertArrayEquals(a.getUpdater().getStateViewArray().toFloatVector(),
                b.getUpdater().getStateViewArray().toFloatVector(), 0f);
        // And the filter does something once it has a momentum.
        Path moving = train("moving", "--epochs", "2", "--recipe", "tuned", "--lr-scaling", "none",
                "--lr-warmup-epochs", "0", "--lr-decay", "constant", "--block-momentum", "0.5", "--block-nesterov",
                "true", "--learning-rate", "0.001");
        assertTrue(!java.util.Arrays.equals(params(plain), params(moving)));
    }

    @Test
    void theRoundsRateReachesTheWorkers() throws Exception {
        float[] start = io.fashionspark.model.ModelKind.DNN.factory().create(3, 0.001).params().toFloatVector();
        Path constant = train("constant", "--epochs", "1", "--recipe", "notes");
        // The tuned recipe builds the network at its first round's rate, 0.001 / 6 here (a warm-up of 6 of the
        // epoch's 30 iterations: at most a fifth of the run), then raises it round by round to 0.001.
        Path warming = train("warming", "--epochs", "1", "--recipe", "tuned", "--lr-scaling", "none",
                "--lr-warmup-epochs", "1", "--lr-decay", "constant", "--learning-rate", "0.001");
        // What the workers would do if only the rate the network was built with reached them.
        Path stuck = train("stuck", "--epochs", "1", "--recipe", "notes", "--learning-rate",
                Double.toString(0.001 / 6));
        double moved = distance(start, params(constant));
        double warmed = distance(start, params(warming));
        double stayed = distance(start, params(stuck));
        assertTrue(stayed < moved / 2, "the first round's rate alone moves " + stayed + ", the peak " + moved);
        assertTrue(warmed > 0.8 * moved, "moved " + moved + " at the constant rate, " + warmed + " warming up over "
                + "a fifth of the run, " + stayed + " at the first round's rate throughout");
    }

    @Test
    void adamsBeta2ReachesTheWorkersAndAutoIsTheModelsOwn() throws Exception {
        Path usual = train("beta2-usual", "--epochs", "1", "--adam-beta2", "0.999");
        Path shortMemory = train("beta2-short", "--epochs", "1", "--adam-beta2", "0.5");
        assertEquals(0.5, adam(ResumeTest.model(shortMemory)).getBeta2());
        // The workers trained with it: from the same seed and data the runs end apart.
        assertFalse(java.util.Arrays.equals(params(usual), params(shortMemory)));

        Result dnn = CommandLineTest.run("train", "--model", "dnn", "--data", data.toString(), "--dry-run");
        assertTrue(dnn.out().replaceAll("\\s+", "").contains("\"adamBeta2\":0.95,"), dnn.out());
        Result cnn = CommandLineTest.run("train", "--model", "cnn", "--data", data.toString(), "--dry-run");
        assertTrue(cnn.out().replaceAll("\\s+", "").contains("\"adamBeta2\":0.999,"), cnn.out());

        Result one = CommandLineTest.run("train", "--data", data.toString(), "--adam-beta2", "1", "--dry-run");
        assertEquals(ExitCodes.USAGE, one.code(), one.err());
        assertTrue(one.err().contains("--adam-beta2 must be above 0 and below 1, got 1.0"), one.err());
        Result word = CommandLineTest.run("train", "--data", data.toString(), "--adam-beta2", "high", "--dry-run");
        assertEquals(ExitCodes.USAGE, word.code(), word.err());
        assertTrue(word.err().contains("--adam-beta2 must be a number between 0 and 1 or auto, got 'high'"),
                word.err());
    }

    private static org.nd4j.linalg.learning.config.Adam adam(MultiLayerNetwork model) {
        return (org.nd4j.linalg.learning.config.Adam) ((org.deeplearning4j.nn.conf.layers.BaseLayer) model.getLayer(0)
                .conf().getLayer()).getIUpdater();
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    @Test
    void aRunWithEveryPartOfARecipeResumesFromACheckpointExactly() throws Exception {
        String[] recipe = {"--epochs", "2", "--recipe", "tuned", "--lr-scaling", "linear", "--lr-warmup-epochs", "0.5",
            "--lr-decay", "cosine", "--sync-epochs", "0.5", "--block-momentum", "0.5", "--block-nesterov", "true",
            "--adam-state", "averaged", "--adam-beta2", "0.9", "--checkpoint-every", "6", "--keep-checkpoints", "100"};
        Path whole = train("whole", recipe);
        assertTrue(Files.isRegularFile(whole.resolve("checkpoints/checkpoint-000000012.momentum")));

        // The state after a crash just after the checkpoint at iteration 12: inside the warm-up and the
        // every-step averaging, with a block momentum under way.
        Path crashed = tmp.resolve("crashed");
        copy(whole, crashed);
        try (Stream<Path> files = Files.list(crashed.resolve("checkpoints"))) {
            for (Path f : files.toList()) {
                long iteration = Long.parseLong(f.getFileName().toString().replaceAll("\\D", ""));
                if (iteration > 12) {
                    Files.delete(f);
                }
            }
        }
        Files.delete(crashed.resolve("model.zip"));
        Result resumed = CommandLineTest.run("train", "--resume", crashed.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("checkpoint-000000012.zip: epoch 1, iteration 12"), resumed.out());
        assertArrayEquals(params(whole), params(crashed), 0f);
        assertArrayEquals(ResumeTest.model(whole).getUpdater().getStateViewArray().toFloatVector(),
                ResumeTest.model(crashed).getUpdater().getStateViewArray().toFloatVector(), 0f);
    }

    @Test
    void theNotesSetUpIsOneOptionAway() {
        Result notes = CommandLineTest.run("train", "--data", data.toString(), "--recipe", "notes", "--dry-run");
        assertEquals(0, notes.code(), notes.err());
        String config = notes.out().replaceAll("\\s+", "");
        assertTrue(config.contains("\"learningRate\":0.001,"), notes.out());
        assertTrue(config.contains("\"recipe\":{\"lrScaling\":\"NONE\",\"lrWarmupEpochs\":0.0,"
                + "\"lrDecay\":\"CONSTANT\",\"syncEpochs\":0.0,\"blockMomentum\":0.0,\"blockLearningRate\":1.0,"
                + "\"blockNesterov\":false,\"adamState\":\"AVERAGED\",\"adamBeta2\":0.999,\"maxGlobalBatch\":0,"
                + "\"syncWorkers\":0}"),
                notes.out());
        Result tuned = CommandLineTest.run("train", "--data", data.toString(), "--dry-run");
        assertTrue(tuned.out().replaceAll("\\s+", "").contains("\"learningRate\":0.002,"), tuned.out());
        Result faster = CommandLineTest.run("train", "--data", data.toString(), "--recipe", "notes",
                "--learning-rate", "0.003", "--dry-run");
        assertTrue(faster.out().replaceAll("\\s+", "").contains("\"learningRate\":0.003,"), faster.out());
    }

    @Test
    void manyWorkersShareTheStepsImagesInsteadOfMultiplyingThem() {
        Result eight = CommandLineTest.run("train", "--data", data.toString(), "--workers", "8", "--dry-run");
        assertEquals(0, eight.code(), eight.err());
        assertTrue(eight.out().contains("Batch 25 per worker: 8 workers x --batch-size 100 exceed "
                + "--max-global-batch 200"), eight.out());
        assertTrue(eight.out().replaceAll("\\s+", "").contains("\"batchSize\":25,"), eight.out());
        Result unlimited = CommandLineTest.run("train", "--data", data.toString(), "--workers", "8",
                "--max-global-batch", "0", "--dry-run");
        assertTrue(unlimited.out().replaceAll("\\s+", "").contains("\"batchSize\":100,"), unlimited.out());
        assertFalse(unlimited.out().contains("Batch 100 per worker"), unlimited.out());
        Result notes = CommandLineTest.run("train", "--data", data.toString(), "--workers", "8", "--recipe",
                "notes", "--dry-run");
        assertTrue(notes.out().replaceAll("\\s+", "").contains("\"batchSize\":100,"), notes.out());
        Result half = CommandLineTest.run("train", "--data", data.toString(), "--max-global-batch", "1.5",
                "--dry-run");
        assertEquals(ExitCodes.USAGE, half.code(), half.err());
        assertTrue(half.err().contains("--max-global-batch must be a whole number, got '1.5'"), half.err());
    }

    @Test
    void fromEightWorkersTheFashionDnnAveragesAfterEveryMinibatch() {
        Result eight = CommandLineTest.run("train", "--data", data.toString(), "--model", "dnn", "--workers", "8",
                "--dry-run");
        assertEquals(0, eight.code(), eight.err());
        assertTrue(eight.out().contains("Averaging after every minibatch: 8 workers reach --sync-workers 8"),
                eight.out());
        assertTrue(eight.out().replaceAll("\\s+", "").contains("\"averagingFrequency\":1,"), eight.out());
        Result four = CommandLineTest.run("train", "--data", data.toString(), "--model", "dnn", "--workers", "4",
                "--dry-run");
        assertTrue(four.out().replaceAll("\\s+", "").contains("\"averagingFrequency\":5,"), four.out());
        Result never = CommandLineTest.run("train", "--data", data.toString(), "--model", "dnn", "--workers", "8",
                "--sync-workers", "0", "--dry-run");
        assertTrue(never.out().replaceAll("\\s+", "").contains("\"averagingFrequency\":5,"), never.out());
        assertFalse(never.out().contains("Averaging after every minibatch"), never.out());
        Result cnn = CommandLineTest.run("train", "--data", data.toString(), "--model", "cnn", "--workers", "8",
                "--dry-run");
        assertTrue(cnn.out().replaceAll("\\s+", "").contains("\"averagingFrequency\":5,"), cnn.out());
        Result notes = CommandLineTest.run("train", "--data", data.toString(), "--model", "dnn", "--workers", "8",
                "--recipe", "notes", "--sync-workers", "4", "--dry-run");
        assertEquals(ExitCodes.USAGE, notes.code(), notes.err());
        assertTrue(notes.err().contains("--sync-workers is part of the tuned recipe"), notes.err());
    }

    @Test
    void theNotesSetUpRefusesTheTunedRecipesOptions() {
        Result r = CommandLineTest.run("train", "--data", data.toString(), "--recipe", "notes", "--lr-decay",
                "cosine", "--dry-run");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--lr-decay is part of the tuned recipe; --recipe notes trains with a constant "
                + "rate and plain averaging"), r.err());
        Result bad = CommandLineTest.run("train", "--data", data.toString(), "--lr-decay", "linear", "--dry-run");
        assertEquals(ExitCodes.USAGE, bad.code(), bad.err());
        assertTrue(bad.err().contains("--lr-decay must be one of constant|cosine|step, got 'linear'"), bad.err());
        Result momentum = CommandLineTest.run("train", "--data", data.toString(), "--block-momentum", "1",
                "--dry-run");
        assertEquals(ExitCodes.USAGE, momentum.code(), momentum.err());
        assertTrue(momentum.err().contains("--block-momentum must be at least 0 and below 1, got 1.0"),
                momentum.err());
    }

    /** A run directory copied whole (its config, checkpoints and files), to resume the copy. */
    static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
