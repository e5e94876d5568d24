package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.Pictures;
import io.fashionspark.cli.CommandLineTest.Result;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.ml.FashionClassifierModel;
import io.fashionspark.pictures.InputFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A picture in every form predict and the Spark ML model read, and two truncated ones, through the three paths a
 * user has: {@code predict} on the driver, {@code predict --output} on the executors, and the model's binary column.
 * Each form is classified, the same way on every path; a picture that decodes only in part is an error on each.
 */
class PictureFormatsTest {
    /** The accepted forms, each one file of the same garment. */
    static final List<String> FORMS = List.of("photo.png", "photo.jpg", "photo.gif", "animated.gif", "photo.bmp",
            "photo.wbmp", "photo.tif", "lossless.webp", "lossy.webp");
    static final List<String> TRUNCATED = List.of("cut.jpg", "cut.png");

    @TempDir
    static Path tmp;
    static Path folder;

    @BeforeAll
    static void drawEveryForm() throws IOException {
        byte[] garment = Pictures.image(FashionMnistFiles.load(TrainedModel.data().toString(), new Configuration())
                .test().images().pixels(), 0);
        BufferedImage photo = Pictures.blackOnWhite(garment, 100, 140);
        folder = Files.createDirectories(tmp.resolve("catalogue"));
        Files.write(folder.resolve("photo.png"), Pictures.encode(photo, "png"));
        byte[] jpeg = Pictures.encode(photo, "jpg");
        Files.write(folder.resolve("photo.jpg"), jpeg);
        Files.write(folder.resolve("photo.gif"), write(photo, "gif"));
        Files.write(folder.resolve("photo.bmp"), write(photo, "bmp"));
        Files.write(folder.resolve("photo.tif"), write(photo, "tiff"));
        BufferedImage blackAndWhite = new BufferedImage(100, 140, BufferedImage.TYPE_BYTE_BINARY);
        blackAndWhite.createGraphics().drawImage(photo, 0, 0, null);
        Files.write(folder.resolve("photo.wbmp"), write(blackAndWhite, "wbmp"));
        Files.write(folder.resolve("animated.gif"), animatedGif(photo));
        // No Java WebP writer: cwebp made these (lossless and lossy) from bin/make-pictures' PNG of FashionMNIST's
        // first test image.
        copyResource("test-image-0.webp", folder.resolve("lossless.webp"));
        copyResource("test-image-0-lossy.webp", folder.resolve("lossy.webp"));
        Files.write(folder.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 3));
        byte[] png = Pictures.encode(photo, "png");
        Files.write(folder.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
    }

