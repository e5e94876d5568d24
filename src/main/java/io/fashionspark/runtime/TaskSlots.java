package io.fashionspark.runtime;

import io.fashionspark.config.ConfigException;
import io.fashionspark.model.ModelSummary;
import java.lang.management.ManagementFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Refuses, in one sentence and before any training, a worker count that cannot run: every worker is a task that
 * must run at the same time as the others (a round waits for all of them). Asking for more than the machine or the
 * cluster can hold would otherwise start 100,000 threads, or run the round's tasks in waves at a fraction of the
 * speed.
 */
public final class TaskSlots {
    /** Spark's own bound on waiting for executors before the first job; the same bound applies here. */
    static final String WAIT_SETTING = "spark.scheduler.maxRegisteredResourcesWaitingTime";

    private TaskSlots() {
    }

    /**
     * On the embedded master each worker is a thread of this JVM with its own replica, off-heap (estimated as
     * {@link OffHeapCheck#perTaskBytes}). The workers that this machine's memory (or the container's limit, which
     * the JVM reports instead) holds beside the heap and the process's own needs.
     */
    public static long embeddedLimit(ModelSummary model, int batchSize, long machineBytes, long heapBytes) {
        return Math.max(0, (machineBytes - heapBytes - OffHeapCheck.PROCESS_BASE)
                / OffHeapCheck.perTaskBytes(model, batchSize));
    }

    /** Throws when {@code workers} replicas do not fit in this machine's memory (see {@link #embeddedLimit}). */
    public static void requireEmbeddedRoom(ModelSummary model, int batchSize, int workers) {
        long machine = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long heap = Runtime.getRuntime().maxMemory();
        long limit = embeddedLimit(model, batchSize, machine, heap);
        if (workers > limit) {
            throw new ConfigException("--workers " + workers + " is more than this machine can hold on the embedded"
                    + " master: each worker is a thread with its own " + model.model() + " replica, about "
                    + mib(OffHeapCheck.perTaskBytes(model, batchSize)) + " off-heap at batch " + batchSize + ", and "
                    + mib(machine) + " of memory less the " + mib(heap) + " heap holds at most " + limit
                    + "; use --workers " + Math.max(1, limit) + " or fewer, or a cluster");
        }
    }

    /**
     * On a cluster, waits (up to Spark's {@value #WAIT_SETTING}, 30 s by default) until the executors offer
     * {@code workers} task slots, and refuses with the numbers when they do not. Nothing to wait for on the
     * embedded master, nor with dynamic allocation, which adds executors only once tasks wait for them.
     */
    public static void awaitCluster(JavaSparkContext jsc, int workers) {
        SparkContext sc = jsc.sc();
        SparkConf conf = sc.getConf();
        if (sc.isLocal() || conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            return;
        }
        long waitMs = conf.getTimeAsMs(WAIT_SETTING, "30s");
        long deadline = System.nanoTime() + waitMs * 1_000_000L;
        int slots = slots(sc);
        while (slots < workers && System.nanoTime() < deadline && !sc.isStopped()) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            slots = slots(sc);
        }
        if (sc.isStopped()) {
            // Spark gives up on a master that does not answer (or refuses the connection) after three tries.
            throw new ClusterRefusedException("the Spark master " + sc.master() + " did not take this application "
                    + "(Spark stopped it, see the log above): a secured cluster refuses a wrong or missing secret "
                    + "(spark.authenticate.secret; deploy/standalone/submit.sh reads it from start-cluster.sh's state "
                    + "directory), or no master runs at that address");
        }
        if (slots < workers) {
            int executors = sc.statusTracker().getExecutorInfos().length - 1; // less the driver
            throw new ConfigException("--workers " + workers + " needs " + workers + " task slots at once, but the "
                    + "cluster gave " + executors + " executor(s) with " + slots + " slot(s) in all after waiting "
                    + (waitMs / 1000) + " s (" + WAIT_SETTING + "); ask for more executor cores (--total-executor-cores,"
                    + " --num-executors x --executor-cores) or use --workers " + Math.max(1, slots));
        }
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    /** Tasks the executors can run at once now, as Spark counts them for barrier stages. */
    public static int available(JavaSparkContext jsc) {
        return slots(jsc.sc());
    }

    /** How long a run waits for task slots to (re)appear: Spark's own bound for the first job, 30 s by default. */
    public static long waitMillis(JavaSparkContext jsc) {
        return jsc.getConf().getTimeAsMs(WAIT_SETTING, "30s");
    }

    private static int slots(SparkContext sc) {
        return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    }
}
