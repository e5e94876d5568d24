package io.fashionspark.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.Tmpfs;
import io.fashionspark.bench.MachineFacts;
import io.fashionspark.cli.ExitCodes;
import io.fashionspark.scaling.ScalingReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling study on small synthetic data: results per run, parts that resume, and the report they make. */
class ScalingCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theStudyRunsInPartsKeepsEveryResultAndWritesTheReport() throws Exception {
        Path data = IdxFixtures.writeDataset(tmp.resolve("data"), 800, 200, 7);
        Path results = tmp.resolve("results/scaling/results");
        Path report = tmp.resolve("results/scaling/study.md");
        String[] common = {"scaling", "--models", "dnn", "--workers", "1,2", "--seeds", "5", "--epochs", "1",
            "--eval-images", "200", "--data", data.toString(), "--results", results.toString(), "--output",
            report.toString()};

        BenchCommandLine.Result notes = BenchCommandLine.run(concat(common, "--recipes", "notes"));
        assertEquals(0, notes.code(), notes.err());
        Files.writeString(report, Files.readString(report) + "\nThe analysis, by hand.\n");

        BenchCommandLine.Result both = BenchCommandLine.run(concat(common, "--recipes", "notes,tuned"));
        assertEquals(0, both.code(), both.err());
        assertTrue(both.out().contains("dnn-notes-w2-s5.json: done before, kept"), both.out());
        assertTrue(both.out().contains("dnn-tuned-w2-s5.json: training"), both.out());
        try (Stream<Path> files = Files.list(results)) {
            assertEquals(List.of("dnn-notes-w1-s5.json", "dnn-notes-w2-s5.json", "dnn-tuned-w1-s5.json",
                    "dnn-tuned-w2-s5.json"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }

        String md = Files.readString(report);
        assertTrue(md.contains("Written by `bin/fashion-spark scaling --models dnn"), md);
        // Each part says how to train it again.
        assertTrue(md.contains("`bin/fashion-spark scaling --models dnn --recipes tuned --workers 1,2 --seeds 5 "
                + "--epochs 1`"), md);
        assertTrue(md.matches("(?s).*\\| notes +\\| +2 \\| +100 \\| +5 \\| +1 \\| +\\d+\\.\\d\\d% .*"), md);
        assertTrue(md.matches("(?s).*\\| tuned +\\| +1 \\| +100 \\| +5 \\| +1 \\| .*"), md);
        assertTrue(md.contains("| " + MachineFacts.identity() + " |"), "each part names its machine: " + md);
        assertTrue(md.endsWith(ScalingReport.KEEP_MARKER + "\n\nThe analysis, by hand.\n"), md);
        assertTrue(Files.size(tmp.resolve("results/scaling/study/dnn-tuned.png")) > 1000);
        // 800 images, 1 worker of batch 100, rounds of 5 steps: tests fall at round ends, after the 200th image
        // (at 500) and at the epoch's end (800), once each.
        String one = Files.readString(results.resolve("dnn-notes-w1-s5.json"));
        assertTrue(one.matches("(?s)[^$]*\"images\" : 500,[^$]*\"images\" : 800,[^$]*"), one);
        assertEquals(2, one.split("\"images\"").length - 1, one);
    }

    @Test
    void aFullDiskLeavesTheReportAndTheResultsAsTheyWere() throws Exception {
        Path data = IdxFixtures.writeDataset(tmp.resolve("data"), 800, 200, 7);
        Path results = tmp.resolve("results");
        String[] run = {"scaling", "--models", "dnn", "--recipes", "notes", "--workers", "1", "--seeds", "5",
            "--epochs", "1", "--eval-images", "200", "--data", data.toString(), "--results", results.toString()};
        BenchCommandLine.Result first = BenchCommandLine.run(concat(run, "--output", tmp.resolve("scaling.md").toString()));
        assertEquals(0, first.code(), first.err());
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), 64 * 1024)) {
            assumeTrue(disk != null, "mounting a tmpfs needs root; skipped");
            Path report = disk.dir().resolve("scaling.md");
            Files.writeString(report, "The study so far.\n" + ScalingReport.KEEP_MARKER + "\nBy hand.\n");
            Files.write(disk.dir().resolve("filler"), new byte[(int) Files.getFileStore(report).getUsableSpace()]);

            // Every run is done, so the study only writes its report and its charts: neither fits.
            BenchCommandLine.Result full = BenchCommandLine.run(concat(run, "--output", report.toString()));
            assertEquals(ExitCodes.RUNTIME_FAILURE, full.code(), full.err());
            assertEquals(1, full.err().strip().lines().count(), full.err());
            assertTrue(full.err().startsWith("fashion-spark: no space left on the device of "
                    + disk.dir().resolve("scaling") + ": dnn-notes.png was not written"), full.err());
            assertEquals("The study so far.\n" + ScalingReport.KEEP_MARKER + "\nBy hand.\n",
                    Files.readString(report));
            try (Stream<Path> left = Files.walk(disk.dir())) {
                assertEquals(List.of(), left.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
            }
            try (Stream<Path> kept = Files.list(results)) {
                assertEquals(List.of("dnn-notes-w1-s5.json"),
                        kept.map(f -> f.getFileName().toString()).toList());
            }
        }
    }

    @Test
    void itsDefaultsAreItsOwnNotTheTrainingDefaults() {
        BenchCommandLine.Result help = BenchCommandLine.run("scaling", "--help");
        assertEquals(0, help.code(), help.err());
        // conf/fashion-spark.properties has workers=2 for train; the study's own default is every count.
        assertTrue(help.out().replaceAll("\\s+", " ")
                .contains("Worker counts (embedded local[N] master). Default: 1,2,4,8"), help.out());
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
