package io.fashionspark.bench;

import java.util.List;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.stats.EventStats;

/**
 * Where one averaging round's wall time goes, averaged over a scenario's rounds, in milliseconds. Made from
 * dl4j-spark's training stats (driver and worker phase timers) and Spark's task metrics. Worker-side times are
 * means over the round's tasks (one per worker; the workers run side by side).
 *
 * @param rounds        averaging rounds
 * @param wallMs        the round as the driver saw it ({@code SparkDl4jMultiLayer.fit})
 * @param computeMs     the workers' fitting of their minibatches (forward, backward, Adam step)
 * @param broadcastMs   the driver's broadcast of parameters and Adam state (serialising them), and each worker's
 *                      fetch and deserialisation of it and building its replica from it
 * @param aggregationMs the part of the averaging job outside the workers' own function (serialising each replica's
 *                      parameters and Adam state, shipping and summing them), plus the driver's division and update
 * @param countMs       dl4j-spark's count of the round's data: a separate Spark job every round, which also builds
 *                      the minibatches once more
 * @param restMs        the remainder: scheduling between and inside jobs, the workers' wait for their minibatches,
 *                      splitting the data
 * @param serializationMs of the above, Spark's task deserialisation and result serialisation (task metrics)
 * @param schedulerDelayMs of the above, Spark's scheduler delay of the round's tasks (task metrics)
 */
public record RoundBreakdown(long rounds, double wallMs, double computeMs, double broadcastMs, double aggregationMs,
                             double countMs, double restMs, double serializationMs, double schedulerDelayMs) {
    static final String MASTER_FIT = "ParameterAveragingMasterFitTimesMs";
    static final String MASTER_COUNT = "ParameterAveragingMasterCountRddSizeTimesMs";
    static final String MASTER_SPLIT = "ParameterAveragingMasterSplitTimesMs";
    static final String MASTER_BROADCAST = "ParameterAveragingMasterBroadcastCreateTimesMs";
    static final String MASTER_AGGREGATE = "ParameterAveragingMasterAggregateTimesMs";
    static final String MASTER_PROCESS_PARAMS = "ParameterAveragingMasterProcessParamsUpdaterTimesMs";
    static final String WORKER_TOTAL = "WorkerFlatMapTotalTimeMs";
    static final String WORKER_BROADCAST_GET = "ParameterAveragingWorkerBroadcastGetValueTimeMs";
    static final String WORKER_INIT = "ParameterAveragingWorkerInitTimeMs";
    static final String WORKER_FIT = "ParameterAveragingWorkerFitTimesMs";

    /**
     * @param stats        dl4j-spark's stats of the whole scenario (all rounds)
     * @param rounds       rounds trained
     * @param trainSeconds the rounds' summed wall time
     * @param tasks        Spark task metrics of the training jobs (null: not collected)
     */
    public static RoundBreakdown of(SparkTrainingStats stats, long rounds, double trainSeconds,
                                    SparkTaskTimes.Totals tasks) {
        if (stats == null || rounds < 1) {
            return null;
        }
        double wall = trainSeconds * 1000 / rounds;
        // One worker task per worker per round; their count is the number of worker total-time events.
        long workerTasks = Math.max(1, events(stats, WORKER_TOTAL).size());
        double fit = sum(stats, WORKER_FIT) / workerTasks;
        double workerTotal = sum(stats, WORKER_TOTAL) / workerTasks;
        double broadcast = sum(stats, MASTER_BROADCAST) / rounds
                + (sum(stats, WORKER_BROADCAST_GET) + sum(stats, WORKER_INIT)) / workerTasks;
        double aggregation = Math.max(0, sum(stats, MASTER_AGGREGATE) / rounds - workerTotal)
                + sum(stats, MASTER_PROCESS_PARAMS) / rounds;
        double count = sum(stats, MASTER_COUNT) / rounds;
        double rest = wall - fit - broadcast - aggregation - count;
        double serialization = Double.NaN;
        double schedulerDelay = Double.NaN;
        if (tasks != null && tasks.tasks() > 0) {
            // The tasks of a job run side by side, one per worker: a worker's share per round.
            serialization = (tasks.deserializeMs() + tasks.resultSerializeMs()) / workerTasks;
            schedulerDelay = tasks.schedulerDelayMs() / workerTasks;
        }
        return new RoundBreakdown(rounds, wall, fit, broadcast, aggregation, count, rest, serialization,
                schedulerDelay);
    }

    /**
     * The peer exchange's rounds: compute is the workers fitting; broadcast, each segment's start and end (the
     * model's trips, the stage's launch) per round; aggregation, the all-reduce (waiting for the slowest peer
     * included); rest, the driver's share between stages (logging, listeners).
     *
     * @param rounds       rounds trained, in barrier stages or (after a lost host) on the driver
     * @param trainSeconds the rounds' summed wall time
     */
    public static RoundBreakdown ofPeers(io.fashionspark.train.PeerTimes times, long rounds, double trainSeconds) {
        if (times.rounds() < 1 || rounds < 1) {
            return null;
        }
        double wall = trainSeconds * 1000 / rounds;
        double fit = times.fitSeconds() * 1000 / times.rounds();
        double average = times.averageSeconds() * 1000 / times.rounds();
        double segments = Math.max(0, times.stageSeconds() * 1000 / times.rounds() - fit - average);
        return new RoundBreakdown(rounds, wall, fit, segments, average, 0, wall - fit - average - segments,
                Double.NaN, Double.NaN);
    }

    /** Share of the round's wall time the workers spend fitting. */
    public double computeShare() {
        return wallMs <= 0 ? Double.NaN : computeMs / wallMs;
    }

    static List<EventStats> events(SparkTrainingStats stats, String key) {
        try {
            List<EventStats> list = stats.getValue(key);
            return list == null ? List.of() : list;
        } catch (IllegalArgumentException | NullPointerException e) {
            // A key this version does not record, or nested stats missing (no round ran).
            return List.of();
        }
    }

    static double sum(SparkTrainingStats stats, String key) {
        return events(stats, key).stream().mapToLong(EventStats::getDurationMs).sum();
    }
}
