package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.Pictures;
import io.fashionspark.cli.CommandLineTest.Result;
import io.fashionspark.data.FashionClasses;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict --output}: a directory of pictures, an idx file and broken inputs classified on Spark's executors,
 * as a user with a catalogue of pictures runs it. Bad inputs end up in the error column, never as a failed job.
 */
class PredictOnExecutorsTest {
    static final int PICTURES = 16;
    @TempDir
    static Path tmp;
    static Path catalogue;
    static LabelledImages test;

    @BeforeAll
    static void drawCatalogue() throws IOException {
        test = FashionMnistFiles.load(TrainedModel.data().toString(), new Configuration()).test();
        catalogue = Files.createDirectories(tmp.resolve("catalogue"));
        Path shoes = Files.createDirectories(catalogue.resolve("more/nested"));
        for (int i = 0; i < PICTURES; i++) {
            String format = i % 2 == 0 ? "png" : "jpg";
            Path dir = i < PICTURES / 2 ? catalogue : shoes;
            Files.write(dir.resolve(String.format("item-%02d.%s", i, format)),
                    Pictures.encode(Pictures.blackOnWhite(Pictures.image(test.images().pixels(), i), 100, 140),
                            format));
        }
        Files.copy(TrainedModel.data().resolve("t10k-images-idx3-ubyte.gz"), catalogue.resolve("batch.idx.gz"));
        Files.write(catalogue.resolve("corrupt.png"), Arrays.copyOf(Files.readAllBytes(catalogue.resolve(
                "item-00.png")), 60));
        Files.writeString(catalogue.resolve("notes.txt"), "not a picture\n");
        Files.write(catalogue.resolve("empty.jpg"), new byte[0]);
        Files.writeString(catalogue.resolve("_SUCCESS"), ""); // hidden, as Spark's markers are: not an input
    }

    private static Result predict(String... args) {
        List<String> all = new ArrayList<>(List.of("predict", "--model", TrainedModel.model().toString(),
                "--workers", "2"));
        all.addAll(Arrays.asList(args));
        return CommandLineTest.run(all.toArray(String[]::new));
    }

    private static List<Row> read(Path output, String format) {
        try (SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate()) {
            return spark.read().format(format).option("header", "true").load(output.toString()).collectAsList();
        }
    }

    @Test
    void aDirectoryOfPicturesAndAnIdxFileIsClassifiedWithEachBadFileInTheErrorColumn() {
        Path output = tmp.resolve("predictions");
        Result r = predict("--output", output.toString(), "--top", "2", catalogue.toString());
        assertEquals(ExitCodes.DATA, r.code(), "some inputs failed: " + r.out() + r.err());
        int images = PICTURES + TrainedModel.TEST_IMAGES;
        assertTrue(r.out().contains(String.format("Classified %,d images, 3 failed", images)), r.out());

        List<Row> rows = read(output, "parquet");
        assertEquals(images + 3, rows.size());
        Map<String, Row> byName = new TreeMap<>();
        for (Row row : rows) {
            byName.put(row.getString(0).replaceFirst(".*/", ""), row);
        }
        assertTrue(byName.get("corrupt.png").getString(5).startsWith("cannot decode the PNG picture ("),
                byName.get("corrupt.png").getString(5));
        assertTrue(byName.get("notes.txt").getString(5).contains(
                "not a picture in a form this reads (PNG, JPEG, GIF, BMP, WBMP, TIFF, WebP)"));
        assertEquals("file is empty", byName.get("empty.jpg").getString(5));
        assertFalse(byName.containsKey("_SUCCESS"));
        int right = 0;
        for (int i = 0; i < PICTURES; i++) {
            Row row = byName.get(String.format("item-%02d.%s", i, i % 2 == 0 ? "png" : "jpg"));
            assertNull(row.get(5), row.toString());
            assertTrue(row.getDouble(2) >= row.getDouble(4), "most likely first: " + row);
            right += row.getString(1).equals(FashionClasses.NAMES.get(test.label(i))) ? 1 : 0;
        }
        assertTrue(right >= PICTURES * 3 / 4, right + " of " + PICTURES + " pictures classified right");
        int idxRight = 0;
        for (int i = 0; i < TrainedModel.TEST_IMAGES; i++) {
            Row row = byName.get("batch.idx.gz#" + i);
            idxRight += row.getString(1).equals(FashionClasses.NAMES.get(test.label(i))) ? 1 : 0;
        }
        assertTrue(idxRight > TrainedModel.TEST_IMAGES * 0.9, idxRight + " idx images right");
    }

    @Test
    void anExistingOutputIsRefusedAndLeftByteIdenticalUnlessOverwriteIsGiven() throws Exception {
        Path output = Files.createDirectories(tmp.resolve("existing"));
        Files.writeString(output.resolve("keep.txt"), "someone's results\n");
        String before = digest(output);
        Result r = predict("--output", output.toString(), catalogue.resolve("item-00.png").toString());
        assertEquals(ExitCodes.OUTPUT, r.code(), r.err());
        assertTrue(r.err().contains(output + ": exists; give --overwrite to replace it"), r.err());
        assertEquals(before, digest(output));

        r = predict("--output", output.toString(), "--overwrite", "--format", "csv",
                catalogue.resolve("item-00.png").toString(), catalogue.resolve("item-02.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Classified 2 images, 0 failed"), r.out());
        assertFalse(Files.exists(output.resolve("keep.txt")));
        List<Row> rows = read(output, "csv");
        assertEquals(2, rows.size());
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".tmp-")),
                    "no temporary directory left");
        }
    }

    @Test
    void jsonLinesAndMissingInputsAreOneSentenceAndARow() throws IOException {
        Path output = tmp.resolve("lines");
        // A file too large to be a picture (sparse: no disk used) is refused unread, not loaded into a task.
        Path huge = tmp.resolve("huge.mov");
        try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(65L << 20);
        }
        Result r = predict("--output", output.toString(), "--format", "jsonl",
                catalogue.resolve("item-00.png").toString(), tmp.resolve("nowhere").toString(),
                catalogue + "/item-0[24].png", huge.toString());
        assertEquals(ExitCodes.DATA, r.code(), r.err());
        assertTrue(r.err().contains(tmp.resolve("nowhere") + ": no such file or directory"), r.err());
        assertTrue(r.out().contains("Classified 3 images, 2 failed"), r.out());
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(output)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                    lines.add(new ObjectMapper().readTree(line));
                }
            }
        }
        assertEquals(5, lines.size());
        assertEquals(2, lines.stream().filter(l -> l.has("error")).count());
        assertTrue(lines.stream().anyMatch(l -> l.path("error").asText().equals(
                "larger than 64 MB: not a picture or idx file to classify")), lines.toString());
        assertEquals(3, lines.stream().filter(l -> l.has("class_1") && l.has("probability_3")).count());
    }

    private static String digest(Path dir) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted().toList()) {
                md.update(dir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(f)) {
                    md.update(Files.readAllBytes(f));
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
