package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fashionspark.config.ConfigException;
import io.fashionspark.model.ModelKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an image count becomes the images every scenario of a model trains. */
class BenchSettingsTest {
    private static BenchSettings settings(int dnnImages, int cnnImages) {
        return new BenchSettings(List.of(ModelKind.DNN, ModelKind.CNN),
                Map.of(ModelKind.DNN, dnnImages, ModelKind.CNN, cnnImages), List.of(1, 2), List.of(1, 5, 20), 100,
                List.of(100, 200), false, "auto", 0.9, 5, 10_000, 2, 5, "data", 0, 42, 1e-3, 2048, 10,
                Path.of("docs/benchmarks.md"), "bin/fashion-spark bench");
    }

    @Test
    void upToOneTrainingSetIsItsFirstImagesOnce() {
        BenchSettings s = settings(60_000, 30_000);
        assertEquals(new BenchSettings.Plan(60_000, 1), s.plan(ModelKind.DNN, 60_000));
        assertEquals(new BenchSettings.Plan(30_000, 1), s.plan(ModelKind.CNN, 60_000));
        // Every configuration of the defaults trains all of them: 30,000 is a whole number of 2 x 100 steps.
        assertEquals(30_000, s.plan(ModelKind.CNN, 60_000).images(100));
        assertEquals(30_000, s.plan(ModelKind.CNN, 60_000).images(200));
    }

    @Test
    void moreIsWholeEpochs() {
        BenchSettings s = settings(300_000, 100_000);
        assertEquals(new BenchSettings.Plan(60_000, 5), s.plan(ModelKind.DNN, 60_000));
        assertEquals(new BenchSettings.Plan(60_000, 2), s.plan(ModelKind.CNN, 60_000));
        assertEquals(300_000, s.plan(ModelKind.DNN, 60_000).images(200));
    }

    @Test
    void aPartialLastStepIsDropped() {
        assertEquals(1_000, new BenchSettings.Plan(1_050, 1).images(200));
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertThrows(ConfigException.class, () -> settings(0, 30_000));
        assertThrows(ConfigException.class, () -> new BenchSettings(List.of(ModelKind.CNN),
                Map.of(ModelKind.CNN, 100), List.of(0), List.of(1), 100, List.of(100), false, "auto", 0.9, 5, 10_000,
                2, 5, "data", 0, 42, 1e-3, 2048, 10, Path.of("x.md"), "c"));
        assertThrows(ConfigException.class, () -> new BenchSettings(List.of(ModelKind.CNN),
                Map.of(ModelKind.CNN, 100), List.of(1), List.of(1), 100, List.of(100), false, "auto", 1.5, 5, 10_000,
                2, 5, "data", 0, 42, 1e-3, 2048, 10, Path.of("x.md"), "c"));
    }
}
