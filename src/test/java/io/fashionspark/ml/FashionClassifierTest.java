package io.fashionspark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fashionspark.IdxFixtures;
import io.fashionspark.cli.Main;
import io.fashionspark.config.Settings;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.DataException;
import io.fashionspark.data.FashionClasses;
import io.fashionspark.pictures.InputImage;
import io.fashionspark.rundir.RunSummary;
import io.fashionspark.savedmodel.SavedModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML API as a Spark user meets it: fit in a Pipeline, save, load, transform, evaluate with MLlib's
 * evaluator, and get what the command line gives for the same model.
 */
class FashionClassifierTest {
    private static final int TRAIN = 1000;
    private static final int TEST = 300;
    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static byte[][] train;
    private static byte[][] test;
    private static PipelineModel fitted;

    @BeforeAll
    static void fitOnce() throws IOException {
        spark = session();
        Files.createDirectories(dir.resolve("data"));
        train = IdxFixtures.synthetic(TRAIN, 11);
        test = IdxFixtures.synthetic(TEST, 12);
        IdxFixtures.writeSplit(dir.resolve("data"), "train", train);
        IdxFixtures.writeSplit(dir.resolve("data"), "t10k", test);
        // Few small steps at a low rate: a model that is right often but not always, so that equal accuracies
        // mean equal predictions rather than two perfect scores.
        FashionClassifier classifier = new FashionClassifier().setModel("dnn").setWorkers(2).setBatchSize(20)
                .setAveragingFrequency(2).setEpochs(1).setLearningRate(2e-4).setEvalEvery(0).setSeed(3)
                .setRunDirectory(dir.resolve("run").toString());
        fitted = new Pipeline().setStages(new PipelineStage[] {classifier}).fit(binaryRows(train));

        // evaluate makes its own Spark context, and a JVM holds one at a time.
        spark.stop();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate", "--model",
                dir.resolve("run/model.zip").toString(), "--data", dir.resolve("data").toString(), "--workers", "2",
                "--json", dir.resolve("evaluation.json").toString());
        assertEquals(0, code, err.toString());
        spark = session();
    }

    private static SparkSession session() {
        return SparkSession.builder().master("local[2]").appName("FashionClassifierTest")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** label (double) and image as 784 raw grey-level bytes. */
    private static Dataset<Row> binaryRows(byte[][] data) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data[1].length; i++) {
            rows.add(RowFactory.create((double) data[1][i], Arrays.copyOfRange(data[0], i * 784, (i + 1) * 784)));
        }
        return spark.createDataFrame(rows, new StructType().add("label", DataTypes.DoubleType)
                .add("image", DataTypes.BinaryType));
    }

    /** label (int) and image as a vector of 784 grey levels 0..255. */
    private static Dataset<Row> vectorRows(byte[][] data) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data[1].length; i++) {
            double[] v = new double[784];
            for (int p = 0; p < 784; p++) {
                v[p] = data[0][i * 784 + p] & 0xFF;
            }
            rows.add(RowFactory.create((int) data[1][i], Vectors.dense(v)));
        }
        return spark.createDataFrame(rows, new StructType().add("label", DataTypes.IntegerType)
                .add("image", SQLDataTypes.VectorType()));
    }

    @Test
    void aSavedAndLoadedPipelineScoresTheTestSetExactlyAsEvaluateDoes() throws IOException {
        Path saved = dir.resolve("pipeline");
        fitted.write().overwrite().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());

        Dataset<Row> scored = loaded.transform(vectorRows(test)).cache();
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);

        Path json = dir.resolve("evaluation.json");
        JsonNode evaluation = RunSummary.mapper().readTree(json.toFile());
        long correct = scored.filter("prediction = label").count();
        assertEquals(evaluation.get("correct").asLong(), correct, "images classified right");
        assertEquals(evaluation.get("accuracy").asDouble(), accuracy, 1e-12);
        assertTrue(accuracy > 0.3 && accuracy < 1.0, "a model that is sometimes wrong: " + accuracy);

        // Image by image, the executors' predictions are the driver's (predict's) for the same model file.
        SavedModel model = SavedModel.load(dir.resolve("run/model.zip").toString(), new Configuration());
        List<InputImage> images = new ArrayList<>();
        for (int i = 0; i < TEST; i++) {
            images.add(new InputImage("#" + i, Arrays.copyOfRange(test[0], i * 784, (i + 1) * 784)));
        }
        float[][] probs = model.probabilities(images);
        List<Row> rows = scored.select("prediction", "predictedClass", "probability").collectAsList();
        for (int i = 0; i < TEST; i++) {
            int best = ScorePartition.argMax(probs[i]);
            assertEquals(best, rows.get(i).getDouble(0), "image " + i);
            assertEquals(FashionClasses.NAMES.get(best), rows.get(i).getString(1));
            assertEquals(probs[i][best], ((Vector) rows.get(i).get(2)).apply(best), 1e-6);
        }
    }

    /** The README's way in: the idx files as a DataFrame the estimator and the model take as they are. */
    @Test
    void theIdxFilesReadAsTheDataFrameThePipelineTakes() {
        Dataset<Row> frames = FashionMnistFrames.read(spark, dir.resolve("data").toUri().toString(), "t10k");
        assertEquals(List.of("label", "image"), Arrays.asList(frames.columns()));
        assertEquals(DataTypes.DoubleType, frames.schema().apply("label").dataType());
        assertEquals(DataTypes.BinaryType, frames.schema().apply("image").dataType());
        List<Row> rows = frames.collectAsList();
        assertEquals(TEST, rows.size());
        for (int i = 0; i < TEST; i++) {
            assertEquals((double) test[1][i], rows.get(i).getDouble(0), "label of image " + i);
            assertArrayEquals(Arrays.copyOfRange(test[0], i * 784, (i + 1) * 784), (byte[]) rows.get(i).get(1),
                    "pixels of image " + i);
        }
        List<Row> fromFrames = fitted.transform(frames).select("predictedClass").collectAsList();
        assertEquals(fitted.transform(binaryRows(test)).select("predictedClass").collectAsList(), fromFrames);

        DataException missing = assertThrows(DataException.class,
                () -> FashionMnistFrames.read(spark, dir.resolve("data").toString(), "nothing"));
        assertTrue(missing.getMessage().contains("nothing-images-idx3-ubyte"), missing.getMessage());
    }

    @Test
    void theFittedModelKeepsTheEstimatorsUidAndParent() {
        FashionClassifierModel model = (FashionClassifierModel) fitted.stages()[0];
        assertEquals(model.parent().uid(), model.uid());
    }

    @Test
    void aModelZipFromTrainScoresLikeTheFittedModel() {
        FashionClassifierModel fromZip = FashionClassifierModel.fromModelZip(dir.resolve("run/model.zip").toString());
        assertEquals("FashionDNN", fromZip.architecture());
        List<Row> a = fromZip.transform(binaryRows(test)).select("prediction").collectAsList();
        List<Row> b = fitted.transform(binaryRows(test)).select("prediction").collectAsList();
        assertEquals(b, a);
    }

    @Test
    void picturesAsBytesAsImageStructsAndAsArraysGiveWhatPredictGives() throws IOException {
        FashionClassifierModel model = (FashionClassifierModel) fitted.stages()[0];
        SavedModel saved = SavedModel.load(dir.resolve("run/model.zip").toString(), new Configuration());
        List<Row> bytesRows = new ArrayList<>();
        List<Row> structRows = new ArrayList<>();
        List<Row> arrayRows = new ArrayList<>();
        List<InputImage> viaPredict = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // A 56x70 dark-on-light picture of test image i, as a product photo would be.
            BufferedImage picture = new BufferedImage(56, 70, BufferedImage.TYPE_3BYTE_BGR);
            byte[] bgr = new byte[56 * 70 * 3];
            for (int y = 0; y < 70; y++) {
                for (int x = 0; x < 56; x++) {
                    int yy = (y - 7) / 2;
                    int v = yy >= 0 && yy < 28 ? test[0][i * 784 + yy * 28 + x / 2] & 0xFF : 0;
                    int grey = 255 - v;
                    picture.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
                    int o = (y * 56 + x) * 3;
                    bgr[o] = (byte) grey;
                    bgr[o + 1] = (byte) grey;
                    bgr[o + 2] = (byte) grey;
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(picture, "png", png);
            List<InputImage> parsed = io.fashionspark.pictures.InputFiles.parse("p" + i, png.toByteArray());
            viaPredict.add(parsed.get(0));
            bytesRows.add(RowFactory.create(png.toByteArray()));
            structRows.add(RowFactory.create(RowFactory.create("p" + i, 70, 56, 3, 16, bgr)));
            double[] grey = new double[784];
            for (int p = 0; p < 784; p++) {
                grey[p] = (parsed.get(0).pixels()[p] & 0xFF) / 255.0;
            }
            arrayRows.add(RowFactory.create((Object) Arrays.stream(grey).boxed().toArray(Double[]::new)));
        }
        float[][] probs = saved.probabilities(viaPredict);
        double[] expected = Arrays.stream(probs).mapToDouble(ScorePartition::argMax).toArray();

        StructType binary = new StructType().add("image", DataTypes.BinaryType);
        StructType struct = new StructType().add("image", org.apache.spark.ml.image.ImageSchema.columnSchema());
        StructType array = new StructType().add("image", DataTypes.createArrayType(DataTypes.DoubleType));
        for (Dataset<Row> df : List.of(spark.createDataFrame(bytesRows, binary),
                spark.createDataFrame(structRows, struct), spark.createDataFrame(arrayRows, array))) {
            double[] got = model.transform(df).select("prediction").collectAsList().stream()
                    .mapToDouble(r -> r.getDouble(0)).toArray();
            assertArrayEquals(expected, got, df.schema().simpleString());
        }
    }

    @Test
    void badImagesFailNamingTheColumnOrAreKeptWithTheirReasonOrSkipped() {
        FashionClassifierModel model = ((FashionClassifierModel) fitted.stages()[0]).copy(
                new org.apache.spark.ml.param.ParamMap());
        List<Row> rows = List.of(RowFactory.create((Object) Arrays.copyOf(test[0], 784)),
                RowFactory.create((Object) new byte[0]),
                RowFactory.create((Object) "just some text".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                RowFactory.create((Object) new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 1, 2}));
        Dataset<Row> df = spark.createDataFrame(rows, new StructType().add("image", DataTypes.BinaryType));

        Exception e = assertThrows(Exception.class, () -> model.transform(df).collectAsList());
        assertTrue(rootMessage(e).contains("image column 'image': "), rootMessage(e));

        List<Row> kept = model.setHandleInvalid("keep").transform(df).select("prediction", "error").collectAsList();
        assertEquals(4, kept.size());
        assertNull(kept.get(0).get(1));
        assertTrue(kept.get(1).getString(1).contains("empty"), kept.get(1).toString());
        assertTrue(kept.get(2).getString(1).contains(
                "neither a picture in a form this reads (PNG, JPEG, GIF, BMP, WBMP, TIFF, WebP)"), kept.get(2).toString());
        assertTrue(kept.get(3).getString(1).contains("cannot decode the PNG picture"), kept.get(3).toString());
        assertTrue(kept.get(3).isNullAt(0));

        assertEquals(1, model.setHandleInvalid("skip").transform(df).count());
    }

    @Test
    void settingsAreTrainsWithItsDefaultsAndItsValidation() {
        FashionClassifier classifier = new FashionClassifier();
        assertEquals("cnn", classifier.getOrDefault(classifier.model()));
        assertEquals(100, classifier.getOrDefault(classifier.batchSize()));
        assertEquals(5, classifier.getOrDefault(classifier.averagingFrequency()));
        IllegalArgumentException workers = assertThrows(IllegalArgumentException.class, () -> classifier.setWorkers(0));
        assertTrue(workers.getMessage().startsWith("workers (the number of parallel model replicas) must be at least 1"),
                workers.getMessage());
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class, () -> classifier.setModel("rnn"));
        assertTrue(model.getMessage().contains("rnn"), model.getMessage());
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> classifier.setLearningRate(-1));
        assertTrue(rate.getMessage().startsWith("learningRate must be a positive number"), rate.getMessage());
        assertEquals("tuned", classifier.getOrDefault(classifier.recipe()));
        assertEquals(TrainingRecipe.NOTES, classifier.setRecipe("notes").config("d").recipe());
        assertEquals(0.001, classifier.config("d").learningRate(), "the notes' rate unless one is set");
        IllegalArgumentException recipe = assertThrows(IllegalArgumentException.class,
                () -> classifier.setRecipe("fast"));
        assertTrue(recipe.getMessage().startsWith("recipe must be tuned"), recipe.getMessage());
    }

    @Test
    void everySettingWithoutATypedSetterIsSetFromItsText() {
        FashionClassifier classifier = new FashionClassifier().setSetting(Settings.LR_DECAY, "step")
                .setSetting(Settings.MAX_GLOBAL_BATCH, "400").setSetting(Settings.ADAM_BETA2, "auto")
                .setSetting(Settings.BLOCK_NESTEROV, "true").setSetting(Settings.LR_WARMUP_EPOCHS, "0.5");
        TrainingConfig cfg = classifier.setModel("dnn").config("d");
        assertEquals(TrainingRecipe.LrDecay.STEP, cfg.recipe().lrDecay());
        assertEquals(400, cfg.recipe().maxGlobalBatch());
        assertEquals(0.95, cfg.recipe().adamBeta2(), "auto: the FashionDNN's own");
        assertTrue(cfg.recipe().blockNesterov());
        assertEquals(0.5, cfg.recipe().lrWarmupEpochs());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> classifier.setSetting(Settings.MAX_GLOBAL_BATCH, "-1"));
        assertTrue(bad.getMessage().startsWith("maxGlobalBatch must be 0 (no limit) or more images"),
                bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> classifier.setSetting(Settings.TRAIN_LIMIT, "10"),
                "the estimator reads a DataFrame: no limits");
        IllegalArgumentException notes = assertThrows(IllegalArgumentException.class,
                () -> classifier.setRecipe("notes").config("d"));
        assertTrue(notes.getMessage().contains("is part of the tuned recipe"), notes.getMessage());
    }

    @Test
    void anEstimatorSavesAndLoadsWithItsSettings() throws IOException {
        FashionClassifier classifier = new FashionClassifier().setModel("lenet").setEpochs(3).setWorkers(4)
                .setSetting(Settings.LR_DECAY, "step");
        classifier.write().overwrite().save(dir.resolve("estimator").toString());
        FashionClassifier loaded = FashionClassifier.load(dir.resolve("estimator").toString());
        assertEquals(classifier.uid(), loaded.uid());
        assertEquals("lenet", loaded.getOrDefault(loaded.model()));
        assertEquals(3, loaded.getOrDefault(loaded.epochs()));
        assertEquals(4, loaded.getOrDefault(loaded.workers()));
        assertEquals("step", loaded.getOrDefault(loaded.param(Settings.LR_DECAY)));
    }

    @Test
    void theRunDirectoryHoldsWhatTrainWrites() {
        for (String file : List.of("config.json", "metrics.csv", "metrics.jsonl", "model.zip", "summary.json",
                "report.html")) {
            assertTrue(Files.isRegularFile(dir.resolve("run").resolve(file)), file);
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
