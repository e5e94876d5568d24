package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.IdxFixtures;
import io.fashionspark.Pictures;
import io.fashionspark.cli.CommandLineTest.Result;
import io.fashionspark.data.FashionClasses;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.model.ModelKind;
import io.fashionspark.savedmodel.SavedModelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} through the CLI with a small trained FashionDNN: test images drawn as black-on-white colour PNG and
 * JPEG pictures of 100x140 are classified as their labels; idx files; bad files among good ones.
 */
class PredictCommandTest {
    static final int PICTURES = 20;
    @TempDir
    static Path tmp;
    static LabelledImages test;
    /** Test images 0..19 drawn as pictures, alternately PNG and JPEG. */
    static List<String> pictures = new ArrayList<>();

    @BeforeAll
    static void drawPictures() throws Exception {
        test = FashionMnistFiles.load(TrainedModel.data().toString(), new Configuration()).test();
        for (int i = 0; i < PICTURES; i++) {
            byte[] px = Pictures.image(test.images().pixels(), i);
            String format = i % 2 == 0 ? "png" : "jpg";
            Path f = tmp.resolve("test-" + i + "." + format);
            Files.write(f, Pictures.encode(Pictures.blackOnWhite(px, 100, 140), format));
            pictures.add(f.toString());
        }
    }

    private static Result predict(String... args) {
        List<String> all = new ArrayList<>(List.of("predict", "--model", TrainedModel.model().toString()));
        all.addAll(Arrays.asList(args));
        return CommandLineTest.run(all.toArray(String[]::new));
    }

