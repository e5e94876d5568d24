package io.fashionspark.runtime;

import io.fashionspark.model.ModelSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;

/**
 * Checks, on the driver before training, that the executors' off-heap settings leave room for the chosen model and
 * batch size. ND4J keeps parameters, gradients, Adam's moments and activations outside the Java heap, where Spark's
 * memory settings do not see them: too small a JavaCPP cap makes every allocation force a GC (slow), and too small a
 * YARN/Kubernetes memory overhead gets containers killed. Each warning names the setting to change and a value.
 */
public final class OffHeapCheck {
    /** The native library (libnd4jcpu, oneDNN), JVM metaspace, code cache and thread stacks of one process. */
    static final long PROCESS_BASE = 512L << 20;
    /** DL4J's workspaces and the minibatch being fitted, per task, beyond what the estimate below counts. */
    static final long TASK_BASE = 256L << 20;

    private static final Pattern MAX_PHYSICAL = Pattern.compile(
            "-D" + Pattern.quote(NativeDefaults.MAX_PHYSICAL_BYTES) + "=(\\S+)");
    private static final String PHYSICAL = NativeDefaults.MAX_PHYSICAL_BYTES;

    private OffHeapCheck() {
    }

    /**
     * Off-heap bytes one training task needs: float parameters, gradients and Adam's two moments (4 copies), the
     * activations of a minibatch kept for the backward pass with their gradients and one workspace copy (3 copies),
     * and the workspace base.
     */
    public static long perTaskBytes(ModelSummary model, int batchSize) {
        return 4L * 4 * model.totalParams() + 3L * 4 * model.activationsPerImage() * batchSize + TASK_BASE;
    }

    /** Off-heap bytes an executor (or the embedded JVM) running {@code tasks} training tasks at once needs. */
    public static long processBytes(ModelSummary model, int batchSize, int tasks) {
        return PROCESS_BASE + tasks * perTaskBytes(model, batchSize);
    }

    /**
     * Warnings for {@code conf} (the driver's, which holds what executors are launched with).
     *
     * @param workers        training tasks run at once in all (the embedded master runs them all in this JVM)
     * @param thisJvmHeap    this JVM's max heap, which matters with the embedded master
     * @param thisJvmCap     this JVM's JavaCPP cap ({@link NativeDefaults#MAX_PHYSICAL_BYTES}), or null
     */
    public static List<String> warnings(SparkConf conf, ModelSummary model, int batchSize, int workers,
                                        long thisJvmHeap, String thisJvmCap) {
        List<String> warnings = new ArrayList<>();
        String master = conf.get("spark.master", "local");
        if (master.startsWith("local")) {
            long need = thisJvmHeap + processBytes(model, batchSize, workers);
            if (thisJvmCap == null) {
                warnings.add("-D" + PHYSICAL + " is not set for this JVM; set it to at least " + mib(need)
                        + " (heap + off-heap for " + workers + " " + model.model() + " workers at batch " + batchSize
                        + ")");
            } else if (bytes(thisJvmCap) < need) {
                warnings.add("-D" + PHYSICAL + "=" + thisJvmCap + " is too small for " + workers + " "
                        + model.model() + " workers at batch " + batchSize + " in this JVM; raise it to at least "
                        + mib(need) + " (conf/jvm.options)");
            }
            return warnings;
        }

        int tasksPerExecutor = Math.max(1, Math.min(workers,
                conf.getInt("spark.executor.cores", defaultExecutorCores(master, workers))));
        // Spark reads a bare number in these two settings as MiB.
        long heap = conf.getSizeAsMb("spark.executor.memory", "1g") << 20;
        long offHeap = processBytes(model, batchSize, tasksPerExecutor);
        String what = " for " + tasksPerExecutor + " " + model.model() + " task(s) per executor at batch " + batchSize;

        Matcher cap = MAX_PHYSICAL.matcher(conf.get("spark.executor.extraJavaOptions", ""));
        if (!cap.find()) {
            warnings.add("spark.executor.extraJavaOptions has no -D" + PHYSICAL + "; add -D" + PHYSICAL + "="
                    + mib(heap + offHeap) + " (executor heap + off-heap" + what + ", see conf/spark-defaults.conf)");
        } else if (bytes(cap.group(1)) < heap + offHeap) {
            warnings.add("spark.executor.extraJavaOptions sets -D" + PHYSICAL + "=" + cap.group(1)
                    + ", too small" + what + "; raise it to at least " + mib(heap + offHeap));
        }

        if (master.startsWith("yarn") || master.startsWith("k8s")) {
            // Spark's default overhead: max(384 MiB, 10% of executor memory); the container is killed above it.
            String set = conf.get("spark.executor.memoryOverhead", null);
            long overhead = set != null ? conf.getSizeAsMb("spark.executor.memoryOverhead", set) << 20
                    : Math.max(384L << 20, heap / 10);
            if (overhead < offHeap) {
                warnings.add("spark.executor.memoryOverhead is " + (set == null ? "unset (Spark's default "
                        + mib(overhead) + ")" : set) + ", too small" + what + "; the scheduler kills executors that "
                        + "exceed it: set spark.executor.memoryOverhead=" + mib(offHeap));
            }
        }
        return warnings;
    }

    private static int defaultExecutorCores(String master, int workers) {
        // YARN and Kubernetes give an executor one core unless told; standalone gives it all of a worker's.
        return master.startsWith("yarn") || master.startsWith("k8s") ? 1 : workers;
    }

    /** A JavaCPP size: bytes, or with a k/m/g/t unit. */
    static long bytes(String size) {
        String s = size.trim().toLowerCase(Locale.ROOT);
        // JavaCPP accepts a trailing 'b' or none; Spark's parser wants none or a unit.
        if (s.endsWith("b") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        return Character.isDigit(s.charAt(s.length() - 1)) ? Long.parseLong(s) : JavaUtils.byteStringAsBytes(s);
    }

    static String mib(long bytes) {
        return ((bytes + (1L << 20) - 1) >> 20) + "m";
    }
}
