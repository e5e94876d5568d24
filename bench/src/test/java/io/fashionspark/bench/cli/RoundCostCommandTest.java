package io.fashionspark.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.IdxFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code round-cost} end to end on the embedded master ({@code local[1]} and {@code local[2]}) and tiny synthetic
 * data (no real data set needed): every point is measured, its phases add up to its round, the bytes are the
 * model's parameters and Adam state, the model is fitted and checked against every point, and the report is written
 * again, identical, from the JSON the measurement kept.
 */
class RoundCostCommandTest {
    @TempDir
    static Path tmp;
    static Path report;
    static BenchCommandLine.Result result;
    static String markdown;
    static JsonNode json;

    @BeforeAll
    static void measureOnce() throws Exception {
        Path data = IdxFixtures.writeDataset(tmp.resolve("data"), 200, 40, 3);
        report = tmp.resolve("docs").resolve("scaling-cost.md");
        // 3 rounds (1 kept aside + 2 timed) of 2 workers x 2 minibatches of 10: 120 images. A warm-up of 6 rounds
        // needs 240 at 2 workers, more than the 200 there are: it runs over them twice (5 rounds, then 1).
        result = BenchCommandLine.run("round-cost", "--models", "dnn,cnn", "--workers", "2", "--batch-size", "10",
                "--steps", "2", "--rounds", "2", "--repeats", "2", "--warm-up-rounds", "6", "--nodes", "4,16",
                "--links", "10", "--data",
                data.toString(), "--output", report.toString());
        markdown = Files.exists(report) ? Files.readString(report) : "";
        Path saved = tmp.resolve("docs").resolve("scaling-cost.json");
        json = Files.exists(saved) ? new ObjectMapper().readTree(saved.toFile()) : null;
    }

    @Test
    void measuresEveryPointAndWritesTheReportAndItsNumbers() {
        assertEquals(0, result.code(), result.err() + "\n" + result.out());
        assertTrue(result.out().contains(markdown), "the report is printed too");
        assertEquals(4, json.get("points").size(), "2 models x 2 worker counts");
        for (String section : new String[] {"## Bytes per round per worker", "## Phases of a round, driver's side",
            "## The cost model", "## Prediction against measurement", "## Projections for a cluster, FashionCNN",
            "## Assumptions and limits"}) {
            assertTrue(markdown.contains(section), section + " in\n" + markdown);
        }
        assertTrue(markdown.contains("round-cost --models dnn,cnn --workers 2"), "the command is in the report");
        assertTrue(markdown.contains("an untimed warm-up of 6 rounds"), "the warm-up asked for is reported");
        for (String exchange : List.of("driver", "peer")) {
            String one = "FashionDNN, 1 worker, every 2, " + exchange + " exchange: warm-up (6 rounds)";
            String two = "FashionDNN, 2 workers, every 2, " + exchange + " exchange: warm-up (6 rounds in 2 runs)";
            assertTrue(result.out().contains(one) && result.out().contains(two),
                    "a warm-up longer than the data goes over it again: " + result.out());
        }
        assertTrue(markdown.contains("| 16 | 10 | "), "a projection row for 16 nodes at 10 Gb/s");
    }

    @Test
    void thePeerExchangeIsMeasuredBesideTheDriversAtEveryPoint() {
        assertEquals(4, json.get("peerPoints").size(), "2 models x 2 worker counts");
        for (JsonNode point : json.get("peerPoints")) {
            // The notes' recipe averages the parameters and Adam's two moments (of every parameter but batch
            // normalisation's running statistics, which Adam does not update).
            long parameters = point.get("parameters").asLong();
            long floats = point.get("averagedFloats").asLong();
            assertTrue(floats <= 3 * parameters && floats > 2.99 * parameters, point.toString());
            assertEquals(2, point.get("repeats").size());
            assertEquals(2, point.get("stageFixedMs").size());
            for (JsonNode run : point.get("repeats")) {
                double round = run.get("roundMs").asDouble();
                // Each worker's fitting is part of its round; the slowest worker's fitting can outlast the mean
                // round where that worker started its round early (it left the last all-reduce first).
                double fitMean = run.get("fitMeanMs").asDouble();
                assertTrue(fitMean > 0 && fitMean <= round && run.get("fitMs").asDouble() >= fitMean, run.toString());
                assertTrue(run.get("exchangeMs").asDouble() <= run.get("exchangeMeanMs").asDouble(), run.toString());
                // The embedded master's tasks share the driver's memory: nothing is sent.
                assertEquals(0, run.get("sentBytes").asDouble(), run.toString());
            }
        }
        for (String section : new String[] {"## Both exchanges side by side", "## The peer exchange's rounds",
            "## The peer exchange's cost model", "## Projections for a cluster, FashionCNN, both exchanges"}) {
            assertTrue(markdown.contains(section), section + " in\n" + markdown);
        }
        assertTrue(markdown.contains("| 16 | 8 cores | 128 | 10 | 2 | "), "a projection row for 16 full nodes");
    }

    @Test
    void eachRoundsPhasesAddUpAndItsBytesAreParametersAndAdamState() {
        for (JsonNode point : json.get("points")) {
            long parameters = point.get("parameters").asLong();
            // The embedded master does not compress broadcasts: parameters and two Adam moments as floats, plus
            // the configuration.
            double floats = 3.0 * parameters * 4;
            assertEquals(floats, point.get("broadcastBytes").asDouble(), 0.02 * floats, point.toString());
            assertEquals(2, point.get("repeats").size());
            for (JsonNode run : point.get("repeats")) {
                double sum = run.get("broadcastMs").asDouble() + run.get("launchMs").asDouble()
                        + run.get("workerSpanMs").asDouble() + run.get("resultsMs").asDouble()
                        + run.get("otherMs").asDouble();
                assertEquals(run.get("wallMs").asDouble(), sum, 1e-6, run.toString());
                assertTrue(run.get("computeMs").asDouble() > 0, run.toString());
                assertEquals(floats, run.get("resultBytes").asDouble(), 0.02 * floats, "a worker's result");
                assertEquals(point.get("workers").asInt(), run.get("driverResults").asInt(),
                        "1 and 2 workers send straight to the driver");
            }
        }
    }

