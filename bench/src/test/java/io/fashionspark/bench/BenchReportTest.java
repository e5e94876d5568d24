package io.fashionspark.bench;

import static io.fashionspark.bench.BenchFixtures.TORCH;
import static io.fashionspark.bench.BenchFixtures.fullRun;
import static io.fashionspark.bench.BenchFixtures.pytorch;
import static io.fashionspark.bench.BenchFixtures.results;
import static io.fashionspark.bench.BenchFixtures.settings;
import static io.fashionspark.bench.BenchFixtures.single;
import static io.fashionspark.bench.BenchFixtures.spark;
import static io.fashionspark.model.ModelKind.CNN;
import static io.fashionspark.model.ModelKind.DNN;
import static io.fashionspark.model.ModelKind.LENET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.bench.ScenarioResult.Engine;
import io.fashionspark.model.ModelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a run made by hand: its sections, its targets table and tables that stay tables. */
class BenchReportTest {
    private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

    private static BenchResults measured() {
        List<ModelKind> models = List.of(DNN, CNN, LENET);
        List<ScenarioResult> s = new ArrayList<>();
        for (ModelKind m : models) {
            s.add(single(m, 100, 10_000, 0.85));
            s.add(single(m, 200, 12_000, 0.83));
            for (int w : List.of(1, 2)) {
                s.add(spark(m, w, 5, 6_000.0 * w, 0.84));
            }
        }
        s.add(pytorch(DNN, 8_000, 0.84));
        return results(settings(models, List.of(1, 2), List.of(5), 5, 0.9), s, List.of(
                fullRun(DNN, Engine.SPARK, 15_000, 0.87, 0.85), fullRun(CNN, Engine.SPARK, 2_500, 0.91, 0.905),
                fullRun(DNN, Engine.PYTORCH, 10_000, 0.86, 0.84)), TORCH, null);
    }

    private static String report() {
        return BenchReport.markdown(measured());
    }

    @Test
    void theResultsReadBackFromTheirJsonWriteTheSameReport(@TempDir Path tmp) throws Exception {
        BenchResults measured = measured();
        Path json = tmp.resolve("run.json");
        Files.writeString(json, measured.json());
        BenchResults again = BenchResults.read(json);
        assertEquals(measured, again);
        assertEquals(BenchReport.markdown(measured), BenchReport.markdown(again));
    }

    @Test
    void everyRowOfEveryTableHasACellPerColumn() {
        String md = report();
        int tables = 0;
        int columns = -1;
        for (String line : md.split("\n")) {
            if (!line.startsWith("|")) {
                columns = -1;
                continue;
            }
            int cells = CELL_SEPARATOR.split(line, -1).length - 2;
            if (columns < 0) {
                columns = cells;
                tables++;
            }
            assertEquals(columns, cells, line);
        }
        // Ratios, targets, a raw table per model, the round breakdown, FLOPs, full runs.
        assertEquals(8, tables, md);
        assertFalse(md.contains("NaN"), md);
    }

    @Test
    void theTargetsTableListsEachTargetForEachModelItIsSetFor() {
        String md = report();
        String targets = md.substring(md.indexOf("## Targets"), md.indexOf("## Raw figures"));
        assertTrue(targets.contains("| Target | Measured | Met |\n|---|---|---|\n"
                + "| Spark 2 workers ≥ 0.90x the images/s of the best single JVM, FashionDNN | 1.00x (Spark 2 workers, "
                + "avg every 5 against single JVM, batch 200) | **met** |\n"
                + "| Spark 2 workers ≥ 0.90x the images/s of the best single JVM, FashionCNN | 1.00x"), targets);
        assertTrue(targets.contains("| ≥ 1.00x PyTorch's training images/s at equal or better test accuracy, "
                + "FashionDNN | 1.50x after 5 epochs (full runs, DL4J Spark 2 workers, batch 100, avg every 5, driver); "
                + "accuracy 87.00% against 86.00% | **met** |"), targets);
        assertTrue(targets.contains("| ≥ 1.00x PyTorch's training images/s at equal or better test accuracy, "
                + "FashionCNN | PyTorch failed | n/a |"), targets);
        assertTrue(targets.contains("| FashionCNN time to 90.00% test accuracy reported, no worse than PyTorch's | "
                + "DL4J 20.0 s (50,000 images); PyTorch failed | n/a |"), targets);
        assertEquals(6, targets.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Target")).count(),
                "none for LeNet-5:\n" + targets);
        assertFalse(md.toLowerCase(java.util.Locale.ROOT).contains("issue"), md);
    }
}
