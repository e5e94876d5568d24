package io.fashionspark.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/** The one layout the kernels' BLAS calls take: dense, row-major, from the array's first element. */
final class DenseArrays {
    private DenseArrays() {
    }

    /** {@code x} itself when it is dense row-major from its first element (reshapes are then views), else a copy. */
    static INDArray denseRowMajor(INDArray x) {
        return x.ordering() == 'c' && Shape.hasDefaultStridesForShape(x) && x.offset() == 0 ? x : x.dup('c');
    }
}
