package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.cli.CommandLineTest.Result;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.savedmodel.ModelProvenance;
import io.fashionspark.savedmodel.ModelZip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model.zip explains itself: it carries the run's settings, versions, git commit, data digests and final test
 * accuracy, and {@code summary --model model.zip} prints them. Models written before that still load and summarise.
 */
class ModelProvenanceTest {
    /** A LeNet-5 model.zip written by train before models carried provenance, and before kernels/ existed. */
    static final Path OLDER_MODEL = Path.of("src/test/resources/saved-before-1.1/lenet-model.zip");

    @Test
    void theModelCarriesWhatTheRunWasAndHowItEnded() throws Exception {
        JsonNode summary = new ObjectMapper().readTree(TrainedModel.run().resolve("summary.json").toFile());
        ModelProvenance p = ModelZip.provenance(Files.readAllBytes(TrainedModel.model())).orElseThrow();

        assertEquals(ModelProvenance.FORMAT, p.format());
        TrainingConfig stored = new ObjectMapper().readValue(TrainedModel.run().resolve("config.json").toFile(),
                TrainingConfig.class);
        assertEquals(stored, p.settings(), "the resolved settings, as config.json has them");
        assertEquals(summary.get("finalTestAccuracy").asDouble(), p.finalTestAccuracy(), 0);
        assertEquals(summary.get("iterations").asLong(), p.iterations());
        assertEquals(summary.get("versions").get("dl4j").asText(), p.versions().dl4j());
        assertEquals(summary.path("gitCommit").asText(null), p.gitCommit());
        assertEquals(summary.get("sparkApplicationId").asText(), p.sparkApplicationId());
        assertEquals(1200, p.data().train().images());
        assertEquals(TrainedModel.TEST_IMAGES, p.data().test().images());
        assertTrue(p.data().train().sha256().matches("[0-9a-f]{64}"), p.data().train().sha256());
        assertFalse(p.data().train().sha256().equals(p.data().test().sha256()));
        assertTrue(p.trainedAt().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), p.trainedAt());
    }

    @Test
    void theDataDigestIsOfTheImagesNotOfTheFiles(@TempDir Path dir) throws Exception {
        // The same images at another path give the same digest; other images another one.
        io.fashionspark.IdxFixtures.writeDataset(dir.resolve("copy"), 1200, TrainedModel.TEST_IMAGES, 7);
        io.fashionspark.IdxFixtures.writeDataset(dir.resolve("other"), 1200, TrainedModel.TEST_IMAGES, 8);
        ModelProvenance p = ModelZip.provenance(Files.readAllBytes(TrainedModel.model())).orElseThrow();
        var copy = FashionMnistFiles.load(dir.resolve("copy").toString(), new Configuration());
        var other = FashionMnistFiles.load(dir.resolve("other").toString(), new Configuration());
        assertEquals(p.data(), new io.fashionspark.data.DataFingerprint(
                new io.fashionspark.data.DataFingerprint.Split(p.data().train().source(), 1200,
                        io.fashionspark.data.DataFingerprint.of(copy.train(), copy.test()).train().sha256()),
                new io.fashionspark.data.DataFingerprint.Split(p.data().test().source(), TrainedModel.TEST_IMAGES,
                        io.fashionspark.data.DataFingerprint.of(copy.train(), copy.test()).test().sha256())));
        assertFalse(p.data().train().sha256().equals(
                io.fashionspark.data.DataFingerprint.of(other.train(), other.test()).train().sha256()));
    }

    @Test
    void summaryOfAModelFilePrintsItsProvenanceAndLayers() throws Exception {
        JsonNode summary = new ObjectMapper().readTree(TrainedModel.run().resolve("summary.json").toFile());
        Result r = CommandLineTest.run("summary", "--model", TrainedModel.model().toString());
        assertEquals(0, r.code(), r.err());
        String accuracy = String.format(Locale.ROOT, "%.2f%%", 100 * summary.get("finalTestAccuracy").asDouble());
        assertTrue(r.out().contains("Test accuracy: " + accuracy), r.out());
        assertTrue(r.out().contains("FashionDNN, 2 epochs, 2 workers, batch 20, averaging every 2"), r.out());
        assertTrue(r.out().contains("\"seed\":3"), r.out());
        assertTrue(r.out().contains("dl4j " + summary.get("versions").get("dl4j").asText()), r.out());
        assertTrue(r.out().contains("sha256 "), r.out());
        assertTrue(r.out().contains("Trainable parameters: 235,146"), r.out());
    }

    @Test
    void aModelWrittenBeforeProvenanceStillLoadsAndSummarises() {
        Result r = CommandLineTest.run("summary", "--model", OLDER_MODEL.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("LeNet-5"), r.out());
        assertTrue(r.out().contains("No provenance"), r.out());
        assertTrue(r.out().contains("Trainable parameters: 61,706"), r.out());
    }

    @Test
    void aMistypedArchitectureIsAUsageErrorNamingTheChoices() {
        Result r = CommandLineTest.run("summary", "--model", "cnnn");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("unknown model 'cnnn': choose one of dnn, cnn, lenet"), r.err());
    }
}
