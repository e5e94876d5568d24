package io.fashionspark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** The embedded master's workers share the JVM's cores instead of each running a product on all of them. */
class NativeThreadsTest {

    @Test
    void coresAreSharedOutAmongWorkersWithAtLeastOneEach() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, NativeThreads.perWorker(1));
        assertEquals(Math.max(1, cores / 2), NativeThreads.perWorker(2));
        assertEquals(1, NativeThreads.perWorker(cores * 4));
    }

    @Test
    void anEmbeddedContextGivesEachWorkerItsShareOfBlasThreads() {
        assumeFalse(NativeThreads.fixedByEnvironment(), "OMP_NUM_THREADS or OPENBLAS_NUM_THREADS is set here");
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            try (JavaSparkContext sc = SparkContexts.create("threads-test", 2)) {
                assertEquals(NativeThreads.perWorker(2), NativeThreads.blasThreads());
            }
            try (JavaSparkContext sc = SparkContexts.create("threads-test", 1)) {
                assertEquals(cores, NativeThreads.blasThreads());
            }
        } finally {
            NativeThreads.useBlasThreads(cores);
        }
    }

    @Test
    void anEmbeddedTaskRunsItsShareOfOpenMpThreadsOnItsOwnThread() {
        assumeFalse(NativeThreads.fixedByEnvironment(), "OMP_NUM_THREADS or OPENBLAS_NUM_THREADS is set here");
        int cores = Runtime.getRuntime().availableProcessors();
        try (JavaSparkContext sc = SparkContexts.create("omp-threads-test", 2)) {
            List<Integer> perTask = sc.parallelize(List.of(0, 1), 2).map(x -> {
                NativeThreads.shareOpenMpThreads(2);
                return NativeThreads.openMpThreads();
            }).collect();
            assertEquals(List.of(NativeThreads.perWorker(2), NativeThreads.perWorker(2)), perTask);
            // OpenMP keeps the count per thread: the caller's own is left as it was.
            assertEquals(cores, NativeThreads.openMpThreads());
        } finally {
            NativeThreads.useBlasThreads(cores);
        }
    }
}
