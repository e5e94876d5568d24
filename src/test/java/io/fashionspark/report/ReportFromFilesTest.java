package io.fashionspark.report;

import io.fashionspark.config.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.TestConfigs;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.data.FashionClasses;
import io.fashionspark.metrics.AveragingRound;
import io.fashionspark.metrics.EpochEnd;
import io.fashionspark.metrics.JsonLinesSink;
import io.fashionspark.metrics.TestEvaluation;
import io.fashionspark.metrics.WorkerIteration;
import io.fashionspark.model.ModelKind;
import io.fashionspark.rundir.OutputException;
import io.fashionspark.rundir.RunDirectory;
import io.fashionspark.rundir.RunSummary;
import io.fashionspark.runtime.Versions;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports from run directories the test writes with the project's own summary record and metrics sink (no Spark,
 * no training): what a crashed, empty or odd run directory gives, and how runs are labelled when compared.
 */
class ReportFromFilesTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path tmp;

    @Test
    void aRunWithoutModelOrDataStillGetsEveryChartAndANote() throws Exception {
        Path run = writeRun(tmp.resolve("run"), config("dnn", 5, tmp.resolve("no-data")), 3, 40);
        TrainingReport.Written w = TrainingReport.write(RunDirectory.prepare(run.toString(), true, CONF), CONF);
        assertEquals(5, w.charts());
        assertTrue(w.missingGridReason().contains("no-data"), w.missingGridReason());
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("No image grid: The test images could not be read"), html);
        for (String chart : List.of("loss", "accuracy", "throughput", "confusion", "per-class")) {
            BufferedImage img = ImageIO.read(run.resolve("charts/" + chart + ".png").toFile());
            assertTrue(img.getWidth() >= 600 && img.getHeight() >= 300, chart + " " + img.getWidth());
        }
    }

    @Test
    void atTheEndOfTrainingAReportThatCannotBeWrittenIsAWarningNamingTheRetry() throws Exception {
        Path run = writeRun(tmp.resolve("half"), config("dnn", 5, tmp), 2, 5);
        Files.delete(run.resolve("summary.json"));
        List<String> warnings = new java.util.ArrayList<>();
        assertFalse(TrainingReport.writeOrWarn(RunDirectory.prepare(run.toString(), true, CONF), CONF,
                warnings::add));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("no report.html (") && warnings.get(0).contains("summary.json is missing")
                && warnings.get(0).endsWith("write it later with: fashion-spark report " + run.toUri().toString()
                .replaceFirst("/$", "").replace("file:///", "file:/")), warnings.get(0));
        assertFalse(Files.exists(run.resolve("report.html")));
    }

    @Test
    void aRunThatRecordedNoEventsShowsWhyEachChartIsEmpty() throws Exception {
        Path run = writeRun(tmp.resolve("empty"), config("cnn", 5, tmp), 2, 0);
        TrainingReport.write(RunDirectory.prepare(run.toString(), true, CONF), CONF);
        String html = Files.readString(run.resolve("report.html"));
        assertEquals(5, html.split("<img ", -1).length - 1, "every chart, drawn as a placeholder");
        BufferedImage loss = ImageIO.read(run.resolve("charts/loss.png").toFile());
        assertEquals(ChartRenderer.WIDTH, loss.getWidth());
    }

    @Test
    void aLastLineCutShortByACrashIsSkippedButABrokenLineElsewhereIsNamed() throws Exception {
        Path run = writeRun(tmp.resolve("cut"), config("dnn", 5, tmp), 2, 10);
        Files.writeString(run.resolve("metrics.jsonl"), "{\"event\":\"train_loss\",\"iter",
                java.nio.file.StandardOpenOption.APPEND);
        RunResults read = RunReader.read(run.toString(), CONF);
        assertEquals(2 * 10, read.workerLosses().size());

        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        lines.set(3, "not json");
        Files.write(run.resolve("metrics.jsonl"), lines);
        OutputException e = assertThrows(OutputException.class, () -> RunReader.read(run.toString(), CONF));
        assertTrue(e.getMessage().endsWith("metrics.jsonl: line 4 is not JSON: Unrecognized token 'not': "
                + "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                e.getMessage());
    }

    @Test
    void readsARunDirectoryGivenAsAHadoopUri() throws Exception {
        Path run = writeRun(tmp.resolve("uri"), config("dnn", 5, tmp), 2, 10);
        RunResults read = RunReader.read(run.toUri().toString(), CONF);
        assertEquals("uri", read.name());
        assertEquals(List.of(0, 1), List.copyOf(read.workers()));
        assertEquals(10, read.meanWorkerLossPerIteration().size());
        assertEquals((2.95 + 3.95) / 2, read.meanWorkerLossPerIteration().get(1L), 1e-9, "mean of workers 0 and 1");
    }

    @Test
    void valuesFromTheRunAreEscapedNotInterpreted() throws Exception {
        TrainingConfig cfg = config("dnn", 5, tmp).toBuilder().with(Settings.DATA, "/tmp/<script>alert(1)</script>")
                .build();
        Path run = writeRun(tmp.resolve("escape"), cfg, 2, 5);
        TrainingReport.write(RunDirectory.prepare(run.toString(), true, CONF), CONF);
        String html = Files.readString(run.resolve("report.html"));
        assertFalse(html.contains("<script>alert"), "raw markup from summary.json");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    @Test
    void comparedRunsAreLabelledByTheSettingsThatDifferAndDistinctNames() throws Exception {
        RunResults a = RunReader.read(writeRun(tmp.resolve("a/run"), config("dnn", 1, tmp), 2, 5).toString(), CONF);
        RunResults b = RunReader.read(writeRun(tmp.resolve("b/run"), config("dnn", 10, tmp), 2, 5).toString(), CONF);
        RunResults c = RunReader.read(writeRun(tmp.resolve("c"), config("lenet", 10, tmp), 2, 5).toString(), CONF);
        RunComparison cmp = RunComparison.of(List.of(a, b, c));
        assertEquals(List.of("model", "averaging-frequency"), cmp.differingSettings());
        assertEquals(List.of("a/run (model=dnn, averaging-frequency=1)", "b/run (model=dnn, averaging-frequency=10)",
                "c (model=lenet, averaging-frequency=10)"), cmp.labels());
        assertEquals("2", cmp.sharedSettings().get("workers"));
        assertFalse(cmp.sharedSettings().containsKey("output"), "output differs by nature; never compared");

        Path page = tmp.resolve("out/cmp.html");
        ComparisonReport.write(List.of(a, b, c), ReportOutput.toFile(page.toString(), CONF), CONF);
        String html = Files.readString(page);
        assertEquals(3, html.split("<img ", -1).length - 1);
        assertTrue(Files.isRegularFile(tmp.resolve("out/cmp-charts/throughput.png")));
        assertThrows(OutputException.class, () -> ReportOutput.toFile(tmp.resolve("out").toString(), CONF),
                "a directory is not a page");
    }

    @Test
    void aSummaryWithNothingButItsShapeStillMakesAPage() {
        RunResults r = new RunResults("x", "/x", new RunSummary(null, null, null, null, null, null, null, null, 0, 0,
                Double.NaN, Double.NaN, null, null, null), List.of(), List.of(), List.of(), List.of());
        assertEquals(Map.of(), r.config());
        assertEquals(0, r.trainingStartMs());
        assertTrue(Double.isNaN(r.imagesPerSecond()));
        assertEquals("unknown model", r.modelName());
        SampleGrid g = SamplePredictor.predict(r, CONF, 20);
        assertFalse(g.available());
        String html = RunReportPage.html(r, ReportCharts.forRun(r, g), g, java.time.Instant.EPOCH);
        assertEquals(5, html.split("<img ", -1).length - 1, "placeholders");
        assertTrue(html.contains("No image grid: summary.json&#39;s config names no model or no data directory."));
        assertTrue(html.contains("n/a"), "accuracy unknown");
    }

    static TrainingConfig config(String model, int averagingFrequency, Path data) {
        return TestConfigs.small(ModelKind.parse(model), data)
                .with(Settings.OUTPUT, "runs/whatever-" + averagingFrequency + "-" + model)
                .with(Settings.AVERAGING_FREQUENCY, averagingFrequency).build();
    }

    /**
     * A run directory as train leaves it, less model.zip: a summary with a varied confusion matrix and
     * {@code iterations} iterations of {@code workers} workers' losses, a round per iteration, a test every 5.
     */
    static Path writeRun(Path dir, TrainingConfig config, int workers, int iterations) throws Exception {
        Files.createDirectories(dir);
        long[][] confusion = new long[10][10];
        Map<String, Double> perClass = new LinkedHashMap<>();
        for (int t = 0; t < 10; t++) {
            confusion[t][t] = 90 - 4L * t;
            confusion[t][(t + 3) % 10] = 4L * t;
            confusion[t][(t + 1) % 10] = 10;
            perClass.put(FashionClasses.NAMES.get(t), (90 - 4.0 * t) / 100);
        }
        RunSummary summary = new RunSummary("fashion-spark", config,
                new Versions(null, "3.5.7", null, null, null, null, "17"), "local[2]", "local-1", "abc123",
                new RunSummary.ModelFacts("FashionDNN", null, null), new RunSummary.Timings(12.5, null, null, 1234.5678),
                iterations, iterations * 40L, 0.73, 0.81,
                FashionClasses.NAMES, perClass, confusion);
        try (OutputStream out = Files.newOutputStream(dir.resolve("summary.json"))) {
            summary.writeTo(out);
        }
        long t0 = 1_700_000_000_000L;
        try (JsonLinesSink sink = new JsonLinesSink(Files.newOutputStream(dir.resolve("metrics.jsonl")))) {
            for (int it = 1; it <= iterations; it++) {
                for (int w = 0; w < workers; w++) {
                    sink.onWorkerIteration(new WorkerIteration(t0 + it * 100L, 1, it, w, 3 + w - it * 0.05, 20));
                }
                sink.onRound(new AveragingRound(t0 + it * 100L, 1, it, it, 3.4 - it * 0.05, 40, 0.1,
                        400 + 30 * Math.sin(it)));
                if (it % 5 == 0) {
                    sink.onEvaluation(new TestEvaluation(t0 + it * 100L + 20, 1, it, it * 40L, 0.5 + it * 0.005,
                            2.5 - it * 0.04, it == iterations, 0.02));
                }
            }
            if (iterations > 0) {
                sink.onEpochEnd(new EpochEnd(t0 + iterations * 100L + 50, 1, iterations, iterations * 40,
                        iterations * 0.1, 380));
            }
        }
        return dir;
    }
}
