package io.fashionspark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.scheduler.TaskInfo;
import scala.collection.JavaConverters;

/**
 * Spark's task metrics of each training job (one job per averaging round: dl4j-spark's {@code treeAggregate} of the
 * workers' results), kept per task rather than summed as {@link SparkTaskTimes} does: the round cost needs the bytes
 * each task sent back, and which tasks belong to which round.
 */
final class RoundTasks extends SparkListener {
    /** Stages created by dl4j-spark's training master (the evaluation jobs are left out). */
    private static final String TRAINING_CALL_SITE = "ParameterAveragingTrainingMaster";

    /**
     * One finished task of a training job.
     *
     * @param resultTask        true for the job's last stage (its results go to the driver); false for a shuffle map
     *                          task, which {@code treeAggregate} adds when it puts a level of executors between the
     *                          workers and the driver
     * @param schedulerDelayMs  as the Spark UI computes it: the task's time not spent running, (de)serialising or
     *                          having its result fetched
     * @param gettingResultMs   the driver's fetch of a result too large to ride in the task's status message
     * @param resultBytes       the serialised result (a replica's parameters and Adam state, summed over the task)
     * @param shuffleWriteBytes what a map task wrote for the next level (0 without one)
     * @param shuffleReadBytes  what a task of the next level fetched (0 without one)
     */
    record Task(boolean resultTask, long launchMs, long durationMs, long runMs, long deserializeMs,
                long resultSerializeMs, long gettingResultMs, long schedulerDelayMs, long resultBytes,
                long shuffleWriteBytes, long shuffleReadBytes, long shuffleFetchWaitMs) {
    }

    /** Training job id to its tasks, in job order; stage id to the training job it belongs to. */
    private final Map<Integer, List<Task>> jobs = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> stageToJob = new ConcurrentHashMap<>();

    static RoundTasks attach(SparkContext sc) {
        RoundTasks listener = new RoundTasks();
        sc.addSparkListener(listener);
        return listener;
    }

    @Override
    public void onJobStart(SparkListenerJobStart event) {
        List<StageInfo> stages = JavaConverters.seqAsJavaList(event.stageInfos());
        boolean training = stages.stream()
                .anyMatch(s -> (s.name() + " " + s.details()).contains(TRAINING_CALL_SITE));
        if (!training) {
            return;
        }
        jobs.put(event.jobId(), java.util.Collections.synchronizedList(new ArrayList<>()));
        stages.forEach(s -> stageToJob.put(s.stageId(), event.jobId()));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        Integer job = stageToJob.get(event.stageId());
        TaskMetrics m = event.taskMetrics();
        TaskInfo info = event.taskInfo();
        if (job == null || m == null || info == null || !info.successful()) {
            return;
        }
        long gettingResult = info.gettingResult() ? info.finishTime() - info.gettingResultTime() : 0;
        long delay = info.duration() - m.executorRunTime() - m.executorDeserializeTime() - m.resultSerializationTime()
                - gettingResult;
        jobs.get(job).add(new Task("ResultTask".equals(event.taskType()), info.launchTime(), info.duration(),
                m.executorRunTime(), m.executorDeserializeTime(), m.resultSerializationTime(), gettingResult,
                Math.max(0, delay), m.resultSize(), m.shuffleWriteMetrics().bytesWritten(),
                m.shuffleReadMetrics().totalBytesRead(), m.shuffleReadMetrics().fetchWaitTime()));
    }

    /** Each training job's tasks, in job order (one job per round), once Spark has delivered the events. */
    List<List<Task>> jobsInOrder(SparkContext sc) {
        try {
            sc.listenerBus().waitUntilEmpty(5000);
        } catch (Exception | LinkageError e) {
            // Spark-internal API; without it the last round's events may be missing (the caller checks counts).
        }
        return jobs.keySet().stream().sorted().map(id -> List.copyOf(jobs.get(id))).toList();
    }

    void detach(SparkContext sc) {
        sc.removeSparkListener(this);
    }
}
