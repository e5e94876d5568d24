package io.fashionspark.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Spark's own task metrics of the training jobs (dl4j-spark's count and averaging jobs; the evaluation jobs are left
 * out): task deserialisation, result serialisation and scheduler delay, as the Spark UI computes them.
 */
final class SparkTaskTimes extends SparkListener {
    /** Stages whose call site is dl4j-spark's training master. */
    private static final String TRAINING_CALL_SITE = "ParameterAveragingTrainingMaster";

    /** Sums over the training tasks, in milliseconds. */
    record Totals(long tasks, long deserializeMs, long resultSerializeMs, long schedulerDelayMs) {
    }

    private final Map<Integer, Boolean> trainingStages = new ConcurrentHashMap<>();
    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong deserialize = new AtomicLong();
    private final AtomicLong resultSerialize = new AtomicLong();
    private final AtomicLong schedulerDelay = new AtomicLong();

    static SparkTaskTimes attach(SparkContext sc) {
        SparkTaskTimes listener = new SparkTaskTimes();
        sc.addSparkListener(listener);
        return listener;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
        String where = event.stageInfo().name() + " " + event.stageInfo().details();
        trainingStages.put(event.stageInfo().stageId(), where.contains(TRAINING_CALL_SITE));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        TaskMetrics m = event.taskMetrics();
        TaskInfo info = event.taskInfo();
        if (m == null || info == null || !trainingStages.getOrDefault(event.stageId(), false)) {
            return;
        }
        tasks.incrementAndGet();
        deserialize.addAndGet(m.executorDeserializeTime());
        resultSerialize.addAndGet(m.resultSerializationTime());
        long gettingResult = info.gettingResult() ? info.finishTime() - info.gettingResultTime() : 0;
        long delay = info.duration() - m.executorRunTime() - m.executorDeserializeTime() - m.resultSerializationTime()
                - gettingResult;
        schedulerDelay.addAndGet(Math.max(0, delay));
    }

    /** The sums so far, once Spark has delivered the events of finished jobs (waits up to 5 s for that). */
    Totals totals(SparkContext sc) {
        try {
            sc.listenerBus().waitUntilEmpty(5000);
        } catch (Exception | LinkageError e) {
            // Spark-internal API; without it the last few events may be missing.
        }
        return new Totals(tasks.get(), deserialize.get(), resultSerialize.get(), schedulerDelay.get());
    }

    void detach(SparkContext sc) {
        sc.removeSparkListener(this);
    }
}
