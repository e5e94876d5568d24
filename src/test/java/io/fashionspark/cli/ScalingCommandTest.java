package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.cli.CommandLineTest.Result;
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
        Path results = tmp.resolve("docs/scaling/results");
        Path report = tmp.resolve("docs/scaling.md");
        String[] common = {"scaling", "--models", "dnn", "--workers", "1,2", "--seeds", "5", "--epochs", "1",
            "--eval-images", "200", "--data", data.toString(), "--results", results.toString(), "--output",
            report.toString()};

        Result notes = CommandLineTest.run(concat(common, "--recipes", "notes"));
        assertEquals(0, notes.code(), notes.err());
        Files.writeString(report, Files.readString(report) + "\nThe analysis, by hand.\n");

        Result both = CommandLineTest.run(concat(common, "--recipes", "notes,tuned"));
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
        assertTrue(md.matches("(?s).*\\| notes +\\| +2 \\| +100 \\| +1 \\| +\\d+\\.\\d\\d% .*"), md);
        assertTrue(md.matches("(?s).*\\| tuned +\\| +1 \\| +100 \\| +1 \\| .*"), md);
        assertTrue(md.endsWith(ScalingReport.KEEP_MARKER + "\n\nThe analysis, by hand.\n"), md);
        assertTrue(Files.size(tmp.resolve("docs/scaling/dnn-tuned.png")) > 1000);
        // 800 images, 1 worker of batch 100, rounds of 5 steps: tests fall at round ends, after the 200th image
        // (at 500) and at the epoch's end (800), once each.
        String one = Files.readString(results.resolve("dnn-notes-w1-s5.json"));
        assertTrue(one.matches("(?s)[^$]*\"images\" : 500,[^$]*\"images\" : 800,[^$]*"), one);
        assertEquals(2, one.split("\"images\"").length - 1, one);
    }

    @Test
    void itsDefaultsAreItsOwnNotTheTrainingDefaults() {
        Result help = CommandLineTest.run("scaling", "--help");
        assertEquals(0, help.code(), help.err());
        // conf/fashion-spark.properties has workers=2 for train; the study's own default is every count.
        assertTrue(help.out().replaceAll("\\s+", " ")
                .contains("Worker counts (embedded local[N] master). Default: 1,2,4,8"), help.out());
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
