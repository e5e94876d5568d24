package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fashionspark.HeadlessChromium;
import io.fashionspark.IdxFixtures;
import io.fashionspark.cli.CommandLineTest.Result;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run report end to end: two tiny real training runs (averaging every round and every third round) write
 * their report.html; {@code report} writes it again, compares the two, and refuses what is not a run. The pages
 * are opened in a real headless Chromium where one is installed.
 */
class ReportCommandTest {
    private static final List<String> RUN_CHARTS = List.of("loss.png", "accuracy.png", "throughput.png",
            "confusion.png", "per-class.png", "samples.png");

    @TempDir
    static Path tmp;
    static Path data;
    static Path runA;
    static Path runB;
    static Result trainA;

    @BeforeAll
    static void trainTwoRuns() throws Exception {
        data = IdxFixtures.writeDataset(tmp.resolve("data"), 600, 200, 11);
        runA = tmp.resolve("af-1");
        runB = tmp.resolve("af-3");
        // 600 / (2 workers x 20) = 15 iterations, tested every 5.
        trainA = train(runA, "1");
        Result trainB = train(runB, "3");
        assertEquals(0, trainA.code(), trainA.err());
        assertEquals(0, trainB.code(), trainB.err());
    }

    private static Result train(Path run, String averagingFrequency) {
        return CommandLineTest.run("train", "--model", "dnn", "--data", data.toString(), "--output", run.toString(),
                "--workers", "2", "--batch-size", "20", "--averaging-frequency", averagingFrequency, "--epochs", "1",
                "--eval-every", "5", "--seed", "5");
    }

    @Test
    void trainingWritesTheReportWithEveryChart() throws Exception {
        assertFalse(trainA.err().contains("no report.html"), trainA.err());
        assertTrue(Files.isRegularFile(runA.resolve("report.html")));
        assertRunCharts(runA.resolve("charts"));
        assertRunPage(Files.readString(runA.resolve("report.html")));
    }

