package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.cli.CommandLineTest.Result;
import io.fashionspark.model.ModelKind;
import io.fashionspark.model.ModelSummary;
import io.fashionspark.runtime.OffHeapCheck;
import io.fashionspark.runtime.TaskSlots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run meets on a shared cluster, with real files: locations it cannot use, a test set that is the training
 * set, writes that fail, a loss that diverges. Each gives one sentence, its exit code, and leaves good files alone.
 */
class FailureModesTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void data() throws Exception {
        // 400 / (2 workers x 20) = 10 iterations an epoch.
        data = IdxFixtures.writeDataset(tmp.resolve("data"), 400, 100, 3);
    }

    /** A small DNN run; options in {@code more} replace the defaults of the same name. */
    static Result train(Path output, String... more) {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        for (String[] kv : new String[][] {{"--model", "dnn"}, {"--data", data.toString()},
            {"--output", output.toString()}, {"--workers", "2"}, {"--batch-size", "20"}, {"--epochs", "1"},
            {"--eval-every", "0"}}) {
            options.put(kv[0], kv[1]);
        }
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < more.length; i++) {
            if (i + 1 < more.length && !more[i + 1].startsWith("--")) {
                options.put(more[i], more[++i]);
            } else {
                flags.add(more[i]);
            }
        }
        List<String> args = new ArrayList<>(List.of("train"));
        options.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        args.addAll(flags);
        return CommandLineTest.run(args.toArray(String[]::new));
    }

    static void assertOneSentence(Result r) {
        List<String> ours = r.err().lines().filter(l -> l.startsWith("fashion-spark: ")).toList();
        assertEquals(1, ours.size(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void aMalformedExchangeSettingIsRefusedBeforeTheRunDirectoryExists() {
        // Spark settings reach the driver as system properties (spark-submit's --conf, JAVA_OPTS=-D...).
        for (String[] setting : new String[][] {{"spark.fashionspark.exchange.timeout", "abc"},
            {"spark.fashionspark.exchange.timeout", "0s"}, {"spark.fashionspark.exchange.port", "80"},
            {"spark.fashionspark.exchange.driverPort", "any"}}) {
            System.setProperty(setting[0], setting[1]);
            try {
                Path out = tmp.resolve("setting-" + setting[1]);
                Result r = train(out);
                assertEquals(ExitCodes.USAGE, r.code(), r.err());
                assertTrue(r.err().contains(setting[0] + " must be "), r.err());
                assertTrue(r.err().contains("got '" + setting[1] + "'"), r.err());
                assertOneSentence(r);
                assertFalse(Files.exists(out), "nothing written for a run that never started");
            } finally {
                System.clearProperty(setting[0]);
            }
        }
    }

    @Test
    void anUnknownSchemeIsADataOrOutputErrorNamingIt() {
        Result d = CommandLineTest.run("train", "--model", "dnn", "--data", "foo://bar/data", "--output",
                tmp.resolve("x").toString());
        assertEquals(ExitCodes.DATA, d.code(), d.err());
        assertTrue(d.err().contains("foo://bar/data: no Hadoop file system for the scheme \"foo\""), d.err());
        assertOneSentence(d);

        Result o = train(Path.of("unused"), "--output", "foo://bar/run");
        assertEquals(ExitCodes.OUTPUT, o.code(), o.err());
        assertTrue(o.err().contains("foo://bar/run: no Hadoop file system for the scheme \"foo\""), o.err());
        assertOneSentence(o);
    }

    /**
     * Each embedded worker is a thread with a replica of its own: 100,000 of them would start as many threads and
     * die in pthread_create. Refused before Spark starts, with the limit and why.
     */
    @Test
    void moreWorkersThanTheMachineHoldsAreRefusedBeforeSparkStarts() {
        Path output = tmp.resolve("absurd");
        long start = System.nanoTime();
        Result r = train(output, "--workers", "100000");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().matches("(?s)fashion-spark: --workers 100000 is more than this machine can hold on the "
                + "embedded master: each worker is a thread with its own FashionDNN replica, about \\d+ MiB off-heap "
                // The 200-image limit of a step cuts --batch-size 20 to 1 image per worker at 100,000 workers.
                + "at batch 1, and \\d+ MiB of memory less the \\d+ MiB heap holds at most \\d+; use --workers "
                + "\\d+ or fewer, or a cluster\\s*"), r.err());
        assertOneSentence(r);
        assertFalse(Files.exists(output), "nothing written");
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "refused up front, not after starting threads");

        // The limit is memory over one replica's estimate; a machine of one replica's size holds none.
        ModelSummary dnn = ModelSummary.of(ModelKind.DNN, 1);
        long replica = OffHeapCheck.perTaskBytes(dnn, 100);
        assertEquals(8, TaskSlots.embeddedLimit(dnn, 100, (2L << 30) + (512L << 20) + 8 * replica + replica / 2,
                2L << 30));
        assertEquals(0, TaskSlots.embeddedLimit(dnn, 100, 1L << 30, 2L << 30));
    }

    @Test
    void anUnwritableOutputIsAnOutputError() {
        // /proc refuses new directories even to root.
        Result r = train(Path.of("/proc/fashion-spark-run"));
        assertEquals(ExitCodes.OUTPUT, r.code(), r.err());
        assertTrue(r.err().contains("/proc/fashion-spark-run: cannot create the run directory"), r.err());
        assertOneSentence(r);
    }

    @Test
    void aTestSetThatIsTheTrainingSetIsWarnedAbout() throws Exception {
        Path copied = tmp.resolve("train-as-test");
        Files.createDirectories(copied);
        try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("train-")) {
                    Files.copy(f, copied.resolve(name));
                    Files.copy(f, copied.resolve(name.replace("train-", "t10k-")));
                }
            }
        }
        Result r = train(tmp.resolve("warned"), "--data", copied.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: 100% of the test images"), r.err());
        assertTrue(r.err().contains("are also training images"), r.err());

        Result clean = train(tmp.resolve("not-warned"));
        assertEquals(0, clean.code(), clean.err());
        assertFalse(clean.err().contains("are also training images"), clean.err());
    }

    @Test
    void aFailedModelWriteKeepsThePreviousModelAndStopsWithAnOutputError() throws Exception {
        Path run = tmp.resolve("model-write");
        assertEquals(0, train(run).code());
        byte[] good = Files.readAllBytes(run.resolve("model.zip"));
        // The file system refuses the new model's temporary file: a non-empty directory already has its name.
        Files.createDirectories(run.resolve(".model.zip.tmp"));
        Files.writeString(run.resolve(".model.zip.tmp/blocker"), "x");

        Result r = train(run, "--overwrite", "--seed", "99", "--checkpoint-every-epochs", "0");
        assertEquals(ExitCodes.OUTPUT, r.code(), r.err());
        assertTrue(r.err().contains("model.zip: cannot write"), r.err());
        assertOneSentence(r);
        assertArrayEquals(good, Files.readAllBytes(run.resolve("model.zip")), "the good model is untouched");
    }

    @Test
    void aFailedCheckpointWriteStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path run = tmp.resolve("checkpoint-write");
        Files.createDirectories(run.resolve("checkpoints/.checkpoint-000000020.zip.tmp"));
        Files.writeString(run.resolve("checkpoints/.checkpoint-000000020.zip.tmp/blocker"), "x");

        Result r = train(run, "--overwrite", "--epochs", "3");
        assertEquals(ExitCodes.OUTPUT, r.code(), r.err());
        assertTrue(r.err().contains("checkpoint-000000020.zip: cannot write"), r.err());
        assertOneSentence(r);
        assertFalse(Files.exists(run.resolve("model.zip")), "no model from a run that stopped");
        // Epoch 1's checkpoint is complete and usable; epoch 2's never became one.
        assertTrue(Files.exists(run.resolve("checkpoints/checkpoint-000000010.json")));
        assertFalse(Files.exists(run.resolve("checkpoints/checkpoint-000000020.json")));
        MultiLayerNetwork kept = ModelSerializer.restoreMultiLayerNetwork(
                run.resolve("checkpoints/checkpoint-000000010.zip").toFile(), true);
        assertEquals(235_146, kept.numParams());
    }

    @Test
    void aDivergingLossStopsAtOnceNamingTheIterationAndKeepsFiniteCheckpoints() throws Exception {
        Path run = tmp.resolve("diverged");
        Result r = train(run, "--learning-rate", "1e12", "--averaging-frequency", "1", "--checkpoint-every", "1",
                "--epochs", "3");
        assertEquals(ExitCodes.DIVERGED, r.code(), r.err());
        assertTrue(r.err().matches("(?s).*fashion-spark: training diverged: the training loss became (NaN|-?Infinity)"
                + " at iteration \\d+ \\(epoch 1\\); lower --learning-rate \\(now 1\\.0E12, a peak of 2\\.0E12 "
                + "with the recipe's --lr-scaling\\).*"), r.err());
        assertOneSentence(r);
        assertFalse(Files.exists(run.resolve("model.zip")));
        try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
            List<Path> zips = files.filter(f -> f.toString().endsWith(".zip")).toList();
            assertFalse(zips.isEmpty(), "the checkpoints before the divergence are kept");
            for (Path zip : zips) {
                MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
                for (float v : net.params().toFloatVector()) {
                    assertTrue(Float.isFinite(v), zip + " holds a non-finite parameter");
                }
            }
        }
    }
}
