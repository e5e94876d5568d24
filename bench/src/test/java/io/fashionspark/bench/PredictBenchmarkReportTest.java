package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.model.ModelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The predict benchmark's report states each target from the measured figures, met or not. */
class PredictBenchmarkReportTest {
    private static PredictBenchmark.Results results(double rate100k, long rss10k, long rss100k) {
        PredictBenchmark.Settings settings = new PredictBenchmark.Settings(ModelKind.CNN, List.of(10_000, 100_000), 2,
                1, "/data", 42, Path.of("/tmp/x"), "bin/fashion-spark bench --predict-pictures 10000,100000");
        return new PredictBenchmark.Results(settings, "a test machine", List.of(
                new PredictBenchmark.Run(10_000, 1, 10_000, 0, 900, rss10k, 11),
                new PredictBenchmark.Run(100_000, 1, 100_000, 0, rate100k, rss100k, 70)),
                List.of(new PredictBenchmark.Run(100_000, 1, 100_000, 0, 2400, rss100k, 40)),
                List.of(3000.0), new PredictBenchmark.Costs(0.01, 0.2, 0.2), 1_475_530);
    }

    @Test
    void targetsAreJudgedFromTheFigures() {
        String missed = PredictBenchmark.markdown(results(1200, 1000, 1150));
        assertTrue(missed.contains("at 0.40 of the bare forward-pass rate (target: at least 0.5): not met"), missed);
        assertTrue(missed.contains("+15.0% (target: within 10%): not met"), missed);
        assertTrue(missed.contains("| 100,000 | 1,200 | 0.40 | 1,150 | 0 |"), missed);
        assertTrue(missed.contains("| 100,000 decoded (Parquet of grey levels) | 2,400 | 0.80 | 1,150 | 0 |"), missed);

        String met = PredictBenchmark.markdown(results(1600, 1000, 1050));
        assertTrue(met.contains("at 0.53 of the bare forward-pass rate (target: at least 0.5): met"), met);
        assertTrue(met.contains("+5.0% (target: within 10%): met"), met);
    }

    @Test
    void theResultsReadBackFromTheirJsonWriteTheSameReport(@TempDir Path tmp) throws Exception {
        PredictBenchmark.Results measured = results(1200, 1000, 1150);
        Path json = tmp.resolve("predict.json");
        Files.writeString(json, measured.json());
        assertTrue(PredictBenchmark.Results.in(json));
        assertEquals(measured, PredictBenchmark.Results.read(json));
        assertEquals(PredictBenchmark.markdown(measured), PredictBenchmark.markdown(PredictBenchmark.Results.read(json)));
        // A training bench's numbers are not taken for a predict bench's.
        Path training = tmp.resolve("training.json");
        Files.writeString(training, "{\"settings\": {}, \"scenarios\": []}");
        assertFalse(PredictBenchmark.Results.in(training));
    }
}
