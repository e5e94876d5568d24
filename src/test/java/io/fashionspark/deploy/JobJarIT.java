package io.fashionspark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The job jar users spark-submit, as built: the product alone, with the one ND4J native build it loads. The
 * workshop (bench, scaling study, cost model, PyTorch peer) is the bench module's jar, never shipped to executors.
 */
class JobJarIT {
    private static final Path JAR = Path.of("target/fashion-spark.jar");

    private static List<String> entries() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by package, before the *IT tests");
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            return zip.stream().map(e -> e.getName()).toList();
        }
    }

    @Test
    void holdsNoneOfTheWorkshop() throws Exception {
        List<String> entries = entries();
        List<String> workshop = entries.stream().filter(n -> n.startsWith("io/fashionspark/bench/")
                || n.startsWith("io/fashionspark/scaling/") || n.endsWith("pytorch_reference.py")
                || n.endsWith("/targets.json")).toList();
        assertEquals(List.of(), workshop);
        assertTrue(entries.contains("io/fashionspark/cli/Main.class"), "the product's classes are there");
    }

    @Test
    void carriesOneNativeBuildOfNd4j() throws Exception {
        List<String> natives = entries().stream().filter(n -> n.endsWith("/libnd4jcpu.so")).toList();
        assertEquals(List.of("org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libnd4jcpu.so"),
                natives);
    }
}
