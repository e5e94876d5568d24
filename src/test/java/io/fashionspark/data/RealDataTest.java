package io.fashionspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Needs the real FashionMNIST of Debian's dataset-fashion-mnist package (.ci/run installs it); skipped without it.
 */
class RealDataTest {
    static final Path DIR = Path.of(FashionMnistFiles.DEFAULT_DIRECTORY);

    @BeforeAll
    static void needsTheRealData() {
        assumeTrue(Files.isDirectory(DIR), "real FashionMNIST not installed (apt-get install dataset-fashion-mnist)");
    }

    @Test
    void realFilesLoadWithTheirPublishedCountsAndBalancedClasses() {
        FashionMnistFiles.Splits s = FashionMnistFiles.load(DIR.toString(), new Configuration());
        assertEquals(60_000, s.train().size());
        assertEquals(10_000, s.test().size());
        int[] perClass = new int[10];
        for (int i = 0; i < s.test().size(); i++) {
            perClass[s.test().label(i)]++;
        }
        for (int c : perClass) {
            assertEquals(1000, c);
        }
    }

    @Test
    void shortDistributedRunOnRealDataLearns(@TempDir Path tmp) throws Exception {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "train",
                "--model", "dnn", "--workers", "2", "--epochs", "1", "--train-limit", "20000", "--eval-every", "0",
                "--output", tmp.resolve("run").toString());
        assertEquals(0, code, err.toString());
        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("run/summary.json").toFile());
        double acc = summary.get("finalTestAccuracy").asDouble();
        // 100 iterations of 2 x 100 images: the reference DNN is near 80% by then.
        assertTrue(acc > 0.75, "test accuracy after 20,000 images: " + acc);
        long tested = 0;
        for (JsonNode row : summary.get("confusionMatrix")) {
            for (JsonNode c : row) {
                tested += c.asLong();
            }
        }
        assertEquals(10_000, tested);
    }
}