    @Test
    void aMeasurementOverALinkIsPredictedWithAnothersConstantsPlusTheWire() throws Exception {
        Path saved = tmp.resolve("docs").resolve("scaling-cost.json");
        Path check = tmp.resolve("link.md");
        BenchCommandLine.Result r = BenchCommandLine.run("round-cost", "--from", saved.toString(), "--fit-from", saved.toString(),
                "--link-gbps", "0.001", "--setup", "A link of 1 Mb/s.", "--output", check.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(check);
        assertTrue(md.contains("A link of 1 Mb/s."), md);
        // At 1 Mb/s the CNN's 2 x 17.7 MB of a round take minutes of wire: every prediction is far above the
        // loopback's measurement, and says so.
        Matcher m = Pattern.compile("\\| FashionCNN \\| 1 \\| ([0-9,]+) \\| ([0-9,]+) \\|").matcher(md);
        assertTrue(m.find(), md);
        double wire = Double.parseDouble(m.group(2).replace(",", ""));
        assertTrue(wire > 100_000, "wire time of a round at 1 Mb/s, ms: " + wire);
        assertTrue(md.contains("**no**"), md);
        assertEquals(2, BenchCommandLine.run("round-cost", "--fit-from", saved.toString()).code(),
                "--fit-from alone is a usage error");
    }

    /** Timed runs the training set cannot hold are refused before anything is measured, and nothing is written. */
    @Test
    void runsLongerThanTheDataAreRefusedInOneSentence() {
        Path out = tmp.resolve("refused").resolve("report.md");
        BenchCommandLine.Result r = BenchCommandLine.run("round-cost", "--models", "dnn", "--workers", "2",
                "--batch-size", "10", "--steps", "2", "--rounds", "10", "--data", tmp.resolve("data").toString(),
                "--output", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("11 rounds of 1 worker x 2 minibatches of 10 need 220 training images, "
                + "more than the 200 there are; lower --rounds or --steps"), r.err());
        assertFalse(r.err().contains("a minibatch of 10 on one executor alone"), "refused before the step times");
        assertFalse(Files.exists(out), "no report");
    }

    @Test
    void eachModelsStepTimeIsMeasuredApartAndIsTheModelsTStep() {
        assertEquals(2, json.get("stepTimes").size(), "one per model");
        for (JsonNode t : json.get("stepTimes")) {
            assertEquals(10, t.get("batchSize").asInt());
            assertEquals(4, t.get("steps").asInt(), "2 steps x 2 rounds a run");
            assertEquals(2, t.get("runsMs").size(), "one per repeat");
            t.get("runsMs").forEach(ms -> assertTrue(ms.asDouble() > 0, t.toString()));
            // The model's t_step is the runs' mean, not a fit on the rounds.
            double mean = (t.get("runsMs").get(0).asDouble() + t.get("runsMs").get(1).asDouble()) / 2;
            String name = t.get("model").asText().equals("DNN") ? "FashionDNN" : "FashionCNN";
            String row = String.format(Locale.ROOT, "| t_step, %s | %,.1f ms | measured on a core of its own, apart "
                    + "from the rounds", name, mean);
            assertTrue(markdown.contains(row), row + " in\n" + markdown);
        }
        assertTrue(markdown.contains("## A minibatch on a core of its own"), markdown);
    }

    @Test
    void everyReportInTheResultsIsWhatItsNumbersRender() throws Exception {
        // A link check needs its setup paragraph and link speed too; the measurements (a date, or a date and -warm
        // for a longer warm-up of one point) need only their numbers.
        List<Path> reports;
        try (Stream<Path> files = Files.list(Path.of(RoundCostCommand.RESULTS))) {
            reports = files.filter(f -> f.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}(-warm)?\\.md"))
                    .sorted().toList();
        }
        assertTrue(reports.size() >= 2, "reports in " + RoundCostCommand.RESULTS + ": " + reports);
        for (Path report : reports) {
            Path again = tmp.resolve("again-" + report.getFileName());
            Path json = report.resolveSibling(report.getFileName().toString().replace(".md", ".json"));
            BenchCommandLine.Result r = BenchCommandLine.run("round-cost", "--from", json.toString(), "--output",
                    again.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(Files.readString(report), Files.readString(again), report.toString());
        }
    }

    @Test
    void aMeasurementSavedBeforeStepTimesWereTakenIsStillRead() throws Exception {
        // The 2026-11-26 link check's loopback fit has no step times: its model fits t_step on the rounds.
        Path again = tmp.resolve("old.md");
        BenchCommandLine.Result r = BenchCommandLine.run("round-cost", "--from",
                Path.of(RoundCostCommand.RESULTS, "2026-11-26-link-fit.json").toString(), "--output", again.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(again).startsWith("# What a parameter-averaging round costs"), r.out());
    }

    @Test
    void theReportIsWrittenAgainFromTheSavedNumbers() throws Exception {
        Path again = tmp.resolve("again.md");
        BenchCommandLine.Result r = BenchCommandLine.run("round-cost", "--from", tmp.resolve("docs").resolve("scaling-cost.json")
                .toString(), "--output", again.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(markdown, Files.readString(again));
    }
}
