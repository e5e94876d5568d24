package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fashionspark.IdxFixtures;
import io.fashionspark.cli.CommandLineTest.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One small FashionDNN trained through the CLI on learnable data the test writes (1200 training, 300 test images),
 * shared by the evaluate and predict tests of a test JVM so that it is trained once.
 */
final class TrainedModel {
    static final int TEST_IMAGES = 300;
    private static Path root;

    private TrainedModel() {
    }

    static synchronized Path root() {
        if (root == null) {
            try {
                Path dir = Files.createTempDirectory("fashion-spark-trained");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                IdxFixtures.writeDataset(dir.resolve("data"), 1200, TEST_IMAGES, 7);
                // 1200 / (2 workers x 20) = 30 iterations per epoch, averaged every 2: > 90% test accuracy.
                Result r = CommandLineTest.run("train", "--model", "dnn", "--data", dir.resolve("data").toString(),
                        "--output", dir.resolve("run").toString(), "--workers", "2", "--batch-size", "20",
                        "--averaging-frequency", "2", "--epochs", "2", "--eval-every", "0", "--seed", "3");
                assertEquals(0, r.code(), r.err());
                root = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** The data directory (train- and t10k- idx files, gzip'd). */
    static Path data() {
        return root().resolve("data");
    }

    /** The run directory: model.zip, summary.json, metrics. */
    static Path run() {
        return root().resolve("run");
    }

    static Path model() {
        return run().resolve("model.zip");
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
