package io.fashionspark.bench;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.stats.EventStats;

/**
 * Where one averaging round's time went, on the driver's critical path, in milliseconds. The five parts add up to
 * the round's wall time by construction:
 * {@code wall = broadcast + launch + workerSpan + results + other}.
 *
 * <p>Made from dl4j-spark's training stats (one event per phase, with start times) and Spark's task metrics.
 * Times across JVMs are compared on their wall clocks, so the split is exact on one host and off by the clock skew
 * between hosts elsewhere; the phase durations themselves are each measured inside one JVM.
 *
 * @param wallMs          dl4j-spark's {@code fit} of the round (the driver's view)
 * @param broadcastMs     the driver serialising the parameters and Adam state into a broadcast
 * @param launchMs        from the averaging job's start to the first worker function starting: job submission,
 *                        scheduling, shipping and deserialising the tasks
 * @param workerSpanMs    from the first worker function starting to the last one ending
 * @param resultsMs       from the last worker function ending to the driver holding the new parameters: result
 *                        serialisation, transfer (and a shuffle level of {@code treeAggregate}, where it adds one),
 *                        the driver's sum, division and update
 * @param otherMs         the rest of {@code fit}: splitting the data, creating the worker function
 * @param fetchMs         of the worker span, a worker's fetch and deserialisation of the broadcast and building its
 *                        replica from it (mean over the round's workers)
 * @param computeMs       of the worker span, the slowest worker's fitting of its minibatches
 * @param computeMeanMs   the mean worker's fitting (the slowest minus this is the round's skew)
 * @param schedulerDelayMs Spark's scheduler delay, mean over the round's tasks
 * @param taskDeserializeMs Spark's task deserialisation, mean over the round's tasks
 * @param resultSerializeMs Spark's result serialisation, mean over the tasks of the first stage
 * @param gettingResultMs the driver's fetch of results sent aside (over Spark's size for a status message), mean
 * @param resultBytes     the serialised result of one worker's task (mean; its shuffle write where a level of
 *                        executors aggregates first)
 * @param driverResults   results the driver received (the workers', or the last level's)
 */