    @Test
    void picturesOfTestImagesArePredictedAsTheirLabels() throws Exception {
        List<String> args = new ArrayList<>(List.of("--json"));
        args.addAll(pictures);
        Result r = predict(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("FashionDNN", doc.get("architecture").asText());
        assertEquals(0, doc.get("errors").size());
        JsonNode predictions = doc.get("predictions");
        assertEquals(PICTURES, predictions.size());
        int correct = 0;
        for (int i = 0; i < PICTURES; i++) {
            JsonNode p = predictions.get(i);
            assertEquals(pictures.get(i), p.get("image").asText());
            JsonNode classes = p.get("classes");
            assertEquals(3, classes.size(), "--top defaults to 3");
            assertTrue(classes.get(0).get("probability").asDouble() >= classes.get(1).get("probability").asDouble());
            assertEquals(FashionClasses.NAMES.get(classes.get(0).get("label").asInt()),
                    classes.get(0).get("class").asText());
            if (classes.get(0).get("label").asInt() == test.label(i)) {
                correct++;
            }
        }
        assertTrue(correct >= PICTURES * 8 / 10, correct + " of " + PICTURES + " pictures predicted correctly");
    }

    @Test
    void theTableShowsTheTopClassesWithProbabilities() {
        Result r = predict("--top", "2", pictures.get(0), pictures.get(1));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).matches("image\\s+1st\\s+2nd"), r.out());
        String name = FashionClasses.NAMES.get(test.label(0));
        assertTrue(lines.get(1).matches("\\Q" + pictures.get(0) + "\\E\\s+\\Q" + name + "\\E \\d+\\.\\d% .*"),
                r.out());
        assertTrue(lines.get(2).startsWith(pictures.get(1)), r.out());
    }

    @Test
    void idxFilesArePredictedImageByImageGzipOrRaw() throws Exception {
        Path gz = TrainedModel.data().resolve("t10k-images-idx3-ubyte.gz");
        byte[][] five = IdxFixtures.synthetic(5, 99);
        Path raw = Files.write(tmp.resolve("five.idx3-ubyte"), IdxFixtures.idx(3, new int[] {5, 28, 28}, five[0]));
        Result r = predict("--json", "--top", "1", gz.toString(), raw.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode predictions = new ObjectMapper().readTree(r.out()).get("predictions");
        assertEquals(TrainedModel.TEST_IMAGES + 5, predictions.size());
        int correct = 0;
        for (int i = 0; i < TrainedModel.TEST_IMAGES; i++) {
            assertEquals(gz + "#" + i, predictions.get(i).get("image").asText());
            if (predictions.get(i).get("classes").get(0).get("label").asInt() == test.label(i)) {
                correct++;
            }
        }
        assertTrue(correct > TrainedModel.TEST_IMAGES * 9 / 10, correct + " correct");
        for (int i = 0; i < 5; i++) {
            JsonNode p = predictions.get(TrainedModel.TEST_IMAGES + i);
            assertEquals(raw + "#" + i, p.get("image").asText());
            assertEquals(five[1][i], p.get("classes").get(0).get("label").asInt(), "raw idx image " + i);
        }
    }

    @Test
    void badFilesAreReportedOneLineEachAndTheOthersStillPredicted() throws Exception {
        byte[] png = Files.readAllBytes(Path.of(pictures.get(0)));
        Path corrupt = Files.write(tmp.resolve("corrupt.png"), Arrays.copyOf(png, 60));
        Path missing = tmp.resolve("missing.jpg");
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "hello");
        Result r = predict(corrupt.toString(), pictures.get(0), missing.toString(), notes.toString(),
                pictures.get(1));
        assertEquals(ExitCodes.DATA, r.code(), r.err());
        List<String> err = r.err().lines().filter(l -> l.startsWith("fashion-spark: ")).toList();
        assertEquals(List.of(
                "fashion-spark: " + corrupt + ": cannot decode the PNG picture (Error reading PNG image data)",
                "fashion-spark: " + missing + ": no such file",
                "fashion-spark: " + notes + ": not a picture in a form this reads (PNG, JPEG, GIF, BMP, WBMP, TIFF, "
                        + "WebP) nor an idx3-ubyte image file (it starts with 68 65 6C 6C)"), err, r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
        List<String> rows = r.out().lines().skip(1).toList();
        assertEquals(2, rows.size(), r.out());
        assertTrue(rows.get(0).startsWith(pictures.get(0)) && rows.get(1).startsWith(pictures.get(1)), r.out());

        Result json = predict("--json", missing.toString(), pictures.get(0));
        assertEquals(ExitCodes.DATA, json.code());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertEquals(1, doc.get("predictions").size());
        assertEquals(missing.toString(), doc.get("errors").get(0).get("file").asText());
        assertEquals(missing + ": no such file", doc.get("errors").get(0).get("error").asText());
    }

    @Test
    void aFileThatIsNotAModelIsOneSentenceAndNothingIsPredicted() throws Exception {
        Path notes = Files.writeString(tmp.resolve("model-notes.zip"), "not a model");
        Result r = CommandLineTest.run("predict", "--model", notes.toString(), pictures.get(0));
        assertEquals(ExitCodes.DATA, r.code());
        assertEquals("fashion-spark: " + notes + ": not a fashion-spark model (not a zip file)", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void aModelOfAnotherInputShapeIsOneSentence() throws Exception {
        MultiLayerNetwork tiny = new MultiLayerNetwork(SavedModelTest.dense(10, 10));
        tiny.init();
        Path file = tmp.resolve("tiny.zip");
        ModelSerializer.writeModel(tiny, file.toFile(), false);
        Result r = CommandLineTest.run("predict", "--model", file.toString(), pictures.get(0));
        assertEquals(ExitCodes.DATA, r.code());
        assertEquals("fashion-spark: " + file + ": the model expects inputs of shape [10], FashionMNIST images are "
                + "28x28x1", r.err().strip());
    }

    @Test
    void convolutionalModelsAreFedChannelsLastImages() throws Exception {
        MultiLayerNetwork lenet = new MultiLayerNetwork(ModelKind.LENET.factory().configuration(1, 1e-3));
        lenet.init();
        Path file = tmp.resolve("lenet.zip");
        ModelSerializer.writeModel(lenet, file.toFile(), true);
        Result r = CommandLineTest.run("predict", "--model", file.toString(), "--top", "10", "--json",
                pictures.get(0), pictures.get(1));
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("LeNet-5", doc.get("architecture").asText());
        for (JsonNode p : doc.get("predictions")) {
            double sum = 0;
            for (JsonNode c : p.get("classes")) {
                sum += c.get("probability").asDouble();
            }
            assertEquals(10, p.get("classes").size());
            assertEquals(1.0, sum, 1e-4);
        }
    }

    @Test
    void usageErrors() {
        Result top = predict("--top", "11", pictures.get(0));
        assertEquals(ExitCodes.USAGE, top.code());
        assertTrue(top.err().contains("--top must be between 1 and 10, got 11"), top.err());
        Result none = predict();
        assertEquals(ExitCodes.USAGE, none.code());
        assertTrue(none.err().contains("FILE"), none.err());
        Result help = CommandLineTest.run("predict", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--top=K") && help.out().contains("Default: 3"), help.out());
    }
}
