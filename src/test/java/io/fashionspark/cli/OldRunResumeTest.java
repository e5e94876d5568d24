package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fashionspark.cli.CommandLineTest.Result;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.rundir.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory written before config.json kept what was asked beside what was trained (src/test/resources/
 * run-written-2026-12-05: {@code train --model lenet --workers 8 --epochs 1 --train-limit 1600 --test-limit 200
 * --eval-every 0}, its config.json and last checkpoint, as that code wrote them) still reads and resumes. Needs the
 * real data, which the run was trained on.
 */
class OldRunResumeTest {
    private static final Path OLD = Path.of("src/test/resources/run-written-2026-12-05");
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path tmp;

    @Test
    void itsConfigReadsAsTheRunItTrained() throws IOException {
        TrainingConfig old = RunSummary.mapper().readValue(OLD.resolve("config.json").toFile(), TrainingConfig.class);
        // 8 workers x 100 exceeded the 200 images a step may take in: it trained minibatches of 25.
        assertEquals(25, old.batchSize());
        assertEquals(5, old.averagingFrequency());
        assertNull(old.asked(), "what was asked was not recorded then");
        assertEquals(old, old.withEpochs(1), "resuming keeps what it trained");
    }

    @Test
    void itResumesToTrainLonger() throws Exception {
        assumeTrue(Files.isDirectory(DATA), "real FashionMNIST not installed (apt-get install dataset-fashion-mnist)");
        Path run = tmp.resolve("old-run");
        RecipeTest.copy(OLD, run);
        Result resumed = CommandLineTest.run("train", "--resume", run.toString(), "--epochs", "2", "--progress",
                "none");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("Resuming from "), resumed.out());
        assertTrue(resumed.out().contains("batch 25"), resumed.out());
        assertTrue(Files.exists(run.resolve("model.zip")));
        TrainingConfig after = RunSummary.mapper().readValue(run.resolve("config.json").toFile(), TrainingConfig.class);
        assertEquals(2, after.epochs());
        assertEquals(25, after.batchSize());
    }
}
