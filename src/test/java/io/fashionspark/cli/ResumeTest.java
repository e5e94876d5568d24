package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.IdxFixtures;
import io.fashionspark.Tmpfs;
import io.fashionspark.cli.CommandLineTest.Result;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and {@code train --resume}: a run resumed to train longer, and a run whose JVM is killed mid-epoch and
 * resumed, end with the same model as an uninterrupted run of the same length, and their metrics log every
 * iteration once, as one continuous record.
 */
class ResumeTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path uninterrupted;

    /**
     * 1200 images / (2 workers x 20) = 30 iterations an epoch. The notes' recipe: a constant rate, so that a run
     * resumed to train longer is the same run as one trained that long from the start (a decay would stretch).
     */
    static List<String> args(Path output, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--model", "dnn", "--data", data.toString(), "--output",
                output.toString(), "--workers", "2", "--batch-size", "20", "--averaging-frequency", "2",
                "--eval-every", "4", "--seed", "3", "--recipe", "notes"));
        a.addAll(List.of(more));
        return a;
    }

    @BeforeAll
    static void trainUninterrupted() throws Exception {
        data = IdxFixtures.writeDataset(tmp.resolve("data"), 1200, 300, 7);
        uninterrupted = tmp.resolve("uninterrupted");
        Result r = CommandLineTest.run(args(uninterrupted, "--epochs", "3").toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
    }

    static MultiLayerNetwork model(Path run) throws Exception {
        return ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), true);
    }

    static List<JsonNode> events(Path run, String name) throws Exception {
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode e = m.readTree(line);
            if (e.get("event").asText().equals(name)) {
                events.add(e);
            }
        }
        return events;
    }

    /** Same final model and Adam state, every worker's loss of every iteration logged once, same test curve. */
    static void assertSameAsUninterrupted(Path run) throws Exception {
        MultiLayerNetwork expected = model(uninterrupted);
        MultiLayerNetwork actual = model(run);
        assertArrayEquals(expected.params().toFloatVector(), actual.params().toFloatVector(), 1e-6f);
        assertArrayEquals(expected.getUpdater().getStateViewArray().toFloatVector(),
                actual.getUpdater().getStateViewArray().toFloatVector(), 1e-6f);

        List<JsonNode> losses = events(run, "train_loss");
        Set<String> seen = new HashSet<>();
        for (JsonNode e : losses) {
            assertTrue(seen.add(e.get("iteration").asLong() + "/" + e.get("worker").asInt()), "logged twice: " + e);
        }
        assertEquals(events(uninterrupted, "train_loss").size(), losses.size());
        assertEquals(accuracies(uninterrupted), accuracies(run));
        assertEquals(3, events(run, "epoch").size());
        String csv = Files.readString(run.resolve("metrics.csv"));
        assertEquals(1, csv.lines().filter(l -> l.startsWith("event,")).count(), "one CSV header");
        assertEquals(Files.readString(uninterrupted.resolve("metrics.csv")).lines().count(), csv.lines().count());
    }

    static List<String> accuracies(Path run) throws Exception {
        return events(run, "test").stream().map(e -> e.get("iteration").asLong() + ":" + e.get("accuracy").asText())
                .toList();
    }

    @Test
    void resumingToTrainLongerEndsWhereAnUninterruptedRunDoes() throws Exception {
        Path run = tmp.resolve("longer");
        Result first = CommandLineTest.run(args(run, "--epochs", "1").toArray(String[]::new));
        assertEquals(0, first.code(), first.err());
        Result done = CommandLineTest.run("train", "--resume", run.toString());
        assertEquals(ExitCodes.USAGE, done.code(), done.err());
        assertTrue(done.err().contains("has already trained 1 epochs (iteration 30); give --epochs with more than 1"),
                done.err());

        Result resumed = CommandLineTest.run("train", "--resume", run.toString(), "--epochs", "3");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("Resuming from "), resumed.out());
        assertSameAsUninterrupted(run);
        // The newest two checkpoints are kept: after epochs 2 and 3.
        try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
            assertEquals(List.of("checkpoint-000000060.json", "checkpoint-000000060.zip", "checkpoint-000000090.json",
                    "checkpoint-000000090.zip"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aPeerExchangeRunResumedFromItsCheckpointEndsWhereItsUninterruptedRunDoes() throws Exception {
        Path whole = tmp.resolve("peer-whole");
        Result r = CommandLineTest.run(args(whole, "--epochs", "2", "--exchange", "allreduce")
                .toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        // A checkpoint mid-epoch (iteration 12), then resumed from it after the run has "ended".
        Path run = tmp.resolve("peer-resumed");
        Result first = CommandLineTest.run(args(run, "--epochs", "1", "--exchange", "allreduce",
                "--checkpoint-every", "12", "--checkpoint-every-epochs", "0").toArray(String[]::new));
        assertEquals(0, first.code(), first.err());
        Result resumed = CommandLineTest.run("train", "--resume", run.toString(), "--epochs", "2");
        assertEquals(0, resumed.code(), resumed.err());
        assertArrayEquals(model(whole).params().toFloatVector(), model(run).params().toFloatVector());
        assertArrayEquals(model(whole).getUpdater().getStateViewArray().toFloatVector(),
                model(run).getUpdater().getStateViewArray().toFloatVector());
        Set<String> seen = new HashSet<>();
        for (JsonNode e : events(run, "train_loss")) {
            assertTrue(seen.add(e.get("iteration").asLong() + "/" + e.get("worker").asInt()), "logged twice: " + e);
        }
        assertEquals(2 * 60, seen.size());
        assertEquals(accuracies(whole), accuracies(run));
    }

    @Test
    void aRunKilledMidEpochResumesFromItsLastCheckpoint() throws Exception {
        Path run = tmp.resolve("killed");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-Xmx") || a.startsWith("-Djdk.")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args(run, "--epochs", "3", "--checkpoint-every", "6", "--checkpoint-every-epochs", "0"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed.log").toFile()).start();
        Path checkpoints = run.resolve("checkpoints");
        long deadline = System.nanoTime() + 120_000_000_000L;
        // Kill it with SIGKILL once its second checkpoint (iteration 12, mid-epoch 1) is complete.
        while (!Files.exists(checkpoints.resolve("checkpoint-000000012.json")) && p.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the run ended before it could be killed: " + Files.readString(tmp.resolve("killed.log")));
        p.destroyForcibly().waitFor();
        assertTrue(!Files.exists(run.resolve("model.zip")), "killed before the end");
        long loggedBeyond = events(run, "train_loss").stream().mapToLong(e -> e.get("iteration").asLong()).max()
                .orElse(0);

        Result resumed = CommandLineTest.run("train", "--resume", run.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().matches("(?s).*Resuming from \\S+checkpoint-0000000(12|18|24)\\.zip.*"),
                resumed.out() + " (logged up to " + loggedBeyond + " before the kill)");
        assertSameAsUninterrupted(run);
        assertTrue(new File(run.toFile(), "summary.json").isFile());
    }

    @Test
    void anUnreadableNewestCheckpointFallsBackToTheOneBefore() throws Exception {
        Path run = tmp.resolve("corrupt");
        Result first = CommandLineTest.run(args(run, "--epochs", "2").toArray(String[]::new));
        assertEquals(0, first.code(), first.err());
        Path newest = run.resolve("checkpoints/checkpoint-000000060.zip");
        Files.write(newest, java.util.Arrays.copyOf(Files.readAllBytes(newest), 1000));

        Result resumed = CommandLineTest.run("train", "--resume", run.toString(), "--epochs", "3");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("checkpoint-000000030.zip: epoch 1, iteration 30"), resumed.out());
        assertSameAsUninterrupted(run);

        // With every checkpoint unreadable, the error names the newest and what is wrong with it.
        try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
            for (Path zip : files.filter(f -> f.toString().endsWith(".zip")).toList()) {
                Files.write(zip, new byte[] {1, 2, 3});
            }
        }
        Result none = CommandLineTest.run("train", "--resume", run.toString(), "--epochs", "4");
        assertEquals(ExitCodes.OUTPUT, none.code(), none.err());
        assertTrue(none.err().contains("no checkpoint of ") && none.err().contains("can be read back"), none.err());
    }

    /**
     * A real full disk: a tmpfs with room for the first checkpoint but not for the second beside it (mounting needs
     * root, as CI has). The run stops with one sentence naming the run directory, the run-time failure code and no
     * temporary file left; once space is freed, {@code --resume} continues from the checkpoint written before.
     */
    @Test
    void aRunWhoseDiskFillsUpStopsInOneSentenceAndResumesOnceSpaceIsFreed() throws Exception {
        long checkpoint = Files.size(uninterrupted.resolve("checkpoints/checkpoint-000000090.zip"));
        // config.json and the metrics take a few kB; the second checkpoint fails half-way.
        Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), checkpoint * 3 / 2 + 256 * 1024);
        org.junit.jupiter.api.Assumptions.assumeTrue(disk != null, "mounting a tmpfs needs root; skipped");
        try (disk) {
            Path run = disk.dir().resolve("run");
            Result full = CommandLineTest.run(args(run, "--epochs", "3", "--keep-checkpoints", "1")
                    .toArray(String[]::new));
            assertEquals(ExitCodes.RUNTIME_FAILURE, full.code(), full.err());
            assertEquals(1, full.err().strip().lines().count(), full.err());
            assertTrue(full.err().startsWith("fashion-spark: no space left on the device of file:" + run + ": "
                    + "checkpoints/checkpoint-000000060.zip was not written; the files written before it are intact; "
                    + "free some space, then continue the run with --resume file:" + run), full.err());
            FullDiskTest.assertNothingHalfWritten(disk.dir());
            assertTrue(Files.isRegularFile(run.resolve("checkpoints/checkpoint-000000030.json")));

            disk.grow(64L << 20);
            Result resumed = CommandLineTest.run("train", "--resume", run.toString());
            assertEquals(0, resumed.code(), resumed.err());
            assertTrue(resumed.out().contains("checkpoint-000000030.zip: epoch 1, iteration 30"), resumed.out());
            assertSameAsUninterrupted(run);
        }
    }

    @Test
    void resumeRefusesToChangeTheRunsSettingsAndNeedsACheckpoint() throws Exception {
        Result changed = CommandLineTest.run("train", "--resume", uninterrupted.toString(), "--workers", "4");
        assertEquals(ExitCodes.USAGE, changed.code());
        assertTrue(changed.err().contains("--workers cannot be changed, only --epochs"), changed.err());

        Result notARun = CommandLineTest.run("train", "--resume", data.toString());
        assertEquals(ExitCodes.OUTPUT, notARun.code());
        assertTrue(notARun.err().contains("not a fashion-spark run directory (no config.json)"), notARun.err());

        Path noCheckpoints = tmp.resolve("no-checkpoints");
        Result first = CommandLineTest.run(args(noCheckpoints, "--epochs", "1", "--checkpoint-every-epochs", "0")
                .toArray(String[]::new));
        assertEquals(0, first.code(), first.err());
        Result none = CommandLineTest.run("train", "--resume", noCheckpoints.toString(), "--epochs", "2");
        assertEquals(ExitCodes.OUTPUT, none.code());
        assertTrue(none.err().contains("has no complete checkpoint to resume from"), none.err());
    }
}