    @Test
    void reportCommandWritesTheReportAgain() throws Exception {
        Path run = copyRun(runB, tmp.resolve("again"));
        Result r = CommandLineTest.run("report", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("report.html"), r.out());
        assertEquals("", r.err().strip(), "no warning for a complete run");
        assertRunCharts(run.resolve("charts"));
        String html = Files.readString(run.resolve("report.html"));
        assertRunPage(html);
        // Settings, versions and the Spark run are on the page.
        for (String s : List.of("averagingFrequency", "batchSize", "learningRate", "spark", "dl4j", "java",
                "local[2]", "FashionDNN")) {
            assertTrue(html.contains(s), "page lacks " + s);
        }
        // No temporary files left behind by the atomic writes.
        try (Stream<Path> files = Files.walk(run)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".")).toList());
        }
    }

    @Test
    void withoutTheDataTheReportStillRendersAndSaysWhy() throws Exception {
        Path run = copyRun(runA, tmp.resolve("no-data"));
        ObjectMapper m = new ObjectMapper();
        ObjectNode summary = (ObjectNode) m.readTree(run.resolve("summary.json").toFile());
        ((ObjectNode) summary.get("config")).put("data", tmp.resolve("moved-away").toString());
        m.writeValue(run.resolve("summary.json").toFile(), summary);
        Result r = CommandLineTest.run("report", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("no grid of test images") && r.err().contains("moved-away"), r.err());
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("class=\"note\">No image grid: The test images could not be read from"), html);
        assertEquals(5, count(html, "<img "));
        assertFalse(Files.exists(run.resolve("charts/samples.png")));
    }

    @Test
    void comparisonOverlaysTheRunsLabelledByWhatDiffers() throws Exception {
        Path page = tmp.resolve("compare/af.html");
        Result r = CommandLineTest.run("report", runA.toString(), runB.toString(), "--output", page.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("af-1 (averaging-frequency=1)") && r.out().contains("af-3 (averaging-frequency=3)"),
                r.out());
        String html = Files.readString(page);
        assertNoNetwork(html);
        assertTrue(html.contains("af-1 (averaging-frequency=1)") && html.contains("af-3 (averaging-frequency=3)"),
                "the charts' labels");
        // The runs table: a column for the setting that differs.
        assertTrue(html.contains("<th>averaging-frequency</th>"), html);
        assertTrue(html.contains("<tr><td>af-1</td><td>1</td>") && html.contains("<tr><td>af-3</td><td>3</td>"), html);
        assertTrue(html.contains("They differ in averaging-frequency."), "only the averaging frequency differs");
        assertEquals(3, count(html, "<img src=\"data:image/png;base64,"));
        for (String id : List.of("runs", "loss", "accuracy", "throughput", "settings", "versions")) {
            assertTrue(html.contains("<section id=\"" + id + "\">"), "no section " + id);
        }
        // The final accuracy of each run is in the table.
        assertTrue(html.contains("final test accuracy"));
        for (String chart : List.of("loss.png", "accuracy.png", "throughput.png")) {
            assertPng(tmp.resolve("compare/af-charts").resolve(chart), 600, 300);
        }
    }

    @Test
    void comparingWithoutOutputIsAUsageError() {
        Result r = CommandLineTest.run("report", runA.toString(), runB.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("comparing 2 runs writes one page: name it with --output FILE.html"), r.err());
    }

    @Test
    void aDirectoryThatIsNotARunIsRefusedInOneSentence() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
        Result r = CommandLineTest.run("report", empty.toString());
        assertEquals(ExitCodes.OUTPUT, r.code(), r.err());
        assertOneSentence(r.err(), empty, ": not a finished run directory: metrics.jsonl is missing "
                + "(train writes it as it trains)");

        Path absent = tmp.resolve("absent");
        Result missing = CommandLineTest.run("report", runA.toString(), absent.toString(), "--output",
                tmp.resolve("x.html").toString());
        assertEquals(ExitCodes.OUTPUT, missing.code(), missing.err());
        assertOneSentence(missing.err(), absent, ": run directory does not exist");
        assertFalse(Files.exists(tmp.resolve("x.html")));
    }

    @Test
    void aFailedReportLeavesThePreviousOneInPlace() throws Exception {
        Path run = copyRun(runA, tmp.resolve("broken-summary"));
        byte[] before = Files.readAllBytes(run.resolve("report.html"));
        Files.writeString(run.resolve("summary.json"), "{ \"tool\": ");
        Result r = CommandLineTest.run("report", run.toString());
        assertEquals(ExitCodes.OUTPUT, r.code(), r.err());
        assertTrue(r.err().contains("summary.json: is not a valid summary.json"), r.err());
        assertArrayEquals(before, Files.readAllBytes(run.resolve("report.html")));
    }

    @Test
    void pagesOpenInHeadlessChromiumWithEveryImageAndNoConsoleMessage() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(),
                "Debian's chromium is not installed (apt-get install chromium): the browser check is skipped");
        Path scratch = Files.createDirectories(tmp.resolve("browser"));
        // First prove the console check sees errors in this Chromium build, so a clean page means something.
        Path faulty = Files.writeString(scratch.resolve("faulty.html"),
                "<!DOCTYPE html><html><head><link rel=\"icon\" href=\"data:,\"></head><body>"
                        + "<script>console.error('report-test-error'); notDefined();</script></body></html>");
        HeadlessChromium.Page bad = HeadlessChromium.load(faulty, scratch);
        assertTrue(bad.consoleLines().stream().anyMatch(l -> l.contains("report-test-error")), bad.stderr());
        assertTrue(bad.consoleLines().stream().anyMatch(l -> l.contains("Uncaught")), bad.stderr());

        Path page = tmp.resolve("browser-compare.html");
        assertEquals(0, CommandLineTest.run("report", runA.toString(), runB.toString(), "--output",
                page.toString()).code());
        for (Path html : List.of(runA.resolve("report.html"), page)) {
            HeadlessChromium.Page loaded = HeadlessChromium.load(html, scratch);
            String source = Files.readString(html);
            int images = count(source, "<img ");
            assertTrue(loaded.dom().contains("data-report-ready=\"all-images-loaded\""),
                    html + ": not every image loaded: " + attributes(loaded.dom()));
            assertTrue(loaded.dom().contains("data-images-loaded=\"" + images + "\""),
                    html + ": expected " + images + " images: " + attributes(loaded.dom()));
            assertEquals(List.of(), loaded.consoleLines(), html + ": console messages");
        }
    }

    /** One line on stderr, naming the directory (as a file: URI, like the rest of the CLI's messages). */
    private static void assertOneSentence(String err, Path dir, String sentence) {
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("fashion-spark: ") && err.strip().endsWith(dir + sentence), err);
    }

    private static void assertRunPage(String html) {
        assertNoNetwork(html);
        for (String id : List.of("loss", "accuracy", "throughput", "confusion", "per-class", "samples",
                "configuration", "versions")) {
            assertTrue(html.contains("<section id=\"" + id + "\">"), "no section " + id);
        }
        assertEquals(RUN_CHARTS.size(), count(html, "<img src=\"data:image/png;base64,"));
        for (String chart : RUN_CHARTS) {
            assertTrue(html.contains("data-chart=\"" + chart + "\""), "page lacks " + chart);
        }
        assertTrue(html.contains("<table class=\"confusion\">"));
        assertTrue(html.contains("Ankle boot") && html.contains("T-shirt/top"), "class names");
        assertTrue(html.contains("final test accuracy"));
    }

    private static void assertRunCharts(Path charts) throws Exception {
        for (String chart : RUN_CHARTS) {
            assertPng(charts.resolve(chart), 600, 300);
        }
    }

    private static void assertPng(Path file, int minWidth, int minHeight) throws Exception {
        BufferedImage img = ImageIO.read(file.toFile());
        assertTrue(img != null, file + " is not an image");
        assertTrue(img.getWidth() >= minWidth && img.getHeight() >= minHeight && img.getWidth() <= 4000
                && img.getHeight() <= 4000, file + " is " + img.getWidth() + "x" + img.getHeight());
    }

    /** Self-contained: no URL to fetch anything from, in any attribute or style. */
    private static void assertNoNetwork(String html) {
        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("http://") || lower.contains("https://") || lower.contains("src=\"//"),
                "the page references the network");
        Matcher src = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (src.find()) {
            String url = src.group(1);
            assertTrue(url.startsWith("data:") || url.startsWith("#"), "external reference " + url);
        }
    }

    private static Path copyRun(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : List.of("metrics.jsonl", "summary.json", "model.zip", "report.html")) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
        return to;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static String attributes(String dom) {
        int end = dom.indexOf('>', dom.indexOf("<html"));
        return dom.substring(Math.max(0, dom.indexOf("<html")), end + 1);
    }
}
