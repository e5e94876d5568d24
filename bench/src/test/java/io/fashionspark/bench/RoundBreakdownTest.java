package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.spark.api.stats.CommonSparkTrainingStats;
import org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingMasterStats;
import org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingWorkerStats;
import org.deeplearning4j.spark.stats.BaseEventStats;
import org.deeplearning4j.spark.stats.EventStats;
import org.junit.jupiter.api.Test;

/** The per-round breakdown from dl4j-spark's stats, on hand-made stats of 2 rounds with 2 workers. */
class RoundBreakdownTest {
    private static List<EventStats> ms(long... durations) {
        List<EventStats> list = new ArrayList<>();
        for (long d : durations) {
            list.add(new BaseEventStats(0, d));
        }
        return list;
    }

    @Test
    void splitsEachRoundIntoComputeBroadcastAggregationCountAndRest() {
        // 2 rounds x 2 workers = 4 worker tasks, each fitting 5 minibatches of 20 ms (100 ms per task).
        List<EventStats> fits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fits.addAll(ms(20));
        }
        ParameterAveragingTrainingWorkerStats worker = new ParameterAveragingTrainingWorkerStats(
                ms(4, 4, 4, 4), ms(6, 6, 6, 6), fits);
        CommonSparkTrainingStats common = new CommonSparkTrainingStats.Builder()
                .workerFlatMapTotalTimeMs(ms(120, 120, 120, 120))
                .workerFlatMapGetInitialModelTimeMs(ms(10, 10, 10, 10))
                .workerFlatMapDataSetGetTimesMs(ms())
                .workerFlatMapProcessMiniBatchTimesMs(ms())
                .trainingMasterSpecificStats(worker)
                .build();
        ParameterAveragingTrainingMasterStats stats = new ParameterAveragingTrainingMasterStats(common,
                ms(), ms(30, 30), ms(8, 8), ms(300, 300), ms(1, 1), ms(250, 250), ms(200, 200), ms(12, 12), ms());

        RoundBreakdown b = RoundBreakdown.of(stats, 2, 0.6, new SparkTaskTimes.Totals(8, 20, 20, 40));

        assertEquals(2, b.rounds());
        assertEquals(300, b.wallMs(), 1e-9);
        assertEquals(100, b.computeMs(), 1e-9);
        // Driver's broadcast (8) + each worker's fetch (4) and replica init (6).
        assertEquals(18, b.broadcastMs(), 1e-9);
        // The averaging job beyond the workers' function (200 - 120) + the driver's division and update (12).
        assertEquals(92, b.aggregationMs(), 1e-9);
        assertEquals(30, b.countMs(), 1e-9);
        assertEquals(300 - 100 - 18 - 92 - 30, b.restMs(), 1e-9);
        // Task metrics, a worker's share per round: (20 + 20) / 4 tasks' lanes, 40 / 4.
        assertEquals(10, b.serializationMs(), 1e-9);
        assertEquals(10, b.schedulerDelayMs(), 1e-9);
        assertEquals(1.0 / 3, b.computeShare(), 1e-9);
    }

    @Test
    void noStatsNoBreakdown() {
        assertNull(RoundBreakdown.of(null, 3, 1.0, null));
    }
}
