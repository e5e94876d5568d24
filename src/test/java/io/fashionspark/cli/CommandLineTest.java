package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, defaults from conf/, and one-sentence errors with exit codes. */
class CommandLineTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpShowsEveryKnobWithItsDefaultFromConf() {
        Result r = run("train", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--averaging-frequency") && r.out().contains("Default: 5"), r.out());
        assertTrue(r.out().contains("--batch-size") && r.out().contains("Default: 100"), r.out());
        assertTrue(r.out().contains("Default: /usr/share/datasets/fashion-mnist"), r.out());
    }

    @Test
    void theConfFileIsWhatPrintConfigWritesOfTheDefaults() throws Exception {
        // The defaults are declared with the settings; conf/ is their rendering, so that it cannot drift from them.
        Result r = run("train", "--print-config");
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(Path.of("conf/fashion-spark.properties")), r.out(),
                "conf/fashion-spark.properties is out of date: write it with bin/fashion-spark train --print-config");
    }

    @Test
    void printConfigWritesTheSettingsThatTheOtherOptionsGive(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("mine.properties");
        Files.writeString(file, "workers=4\n");
        Result r = run("train", "--config", file.toString(), "--lr-decay", "step", "--print-config");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\nworkers=4\n") && r.out().contains("\nlr-decay=step\n")
                && r.out().contains("\nbatch-size=100\n"), r.out());
        // What it prints is a config file train takes back.
        Files.writeString(file, r.out());
        Result back = run("train", "--config", file.toString(), "--dry-run");
        assertEquals(0, back.code(), back.err());
        assertTrue(back.out().contains("\"workers\" : 4") && back.out().contains("\"lrDecay\" : \"STEP\""),
                back.out());
    }

    @Test
    void dryRunPrintsTheResolvedConfigurationAndTheSummary() {
        Result r = run("train", "--dry-run", "--model", "dnn", "--epochs", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"epochs\" : 3") && r.out().contains("\"averagingFrequency\" : 5"), r.out());
        assertTrue(r.out().contains("Trainable parameters: 235,146"), r.out());
    }

    @Test
    void configFileOverridesBundledDefaultsAndFlagsOverrideBoth(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("my.properties"), "model=lenet\nepochs=7\n");
        Result r = run("train", "--config", conf.toString(), "--dry-run", "--epochs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"model\" : \"LENET\"") && r.out().contains("\"epochs\" : 2"), r.out());
        assertTrue(r.out().contains("\"batchSize\" : 100"), "keys the file lacks keep the bundled default");
    }

    @Test
    void unknownConfigKeySuggestsTheRightOne(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.properties"), "batchsize=10\n");
        Result r = run("train", "--config", conf.toString(), "--dry-run");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("unknown key 'batchsize'; did you mean 'batch-size'?"), r.err());
    }

    @Test
    void missingConfigFileIsAUsageError(@TempDir Path dir) {
        Result r = run("train", "--config", dir.resolve("none.properties").toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("config file does not exist"), r.err());
    }

    @Test
    void unknownFlagSuggestsTheRightOne() {
        Result r = run("train", "--epoch", "3");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--epoch") && r.err().contains("--epochs"), r.err());
    }

    @Test
    void unknownModelAndBadNumbersAreUsageErrors() {
        Result r = run("train", "--model", "resnet", "--dry-run");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("unknown model 'resnet': choose one of dnn, cnn, lenet"), r.err());
        Result zero = run("train", "--workers", "0", "--dry-run");
        assertEquals(ExitCodes.USAGE, zero.code());
        assertTrue(zero.err().contains("--workers (the number of parallel model replicas) must be at least 1"),
                zero.err());
    }

    @Test
    void everyBadNumberIsAUsageErrorNamingTheOption() {
        String[][] cases = {
            {"--epochs", "0", "--epochs (passes over the training set) must be at least 1, got 0"},
            {"--epochs", "-2", "--epochs (passes over the training set) must be at least 1, got -2"},
            {"--workers", "-1", "--workers (the number of parallel model replicas) must be at least 1"},
            {"--batch-size", "0", "--batch-size (examples per minibatch on each worker) must be at least 1"},
            {"--averaging-frequency", "0", "--averaging-frequency (minibatches between parameter averagings) must"},
            {"--learning-rate", "0", "--learning-rate must be a positive number, got 0.0"},
            {"--learning-rate", "-0.1", "--learning-rate must be a positive number, got -0.1"},
            {"--learning-rate", "NaN", "--learning-rate must be a positive number, got NaN"},
            {"--learning-rate", "fast", "--learning-rate must be a number, got 'fast'"},
            {"--epochs", "five", "--epochs must be a whole number, got 'five'"},
            {"--keep-checkpoints", "0", "--keep-checkpoints (checkpoints kept in the run directory) must be at least 1"},
            {"--progress", "fancy", "--progress must be auto, bar, lines or none, got 'fancy'"},
        };
        for (String[] c : cases) {
            Result r = run("train", c[0], c[1], "--dry-run");
            assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", c));
            assertTrue(r.err().contains(c[2]), c[0] + " " + c[1] + ": " + r.err());
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("fashion-spark: ")).count(), r.err());
        }
    }

    @Test
    void anUnreadableConfigFileIsAUsageError(@TempDir Path dir) {
        Result r = run("train", "--config", dir.toString(), "--dry-run");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains(dir.toString()), r.err());
        assertTrue(r.err().startsWith("fashion-spark: "), r.err());
    }

    @Test
    void missingDataDirectoryIsADataErrorThatNamesIt(@TempDir Path dir) {
        Result r = run("train", "--model", "dnn", "--data", dir.resolve("absent").toString(), "--output",
                dir.resolve("run").toString());
        assertEquals(ExitCodes.DATA, r.code(), r.err());
        assertTrue(r.err().contains("absent: data directory does not exist"), r.err());
    }

    @Test
    void summaryCommandPrintsTheTable() {
        Result r = run("summary", "--model", "lenet");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Trainable parameters: 61,706"), r.out());
    }
}
