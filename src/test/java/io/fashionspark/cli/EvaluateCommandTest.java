package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.cli.CommandLineTest.Result;
import io.fashionspark.data.FashionClasses;
import io.fashionspark.savedmodel.SavedModelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} through the CLI on a small trained FashionDNN on an embedded local[2] Spark: the tables, the JSON
 * and its consistency with the confusion matrix, and one-sentence errors for files that are not usable models.
 */
class EvaluateCommandTest {
    @TempDir
    static Path tmp;
    static Result result;
    static JsonNode json;

    @BeforeAll
    static void evaluateOnce() throws Exception {
        result = CommandLineTest.run("evaluate", "--model", TrainedModel.model().toString(), "--data",
                TrainedModel.data().toString(), "--workers", "2");
        Path file = TrainedModel.run().resolve("evaluation.json");
        json = Files.exists(file) ? new ObjectMapper().readTree(file.toFile()) : null;
    }

    @Test
    void printsAccuracyThePerClassTableAndTheConfusionMatrix() {
        assertEquals(0, result.code(), result.err());
        String out = result.out();
        assertTrue(out.contains("Model " + TrainedModel.model() + ": FashionDNN, 235,146 parameters, input 784"), out);
        assertTrue(out.contains("Evaluating on 300 test images"), out);
        assertTrue(out.matches("(?s).*Accuracy \\d+\\.\\d\\d% \\(\\d+ of 300 correct\\), mean cross-entropy loss "
                + "\\d\\.\\d{4}.*"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("class\\s+precision\\s+recall\\s+F1\\s+support")), out);
        for (String name : FashionClasses.NAMES) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(name + " ") && l.matches(".*%\\s+\\d+")),
                    "a table row for " + name + ": " + out);
        }
        assertTrue(out.contains("macro average") && out.contains("weighted average"), out);
        assertTrue(out.contains("Confusion matrix (rows: true class, columns: predicted class)"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("true \\ predicted") && l.contains("T-shirt/top")
                && l.contains("Ankle boot")), out);
        assertTrue(out.contains("Wrote file:" + TrainedModel.run().resolve("evaluation.json")), out);
    }

    @Test
    void jsonBesideTheModelIsConsistentWithItsConfusionMatrix() throws Exception {
        assertTrue(json != null, "evaluation.json beside the model");
        JsonNode matrix = json.get("confusionMatrix");
        assertEquals(10, matrix.size());
        long total = 0;
        long trace = 0;
        long[] rows = new long[10];
        long[] cols = new long[10];
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                long c = matrix.get(t).get(p).asLong();
                total += c;
                rows[t] += c;
                cols[p] += c;
                if (t == p) {
                    trace += c;
                }
            }
        }
        assertEquals(300, total);
        assertEquals(300, json.get("images").asLong());
        assertEquals((double) trace / total, json.get("accuracy").asDouble(), 1e-12, "accuracy = trace / total");
        assertTrue(json.get("accuracy").asDouble() > 0.9, "the trained model learnt: " + json.get("accuracy"));
        for (int k = 0; k < 10; k++) {
            JsonNode c = json.get("classes").get(k);
            long diagonal = matrix.get(k).get(k).asLong();
            assertEquals(FashionClasses.NAMES.get(k), c.get("name").asText());
            assertEquals(rows[k], c.get("support").asLong());
            assertEquals((double) diagonal / rows[k], c.get("recall").asDouble(), 1e-12, "recall = diagonal / row");
            if (cols[k] > 0) {
                assertEquals((double) diagonal / cols[k], c.get("precision").asDouble(), 1e-12,
                        "precision = diagonal / column");
            } else {
                assertTrue(c.get("precision").isNull(), "a class never predicted has no precision");
            }
            assertEquals(2.0 * diagonal / (rows[k] + cols[k]), c.get("f1").asDouble(), 1e-12);
        }
        assertEquals(FashionClasses.NAMES.size(), json.get("classNames").size());
        assertTrue(json.get("loss").asDouble() > 0);
        assertEquals("FashionDNN", json.get("model").get("architecture").asText());
        assertEquals("local[2]", json.get("sparkMaster").asText());
        // The same model on the same test set as at the end of training.
        JsonNode summary = new ObjectMapper().readTree(TrainedModel.run().resolve("summary.json").toFile());
        assertEquals(summary.get("finalTestAccuracy").asDouble(), json.get("accuracy").asDouble(), 1e-12);
        assertEquals(summary.get("finalTestLoss").asDouble(), json.get("loss").asDouble(), 1e-6);
        try (var files = Files.list(TrainedModel.run())) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith(".")), "no temporary files left");
        }
    }

    @Test
    void dataAndWorkersComeFromTheConfigFileAndJsonGoesWhereAsked() throws Exception {
        Path conf = Files.writeString(tmp.resolve("eval.properties"),
                "data=" + TrainedModel.data() + "\nworkers=1\nepochs=9\n");
        Path out = tmp.resolve("reports/first-50.json");
        Result r = CommandLineTest.run("evaluate", "--config", conf.toString(), "--model",
                TrainedModel.model().toString(), "--test-limit", "50", "--json", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Evaluating on 50 test images") && r.out().contains("with 1 worker "), r.out());
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        assertEquals(50, j.get("images").asLong());
        assertEquals(1, j.get("workers").asInt());
    }

    @Test
    void helpShowsTheDataDefaultFromConf() {
        Result r = CommandLineTest.run("evaluate", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Default: /usr/share/datasets/fashion-mnist"), r.out());
        assertFalse(r.out().contains("Default: cnn"), "train's model=cnn is not evaluate's --model: " + r.out());
    }

    @Test
    void aFileThatIsNotAModelIsOneSentenceAndExitCodeThree() throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "not a model");
        Result r = CommandLineTest.run("evaluate", "--model", notes.toString(), "--data",
                TrainedModel.data().toString());
        assertEquals(ExitCodes.DATA, r.code());
        assertEquals("fashion-spark: " + notes + ": not a fashion-spark model (not a zip file)", r.err().strip());
        Result verbose = CommandLineTest.run("evaluate", "--model", notes.toString(), "--verbose");
        assertEquals(ExitCodes.DATA, verbose.code());
        assertTrue(verbose.err().contains("\tat io.fashionspark.savedmodel.SavedModel"), "stack trace with --verbose");
    }

    @Test
    void aModelOfAnotherInputShapeIsOneSentenceAndExitCodeThree() throws Exception {
        MultiLayerNetwork tiny = new MultiLayerNetwork(SavedModelTest.dense(10, 10));
        tiny.init();
        Path file = tmp.resolve("tiny.zip");
        ModelSerializer.writeModel(tiny, file.toFile(), false);
        Result r = CommandLineTest.run("evaluate", "--model", file.toString(), "--data",
                TrainedModel.data().toString());
        assertEquals(ExitCodes.DATA, r.code());
        assertEquals("fashion-spark: " + file + ": the model expects inputs of shape [10], FashionMNIST images are "
                + "28x28x1", r.err().strip());
    }

    @Test
    void missingDataIsADataErrorAndTheModelIsNeverOverwritten() throws Exception {
        Result r = CommandLineTest.run("evaluate", "--model", TrainedModel.model().toString(), "--data",
                tmp.resolve("absent").toString());
        assertEquals(ExitCodes.DATA, r.code(), r.err());
        assertTrue(r.err().contains("absent: data directory does not exist"), r.err());
        Result self = CommandLineTest.run("evaluate", "--model", TrainedModel.model().toString(), "--json",
                TrainedModel.model().toString());
        assertEquals(ExitCodes.USAGE, self.code(), self.err());
        assertTrue(self.err().contains("is the model file itself"), self.err());
    }
}
