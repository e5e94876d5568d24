package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.IdxFixtures;
import io.fashionspark.cli.CommandLineTest.Result;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.metrics.EventNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A whole training run through the command line on an embedded local[2] Spark, on small learnable data the test
 * writes: the run directory's files, their content, and the refusal to overwrite a run.
 */
class TrainEndToEndTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path run;
    static Result result;
    static List<JsonNode> events;

    @BeforeAll
    static void trainOnce() throws Exception {
        data = IdxFixtures.writeDataset(tmp.resolve("data"), 1200, 300, 7);
        run = tmp.resolve("run");
        // 1200 / (2 workers x 20) = 30 iterations per epoch, averaged every 2, tested every 10.
        result = CommandLineTest.run("train", "--model", "dnn", "--data", data.toString(), "--output",
                run.toString(), "--workers", "2", "--batch-size", "20", "--averaging-frequency", "2", "--epochs",
                "2", "--eval-every", "10", "--seed", "3");
        ObjectMapper m = new ObjectMapper();
        events = new ArrayList<>();
        if (Files.exists(run.resolve("metrics.jsonl"))) {
            for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
                events.add(m.readTree(line));
            }
        }
    }

    private static List<JsonNode> events(String name) {
        return events.stream().filter(e -> e.get("event").asText().equals(name)).toList();
    }

    @Test
    void runSucceedsAndWritesEveryOutput() {
        assertEquals(0, result.code(), result.err());
        for (String f : List.of("model.zip", "metrics.jsonl", "metrics.csv", "summary.json")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertTrue(result.out().contains("Final test accuracy"), result.out());
        // What runs is said in words at the start, with the name that --exchange takes.
        assertTrue(result.out().contains("Training FashionDNN on 1200 images (testing on 300): 2 workers, batch 20, "
                + "2 epochs; the workers average among themselves (allreduce) every 2 minibatches"), result.out());
    }

    @Test
    void everyWorkerLossOfEveryIterationIsLoggedOnce() {
        List<JsonNode> losses = events(EventNames.TRAIN_LOSS);
        assertEquals(2 * 60, losses.size());
        Set<String> seen = new HashSet<>();
        for (JsonNode e : losses) {
            long it = e.get("iteration").asLong();
            int worker = e.get("worker").asInt();
            assertTrue(it >= 1 && it <= 60 && (worker == 0 || worker == 1), e.toString());
            assertTrue(seen.add(it + "/" + worker), "logged twice: " + e);
            assertTrue(Double.isFinite(e.get("loss").asDouble()));
            assertEquals(it <= 30 ? 1 : 2, e.get("epoch").asInt());
        }
        assertEquals(30, events(EventNames.ROUND).size());
    }

    @Test
    void testSetIsEvaluatedEveryTenIterationsAndAtEpochEnds() {
        List<JsonNode> tests = events(EventNames.TEST);
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L), tests.stream().map(e -> e.get("iteration").asLong()).toList());
        assertEquals(List.of(false, false, true, false, false, true),
                tests.stream().map(e -> e.get("epochEnd").asBoolean()).toList());
        assertEquals(2, events(EventNames.EPOCH).size());
    }

    @Test
    void trainingLearnsTheSyntheticClasses() throws Exception {
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        double acc = summary.get("finalTestAccuracy").asDouble();
        assertTrue(acc > 0.9, "final accuracy " + acc);
        List<JsonNode> tests = events(EventNames.TEST);
        assertEquals(tests.get(tests.size() - 1).get("accuracy").asDouble(), acc, 1e-12);
        long total = 0;
        for (JsonNode row : summary.get("confusionMatrix")) {
            for (JsonNode c : row) {
                total += c.asLong();
            }
        }
        assertEquals(300, total);
        assertEquals(10, summary.get("perClassAccuracy").size());
        assertEquals(60, summary.get("iterations").asLong());
        assertEquals("local[2]", summary.get("sparkMaster").asText());
        assertEquals(235146, summary.get("model").get("trainableParameters").asLong());
        assertEquals(2, summary.get("config").get("epochs").asInt());
    }

    @Test
    void savedModelReloadsWithUpdaterAndScoresTheSame() throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), true);
        assertTrue(net.getUpdater().getStateViewArray() != null, "Adam state saved");
        LabelledImages test = FashionMnistFiles.load(data.toString(), new Configuration()).test();
        int[] order = new int[test.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        var ds = test.batch(order, 0, order.length).toDataSet(784);
        INDArray predicted = net.output(ds.getFeatures()).argMax(1);
        INDArray truth = ds.getLabels().argMax(1);
        double acc = predicted.eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).sumNumber().doubleValue()
                / test.size();
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals(summary.get("finalTestAccuracy").asDouble(), acc, 1e-9);
    }

    @Test
    void csvHasARowPerEvent() throws Exception {
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(events.size() + 1, rows.size());
        assertTrue(rows.get(0).startsWith("event,timestamp_ms,epoch,iteration,worker,loss"));
    }

    @Test
    void refusesToOverwriteAnExistingRunAndLeavesItIntact() throws Exception {
        byte[] model = Files.readAllBytes(run.resolve("model.zip"));
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
        Result again = CommandLineTest.run("train", "--model", "dnn", "--data", data.toString(), "--output",
                run.toString(), "--batch-size", "20", "--epochs", "1");
        assertEquals(ExitCodes.OUTPUT, again.code(), again.err());
        assertTrue(again.err().contains("already holds a run") && again.err().contains("--overwrite"), again.err());
        assertArrayEquals(model, Files.readAllBytes(run.resolve("model.zip")));
        assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.jsonl")));
        assertFalse(Files.exists(run.resolve(".model.zip.tmp")));
    }

    @Test
    void theSameSeedReproducesTheRunExactly() throws Exception {
        Path again = tmp.resolve("again");
        Result r = CommandLineTest.run("train", "--model", "dnn", "--data", data.toString(), "--output",
                again.toString(), "--workers", "2", "--batch-size", "20", "--averaging-frequency", "2", "--epochs",
                "2", "--eval-every", "10", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        MultiLayerNetwork first = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), true);
        MultiLayerNetwork second = ModelSerializer.restoreMultiLayerNetwork(again.resolve("model.zip").toFile(), true);
        assertEquals(first.params(), second.params());
        assertEquals(first.getUpdater().getStateViewArray(), second.getUpdater().getStateViewArray());
    }

    @Test
    void batchLargerThanAWorkersShardIsAUsageError() {
        Result r = CommandLineTest.run("train", "--model", "dnn", "--data", data.toString(), "--output",
                tmp.resolve("big-batch").toString(), "--workers", "2", "--batch-size", "700", "--max-global-batch",
                "0");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--batch-size 700 times --workers 2 is more than the 1200 training images"),
                r.err());
    }
}
