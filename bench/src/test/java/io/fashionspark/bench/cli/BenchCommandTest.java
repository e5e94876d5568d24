package io.fashionspark.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench} end to end on tiny synthetic data: every scenario runs and the markdown report has the ratio rows,
 * the targets, the raw figures, the round breakdown, the full runs and the command that reproduces it. The
 * PyTorch reference is asked for with a Python that does not exist, so it is skipped with its message.
 */
class BenchCommandTest {
    @TempDir
    static Path tmp;
    static Path report;
    static BenchCommandLine.Result result;
    static String markdown;

    @BeforeAll
    static void benchOnce() throws Exception {
        Path data = IdxFixtures.writeDataset(tmp.resolve("data"), 160, 60, 11);
        report = tmp.resolve("docs").resolve("benchmarks.md");
        result = BenchCommandLine.run("bench", "--models", "dnn,cnn", "--images", "40", "--workers", "1,2",
                "--frequencies", "1,2", "--batch-size", "20", "--pytorch", "auto", "--python",
                tmp.resolve("no-such-python3").toString(), "--time-to-accuracy", "0.5", "--full-run-epochs", "1",
                "--full-run-eval-images", "40", "--peak-size", "128", "--peak-repetitions", "3", "--data",
                data.toString(), "--output", report.toString());
        markdown = Files.exists(report) ? Files.readString(report) : "";
    }

    @Test
    void runsAndWritesTheReport() {
        assertEquals(0, result.code(), result.err() + "\n" + result.out());
        assertTrue(Files.isRegularFile(report));
        assertTrue(result.out().contains(markdown), "the report is printed too");
        try (var files = Files.list(report.getParent())) {
            assertEquals(List.of(report.resolveSibling("benchmarks.json"), report), files.sorted().toList(),
                    "the report, its numbers, and no temporary file left behind");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theReportIsWrittenAgainFromItsNumbers() throws Exception {
        Path again = tmp.resolve("again.md");
        BenchCommandLine.Result r = BenchCommandLine.run("bench", "--from", report.resolveSibling("benchmarks.json")
                .toString(), "--output", again.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(markdown, Files.readString(again));
    }

    /** Every committed bench report that has its numbers beside it is what they render. */
    @Test
    void theCommittedReportsAreWhatTheirNumbersRender() throws Exception {
        List<Path> saved;
        try (var files = Files.list(Path.of(BenchCommand.RESULTS))) {
            saved = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(saved.isEmpty(), "no report with its numbers in " + BenchCommand.RESULTS);
        for (Path json : saved) {
            Path again = tmp.resolve("again-" + json.getFileName() + ".md");
            BenchCommandLine.Result r = BenchCommandLine.run("bench", "--from", json.toString(), "--output",
                    again.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(Files.readString(RoundCostCommand.markdownOf(json)), Files.readString(again), json.toString());
        }
    }

    @Test
    void reportHasTheRatioRowsForEveryWorkerCountFrequencyAndExchange() {
        for (String workers : List.of("1 worker", "2 workers")) {
            for (String every : List.of("1", "2")) {
                for (String exchange : List.of("driver", "allreduce")) {
                    String row = "| Spark " + workers + ", averaging every " + every + " (" + exchange
                            + ") / best single JVM (images/s) |";
                    Matcher m = Pattern.compile(Pattern.quote(row) + " (\\d+\\.\\d\\dx) \\| (\\d+\\.\\d\\dx) \\|")
                            .matcher(markdown);
                    assertTrue(m.find(), row + " with a ratio for both models in\n" + markdown);
                }
            }
        }
        assertTrue(markdown.contains("| Best single JVM / PyTorch (images/s) | skipped | skipped |"), markdown);
        assertTrue(markdown.contains("| Achieved / matmul peak, best DL4J |"), markdown);
    }

    @Test
    void reportHasTargetsRawFiguresAndBreakdown() {
        assertTrue(markdown.contains("| Spark 2 workers ≥ 0.90x the images/s of the best single JVM, FashionDNN | "),
                markdown);
        assertTrue(markdown.contains("FashionCNN training ≥ 30.00% of the measured matmul peak"), markdown);
        assertTrue(markdown.contains("| PyTorch reference | skipped |"), markdown);
        // Raw figures: 2 single-JVM rows and 4 Spark rows per exchange per model, each having trained the same 40
        // images; the Spark scenarios of both exchanges also have a row in the round breakdown.
        for (String scenario : List.of("single JVM, batch 20", "single JVM, batch 40")) {
            assertEquals(2, count(markdown, "| " + scenario + " | "), scenario + " in\n" + markdown);
        }
        for (String scenario : List.of("Spark 1 worker, avg every 1", "Spark 2 workers, avg every 2",
                "Spark 1 worker, allreduce every 1", "Spark 2 workers, allreduce every 2")) {
            assertEquals(4, count(markdown, "| " + scenario + " | "), scenario + " in\n" + markdown);
        }
        assertEquals(20, Pattern.compile("(?m)^\\| (single JVM|Spark)[^|]* \\| \\d+ \\| 40 \\| ").matcher(markdown)
                .results().count(), "every scenario trained 40 images:\n" + markdown);
        // Round breakdown: a row per Spark scenario, with a compute share.
        assertEquals(16, Pattern.compile("\\| Fashion[CD]NN \\| Spark .* \\| \\d+\\.\\d\\d% \\|").matcher(markdown)
                .results().count(), markdown);
        // Full runs: DL4J's of both models with both exchanges, on all 160 training images, and PyTorch's marked
        // skipped.
        assertTrue(markdown.contains("## Full runs"), markdown);
        for (String model : List.of("FashionDNN", "FashionCNN")) {
            assertTrue(markdown.contains("| " + model + " | DL4J + Spark parameter averaging | Spark 2 workers, batch "
                    + "20, avg every 5 | 160 | "), markdown);
            assertTrue(markdown.contains("| " + model + " | DL4J + Spark, the workers' ring all-reduce | Spark 2 "
                    + "workers, batch 20, avg every 5 | 160 | "), markdown);
            assertTrue(markdown.contains("| " + model + " | PyTorch reference | skipped |"), markdown);
        }
        assertTrue(markdown.contains("| FashionCNN time to 50.00% test accuracy reported, no worse than PyTorch's | "
                + "DL4J "), markdown);
        assertTrue(markdown.contains("conv2 2,654,208"), markdown);
    }

    @Test
    void reportNamesTheMachineAndTheCommandThatReproducesIt() {
        assertTrue(markdown.contains("bin/fashion-spark bench --models dnn,cnn --images 40 "), markdown);
        assertTrue(markdown.contains("- CPU: "), markdown);
        assertTrue(markdown.contains("- Cores the JVM uses: " + Runtime.getRuntime().availableProcessors()),
                markdown);
        assertTrue(result.out().contains("PyTorch reference skipped: python3-torch not installed "
                + "(apt-get install python3-torch libopenblas0-pthread)"), result.out());
        assertFalse(markdown.contains("NaN"), markdown);
    }

    @Test
    void trainDefaultsDoNotLeakIntoBench() {
        // conf/fashion-spark.properties has workers=2 and an empty output for train; bench keeps its own defaults.
        BenchCommandLine.Result help = BenchCommandLine.run("bench", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Default: 1,2"), help.out());
        assertTrue(help.out().replaceAll("\\s+", " ").contains("Default: bench/results/bench/<today, UTC>.md"),
                help.out());
    }

    private static long count(String text, String needle) {
        return Pattern.compile(Pattern.quote(needle)).matcher(text).results().count();
    }
}
