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
    void bundledDefaultsAreTheConfFile() throws Exception {
        String conf = Files.readString(Path.of("conf/fashion-spark.properties"));
        String bundled;
        try (var in = ConfigDefaults.class.getResourceAsStream(ConfigDefaults.BUNDLED)) {
            bundled = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertEquals(conf, bundled);
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