    private static byte[] write(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "ImageIO writes " + format);
        return out.toByteArray();
    }

    /** The garment, then a blank frame: the first frame is what is classified. */
    private static byte[] animatedGif(BufferedImage first) throws IOException {
        BufferedImage blank = new BufferedImage(first.getWidth(), first.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = blank.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, blank.getWidth(), blank.getHeight());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(first, null, null), null);
            writer.writeToSequence(new IIOImage(blank, null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static void copyResource(String name, Path to) throws IOException {
        try (InputStream in = PictureFormatsTest.class.getResourceAsStream("/pictures/" + name)) {
            assertNotNull(in, name);
            Files.copy(in, to);
        }
    }

    /** A JSON Lines field; null where Spark's writer left it out (its value was null). */
    private static String text(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Path file(String name) {
        return folder.resolve(name);
    }

    @Test
    void anAnimatedGifIsItsFirstFrame() throws IOException {
        byte[] still = InputFiles.parse("still", Files.readAllBytes(file("photo.gif"))).get(0).pixels();
        byte[] animated = InputFiles.parse("animated", Files.readAllBytes(file("animated.gif"))).get(0).pixels();
        assertArrayEquals(still, animated);
    }

    @Test
    void everyFormIsClassifiedAlikeOnTheDriverTheExecutorsAndInTheModel() throws Exception {
        // On the driver.
        List<String> args = new ArrayList<>(List.of("predict", "--model", TrainedModel.model().toString(), "--json",
                "--top", "1"));
        for (String f : FORMS) {
            args.add(file(f).toString());
        }
        for (String f : TRUNCATED) {
            args.add(file(f).toString());
        }
        Result driver = CommandLineTest.run(args.toArray(String[]::new));
        assertEquals(ExitCodes.DATA, driver.code(), "the truncated pictures failed: " + driver.err());
        JsonNode doc = new ObjectMapper().readTree(driver.out());
        Map<String, String> onDriver = new TreeMap<>();
        for (JsonNode p : doc.get("predictions")) {
            onDriver.put(Path.of(p.get("image").asText()).getFileName().toString(),
                    p.get("classes").get(0).get("class").asText());
        }
        Map<String, String> driverErrors = new TreeMap<>();
        for (JsonNode e : doc.get("errors")) {
            driverErrors.put(Path.of(e.get("file").asText()).getFileName().toString(), e.get("error").asText());
        }
        assertEquals(new java.util.TreeSet<>(FORMS), onDriver.keySet(), driver.out());
        assertEquals(new java.util.TreeSet<>(TRUNCATED), driverErrors.keySet(), driver.out());
        assertTrue(driverErrors.get("cut.jpg").contains("the JPEG picture decodes only in part"),
                driverErrors.get("cut.jpg"));
        assertTrue(driverErrors.get("cut.png").contains("cannot decode the PNG picture"), driverErrors.get("cut.png"));

        // On the executors.
        Path output = tmp.resolve("predictions");
        Result executors = CommandLineTest.run("predict", "--model", TrainedModel.model().toString(), "--workers",
                "2", "--output", output.toString(), "--format", "jsonl", "--top", "1", folder.toString());
        assertEquals(ExitCodes.DATA, executors.code(), executors.out() + executors.err());
        Map<String, JsonNode> onExecutors = new TreeMap<>();
        try (var parts = Files.list(output)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    JsonNode row = new ObjectMapper().readTree(line);
                    onExecutors.put(Path.of(row.get("path").asText().replaceFirst("^file:", "")).getFileName()
                            .toString(), row);
                }
            }
        }

        // In the Spark ML model, from Spark's binaryFile source.
        Map<String, Row> inModel = new TreeMap<>();
        try (SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate()) {
            FashionClassifierModel model = FashionClassifierModel.fromModelZip(TrainedModel.model().toString())
                    .setImageCol("content").setHandleInvalid("keep");
            for (Row r : model.transform(spark.read().format("binaryFile").load(folder.toString()))
                    .select("path", "predictedClass", "error").collectAsList()) {
                inModel.put(Path.of(r.getString(0).replaceFirst("^file:", "")).getFileName().toString(), r);
            }
        }

        for (String f : FORMS) {
            JsonNode row = onExecutors.get(f);
            assertNull(text(row, "error"), f + ": " + row);
            assertEquals(onDriver.get(f), text(row, "class_1"), f + " on the executors");
            assertNull(inModel.get(f).get(2), f + ": " + inModel.get(f));
            assertEquals(onDriver.get(f), inModel.get(f).getString(1), f + " in the model");
        }
        for (String f : TRUNCATED) {
            assertNull(text(onExecutors.get(f), "class_1"), f + ": " + onExecutors.get(f));
            assertEquals(driverErrors.get(f), file(f) + ": " + text(onExecutors.get(f), "error"), f);
            assertTrue(inModel.get(f).isNullAt(1), f + ": " + inModel.get(f));
            assertEquals(text(onExecutors.get(f), "error"), inModel.get(f).getString(2), f);
        }
        // The same photo in each lossless form, and as a JPEG, is the same garment to the model (the WebP files
        // hold another garment, FashionMNIST's first test image; the WBMP is the photo cut to black and white).
        for (String f : List.of("photo.jpg", "photo.gif", "animated.gif", "photo.bmp", "photo.tif")) {
            assertEquals(onDriver.get("photo.png"), onDriver.get(f), f);
        }
    }
}
