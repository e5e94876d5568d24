package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fashionspark.Tmpfs;
import io.fashionspark.cli.CommandLineTest.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluate, report and predict writing to a real full disk (a tmpfs filled to the last byte; mounting needs root,
 * as CI has): one sentence naming the directory, the run-time failure code, a good earlier file left as it was
 * and nothing half-written. A run that fills its disk is ResumeTest's.
 */
class FullDiskTest {
    @TempDir
    static Path tmp;
    static Tmpfs disk;

    @BeforeAll
    static void fillADisk() throws Exception {
        TrainedModel.root();
        disk = Tmpfs.mount(tmp.resolve("disk"), 256 * 1024);
        assumeTrue(disk != null, "mounting a tmpfs needs root; skipped");
        Files.writeString(disk.dir().resolve("evaluation.json"), "{\"accuracy\": 0.5}");
        try (OutputStream filler = Files.newOutputStream(disk.dir().resolve("filler"))) {
            byte[] block = new byte[4096];
            while (true) {
                filler.write(block);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
        }
    }

    @AfterAll
    static void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    /** No temporary, partial or checksum file under {@code dir}. */
    static void assertNothingHalfWritten(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString())
                    .filter(n -> n.contains(".tmp") || n.endsWith(".crc") || n.endsWith(".previous")).toList(),
                    "nothing half-written left");
        }
    }

    private static void assertFailedInOneSentence(Result r, String file) throws IOException {
        assertFailedInOneSentence(r, disk.dir(), file);
    }

    private static void assertFailedInOneSentence(Result r, Path dir, String file) throws IOException {
        assertEquals(ExitCodes.RUNTIME_FAILURE, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("fashion-spark: no space left on the device of file:" + dir + ": " + file
                + " was not written; the files written before it are intact"), r.err());
        assertNothingHalfWritten(disk.dir());
        try (Stream<Path> files = Files.list(disk.dir())) {
            assertEquals(List.of("evaluation.json", "filler"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void evaluateLeavesTheEarlierEvaluationAsItWas() throws Exception {
        Path json = disk.dir().resolve("evaluation.json");
        Result r = CommandLineTest.run("evaluate", "--model", TrainedModel.model().toString(), "--data",
                TrainedModel.data().toString(), "--json", json.toString());
        assertFailedInOneSentence(r, "evaluation.json");
        assertEquals("{\"accuracy\": 0.5}", Files.readString(json));
    }

    @Test
    void reportLeavesNoChartsFolderBehind() throws Exception {
        Result r = CommandLineTest.run("report", TrainedModel.run().toString(), "--output",
                disk.dir().resolve("report.html").toString());
        // Charts are written first, into a folder of their own, which is removed again.
        assertFailedInOneSentence(r, disk.dir().resolve("report-charts"), "loss.png");
    }

    @Test
    void predictOnExecutorsLeavesNoHiddenOutputBehind() throws Exception {
        Result r = CommandLineTest.run("predict", "--model", TrainedModel.model().toString(), "--output",
                disk.dir().resolve("predictions").toString(), "--format", "csv",
                TrainedModel.data().resolve("t10k-images-idx3-ubyte.gz").toString());
        assertFailedInOneSentence(r, "predictions");
    }
}
