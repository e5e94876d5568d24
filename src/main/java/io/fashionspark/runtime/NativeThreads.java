package io.fashionspark.runtime;

import org.apache.spark.SparkEnv;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many native threads a worker's work runs on: ND4J's BLAS (OpenBLAS; the matrix products of every dense layer),
 * whose count is one per process, and OpenMP (libnd4j's own operations, oneDNN's convolutions), whose count is one
 * per calling thread. Every worker of the embedded {@code local[N]} master lives in one process: left at the core
 * count, N workers side by side run N times as many threads as there are cores.
 *
 * <p>Measured on 2 cores with 2 embedded workers: one BLAS thread per worker trains the FashionDNN about 30% faster
 * than two, the same gain as {@code OMP_NUM_THREADS=1}, which can only be set before the JVM starts. When either
 * variable is set, nothing is changed here; note that ND4J then sets OpenBLAS's threads from
 * {@code OMP_NUM_THREADS} (or the cores), so {@code OPENBLAS_NUM_THREADS} alone does not decide them
 * (docs/reproducibility.md).
 */
public final class NativeThreads {
    /** Environment variables OpenBLAS and OpenMP read when they load; a user who sets one has chosen. */
    static final String[] ENVIRONMENT = {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"};
    /** The executor id of tasks that run in the driver's JVM (Spark's {@code SparkContext.DRIVER_IDENTIFIER}). */
    private static final String DRIVER_EXECUTOR_ID = "driver";

    private NativeThreads() {
    }

    /** The cores this JVM may use, shared out among {@code workers} workers (at least one thread each). */
    public static int perWorker(int workers) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers));
    }

    /** Whether {@code OPENBLAS_NUM_THREADS} or {@code OMP_NUM_THREADS} fixes the thread count for this process. */
    public static boolean fixedByEnvironment() {
        for (String name : ENVIRONMENT) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets the process's BLAS threads to {@code threads} unless the environment fixed them; returns the count in
     * effect afterwards.
     */
    public static int useBlasThreads(int threads) {
        Blas blas = Nd4j.factory().blas();
        if (!fixedByEnvironment()) {
            blas.setMaxThreads(Math.max(1, threads));
        }
        return blas.getMaxThreads();
    }

    /**
     * Gives the calling task thread OpenMP threads (libnd4j's own operations and oneDNN's convolutions) for its
     * share of this JVM's cores, where the task runs in the driver's JVM (the embedded master) and the environment
     * has not fixed them. OpenMP keeps its thread count per thread, so each task sets it on its own thread, before
     * it fits: left at the core count, N workers side by side start N times as many OpenMP threads as there are
     * cores, which spin while they wait. Measured on 2 cores with 2 workers: 4-8% more images/s (FashionDNN) and
     * 3-11% (FashionCNN), 3 alternated runs each (docs/exchange.md). On an executor the deploy scripts set
     * {@code OMP_NUM_THREADS=1}.
     */
    public static void shareOpenMpThreads(int workers) {
        SparkEnv env = SparkEnv.get();
        if (fixedByEnvironment() || env == null || !DRIVER_EXECUTOR_ID.equals(env.executorId())) {
            return;
        }
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(perWorker(workers));
    }

    /** The OpenMP threads an operation started from the calling thread runs on. */
    public static int openMpThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /** The BLAS threads each matrix product runs on now. */
    public static int blasThreads() {
        return Nd4j.factory().blas().getMaxThreads();
    }
}
