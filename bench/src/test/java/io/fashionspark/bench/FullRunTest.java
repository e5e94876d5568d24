package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.model.ModelKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a full run answers "when did it first reach X" and "how fast was it". */
class FullRunTest {
    private static FullRun run(double finalAccuracy, double... accuracies) {
        List<FullRun.Checkpoint> checkpoints = new java.util.ArrayList<>();
        for (int i = 0; i < accuracies.length; i++) {
            checkpoints.add(new FullRun.Checkpoint(10_000L * (i + 1), 10.0 * (i + 1), accuracies[i]));
        }
        return new FullRun(ModelKind.CNN, ScenarioResult.Engine.SPARK, "test", 5, 300_000, 120.0, 130.0,
                finalAccuracy, 10_000, checkpoints);
    }

    @Test
    void theFirstTestAtOrAboveTheTargetCountsNotTheBest() {
        FullRun r = run(0.905, 0.80, 0.90, 0.89, 0.91);
        FullRun.Checkpoint c = r.firstReaching(0.90).orElseThrow();
        assertEquals(20_000, c.images());
        assertEquals(20.0, c.trainSeconds());
        assertEquals(0.91, r.bestAccuracy());
    }

    @Test
    void theFinalTestCountsWhenNoTestOnTheWayReachedIt() {
        FullRun r = run(0.902, 0.80, 0.85);
        FullRun.Checkpoint c = r.firstReaching(0.90).orElseThrow();
        assertEquals(300_000, c.images());
        assertEquals(120.0, c.trainSeconds());
    }

    @Test
    void neverReachedIsEmptyAndSpeedIsOverTheTrainingTimeOnly() {
        FullRun r = run(0.88, 0.80, 0.89);
        assertTrue(r.firstReaching(0.90).isEmpty());
        assertEquals(0.89, r.bestAccuracy());
        assertEquals(2_500.0, r.imagesPerSecond());
    }
}