record RoundPhases(double wallMs, double broadcastMs, double launchMs, double workerSpanMs, double resultsMs,
                   double otherMs, double fetchMs, double computeMs, double computeMeanMs, double schedulerDelayMs,
                   double taskDeserializeMs, double resultSerializeMs, double gettingResultMs, double resultBytes,
                   int driverResults) {

    /**
     * Splits a run's stats into its rounds. Every round must have had {@code workers} tasks fitting {@code steps}
     * minibatches each: dl4j-spark appends each round's events in round order (a round's own events in no
     * particular order), which is what assigns them to rounds without comparing clocks.
     *
     * @param jobs the run's training jobs' tasks, one job per round, in order (from {@link RoundTasks})
     */
    static List<RoundPhases> of(SparkTrainingStats stats, int rounds, int workers, int steps,
                                List<List<RoundTasks.Task>> jobs) {
        List<EventStats> fit = need(stats, RoundBreakdown.MASTER_FIT, rounds);
        List<EventStats> broadcast = need(stats, RoundBreakdown.MASTER_BROADCAST, rounds);
        List<EventStats> aggregate = need(stats, RoundBreakdown.MASTER_AGGREGATE, rounds);
        List<EventStats> process = need(stats, RoundBreakdown.MASTER_PROCESS_PARAMS, rounds);
        List<EventStats> total = need(stats, RoundBreakdown.WORKER_TOTAL, rounds * workers);
        List<EventStats> get = need(stats, RoundBreakdown.WORKER_BROADCAST_GET, rounds * workers);
        List<EventStats> init = need(stats, RoundBreakdown.WORKER_INIT, rounds * workers);
        List<EventStats> fits = need(stats, RoundBreakdown.WORKER_FIT, rounds * workers * steps);
        if (jobs.size() != rounds) {
            throw new IllegalStateException(jobs.size() + " training jobs for " + rounds
                    + " rounds: a round should be one Spark job");
        }
        List<RoundPhases> out = new ArrayList<>(rounds);
        for (int r = 0; r < rounds; r++) {
            long firstStart = Long.MAX_VALUE;
            long lastEnd = Long.MIN_VALUE;
            double fetch = 0;
            for (int w = r * workers; w < (r + 1) * workers; w++) {
                EventStats t = total.get(w);
                firstStart = Math.min(firstStart, t.getStartTime());
                lastEnd = Math.max(lastEnd, t.getStartTime() + t.getDurationMs());
                fetch += get.get(w).getDurationMs() + init.get(w).getDurationMs();
            }
            // Each worker task's fit events are contiguous: dl4j-spark appends a task's list whole.
            double slowest = 0;
            double sum = 0;
            for (int w = 0; w < workers; w++) {
                int from = (r * workers + w) * steps;
                long taskFit = fits.subList(from, from + steps).stream().mapToLong(EventStats::getDurationMs).sum();
                slowest = Math.max(slowest, taskFit);
                sum += taskFit;
            }
            EventStats agg = aggregate.get(r);
            double wall = fit.get(r).getDurationMs();
            double bc = broadcast.get(r).getDurationMs();
            double launch = Math.max(0, firstStart - agg.getStartTime());
            double span = lastEnd - firstStart;
            double results = Math.max(0, agg.getStartTime() + agg.getDurationMs() - lastEnd)
                    + process.get(r).getDurationMs();
            double other = wall - bc - launch - span - results;
            List<RoundTasks.Task> tasks = jobs.get(r);
            boolean tree = tasks.stream().anyMatch(t -> !t.resultTask());
            List<RoundTasks.Task> first = tasks.stream().filter(t -> t.resultTask() != tree).toList();
            List<RoundTasks.Task> last = tasks.stream().filter(RoundTasks.Task::resultTask).toList();
            double bytes = first.stream().mapToLong(t -> tree ? t.shuffleWriteBytes() : t.resultBytes()).average()
                    .orElse(Double.NaN);
            out.add(new RoundPhases(wall, bc, launch, span, results, other, fetch / workers, slowest, sum / workers,
                    mean(tasks, RoundTasks.Task::schedulerDelayMs), mean(tasks, RoundTasks.Task::deserializeMs),
                    mean(first, RoundTasks.Task::resultSerializeMs), mean(last, RoundTasks.Task::gettingResultMs),
                    bytes, last.size()));
        }
        return out;
    }

    /** The mean of each field over the rounds (driver results: the last round's). */
    static RoundPhases mean(List<RoundPhases> rounds) {
        int n = rounds.size();
        double[] s = new double[14];
        for (RoundPhases p : rounds) {
            double[] v = p.values();
            for (int i = 0; i < s.length; i++) {
                s[i] += v[i] / n;
            }
        }
        return new RoundPhases(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12],
                s[13], rounds.get(n - 1).driverResults());
    }

    private double[] values() {
        return new double[] {wallMs, broadcastMs, launchMs, workerSpanMs, resultsMs, otherMs, fetchMs, computeMs,
            computeMeanMs, schedulerDelayMs, taskDeserializeMs, resultSerializeMs, gettingResultMs, resultBytes};
    }

    /** The worker span beyond fetching and the slowest worker's fitting: skew between workers, waits for data. */
    double workerWaitMs() {
        return workerSpanMs - fetchMs - computeMs;
    }

    /** Everything but the workers' fitting: what the round pays for communicating and coordinating. */
    double communicationMs() {
        return wallMs - computeMs;
    }

    private static double mean(List<RoundTasks.Task> tasks, java.util.function.ToLongFunction<RoundTasks.Task> f) {
        return tasks.stream().mapToLong(f).average().orElse(Double.NaN);
    }

    private static List<EventStats> need(SparkTrainingStats stats, String key, int expected) {
        List<EventStats> events = RoundBreakdown.events(stats, key);
        if (events.size() != expected) {
            throw new IllegalStateException("dl4j-spark recorded " + events.size() + " " + key + " events, expected "
                    + expected + ": every round must fit the same number of minibatches on every worker");
        }
        return events;
    }
}
