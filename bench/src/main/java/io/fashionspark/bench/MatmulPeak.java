package io.fashionspark.bench;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's practical floating-point peak as ND4J reaches it: a large single-precision matrix multiply
 * ({@code C = A B}, n x n, 2 n^3 FLOPs) timed several times after a warm-up, with ND4J's own thread count.
 *
 * @param size        n
 * @param repetitions timed multiplications
 * @param bestSeconds the fastest of them (the peak)
 * @param medianSeconds their median
 * @param threads     ND4J's BLAS thread count while it ran
 */
public record MatmulPeak(int size, int repetitions, double bestSeconds, double medianSeconds, int threads) {
    public static final int DEFAULT_SIZE = 2048;
    public static final int DEFAULT_REPETITIONS = 10;
    private static final int WARM_UP = 3;

    public static MatmulPeak measure(int size, int repetitions) {
        if (size < 1 || repetitions < 1) {
            throw new IllegalArgumentException("size and repetitions must be positive");
        }
        Nd4j.getRandom().setSeed(1);
        INDArray a = Nd4j.rand(DataType.FLOAT, size, size);
        INDArray b = Nd4j.rand(DataType.FLOAT, size, size);
        INDArray c = Nd4j.create(DataType.FLOAT, size, size);
        for (int i = 0; i < WARM_UP; i++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        double[] seconds = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            Nd4j.getExecutioner().commit();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = repetitions % 2 == 1 ? sorted[repetitions / 2]
                : (sorted[repetitions / 2 - 1] + sorted[repetitions / 2]) / 2;
        return new MatmulPeak(size, repetitions, sorted[0], median, io.fashionspark.runtime.NativeThreads.blasThreads());
    }

    public double flopsPerMultiply() {
        return 2.0 * size * size * size;
    }

    /** The peak: GFLOP/s of the fastest multiplication. */
    public double gflops() {
        return flopsPerMultiply() / bestSeconds / 1e9;
    }

    public double medianGflops() {
        return flopsPerMultiply() / medianSeconds / 1e9;
    }
}
