package io.fashionspark.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.model.ModelKind;
import io.fashionspark.model.ModelSummary;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The start-up checks: the cluster's Spark/Scala, and the executors' off-heap settings against conf/. */
class RuntimeChecksTest {
    static ModelSummary cnn;

    @BeforeAll
    static void models() {
        MultiLayerNetwork net = new MultiLayerNetwork(ModelKind.CNN.factory().configuration(1, 1e-3));
        net.init();
        cnn = ModelSummary.of(ModelKind.CNN, net);
    }

    @Test
    void theSparkAndScalaThisSuiteRunsOnAreAccepted() {
        RuntimeVersions here = RuntimeVersions.detect();
        assertTrue(here.spark().startsWith("3.5."), here.toString());
        assertTrue(here.scala().startsWith("2.12."), here.toString());
        assertDoesNotThrow(here::requireCompatible);
        assertTrue(here.isTestedSpark());
    }

    @Test
    void spark4OrScala213FailsWithOneSentenceSayingWhatIsNeeded() {
        var spark4 = assertThrows(IncompatibleRuntimeException.class,
                () -> new RuntimeVersions("4.0.1", "2.13.14", "17.0.15").requireCompatible());
        assertTrue(spark4.getMessage().contains("needs Spark 3.x on Scala 2.12"), spark4.getMessage());
        assertTrue(spark4.getMessage().contains("runs on Spark 4.0.1 with Scala 2.13.14"), spark4.getMessage());
        assertEquals(1, spark4.getMessage().split("\n").length);

        var scala213 = assertThrows(IncompatibleRuntimeException.class,
                () -> new RuntimeVersions("3.5.7", "2.13.8", "17.0.15").requireCompatible());
        assertTrue(scala213.getMessage().contains("Scala 2.13.8"), scala213.getMessage());
        assertDoesNotThrow(() -> new RuntimeVersions("3.4.4", "2.12.17", "17").requireCompatible());
        assertTrue(!new RuntimeVersions("3.4.4", "2.12.17", "17").isTestedSpark());
    }

    /** conf/spark-defaults.conf as spark-submit --properties-file reads it (whitespace-separated). */
    private static SparkConf shippedDefaults(String master) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("conf/spark-defaults.conf"))) {
            p.load(r);
        }
        SparkConf conf = new SparkConf(false).setMaster(master);
        p.stringPropertyNames().forEach(k -> conf.set(k, p.getProperty(k)));
        return conf;
    }

    @Test
    void theShippedClusterDefaultsFitTheCnnAtBatch100() throws Exception {
        for (String master : List.of("spark://host:7077", "yarn", "k8s://https://api:6443")) {
            SparkConf conf = shippedDefaults(master).set("spark.executor.cores", "2");
            assertEquals(List.of(), OffHeapCheck.warnings(conf, cnn, 100, 2, 0, null), master);
        }
    }

    @Test
    void theShippedEmbeddedDefaultsFitTheCnnWithTwoWorkers() throws Exception {
        // conf/jvm.options: -Xmx2g and the cap it sets.
        String options = Files.readString(Path.of("conf/jvm.options"));
        var m = java.util.regex.Pattern.compile("-Dorg.bytedeco.javacpp.maxphysicalbytes=(\\S+)").matcher(options);
        assertTrue(m.find(), options);
        assertTrue(options.contains("-Xmx2g"));
        assertEquals(List.of(), OffHeapCheck.warnings(new SparkConf(false).setMaster("local[2]"), cnn, 100, 2,
                2L << 30, m.group(1)));
    }

    @Test
    void missingOrSmallSettingsAreNamedWithTheValueToSet() throws Exception {
        SparkConf yarn = new SparkConf(false).setMaster("yarn").set("spark.executor.memory", "2g");
        List<String> w = OffHeapCheck.warnings(yarn, cnn, 100, 4, 0, null);
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("spark.executor.extraJavaOptions has no -Dorg.bytedeco.javacpp.maxphysicalbytes"),
                w.get(0));
        assertTrue(w.get(1).contains("spark.executor.memoryOverhead is unset (Spark's default 384m)"), w.get(1));
        assertTrue(w.get(1).contains("set spark.executor.memoryOverhead="), w.get(1));

        SparkConf small = shippedDefaults("spark://h:7077").set("spark.executor.cores", "8")
                .set("spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.maxphysicalbytes=2g");
        w = OffHeapCheck.warnings(small, cnn, 100, 8, 0, null);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("=2g, too small for 8 FashionCNN task(s) per executor at batch 100; raise it "
                + "to at least"), w.get(0));

        w = OffHeapCheck.warnings(new SparkConf(false).setMaster("local[2]"), cnn, 100, 2, 2L << 30, "2500m");
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("conf/jvm.options"), w.get(0));
        // A bare number in memoryOverhead is MiB to Spark.
        SparkConf mib = shippedDefaults("yarn").set("spark.executor.memoryOverhead", "1536");
        assertEquals(List.of(), OffHeapCheck.warnings(mib, cnn, 100, 1, 0, null));
    }
}
