package io.fashionspark.kernels;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ReLU, max(0, x), with the gradient computed in place: dL/dx = step(x) * dL/dy, written over the copy of the input
 * that DL4J hands to {@link #backprop} (which may be modified, see {@code IActivation}).
 *
 * <p>Why not DL4J's {@code ActivationReLU}: its backprop allocates a new array and runs libnd4j's {@code relu_bp},
 * several times slower than the step and the product on activations this large; the two ReLU layers' backprop was
 * a tenth of a CNN worker's time (timings in docs/performance.md). The values are the same: the gradient is
 * 1 where x &gt; 0 and 0 elsewhere, as DL4J's.
 */
public final class InPlaceRelu extends BaseActivationFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        Nd4j.exec(new RectifiedLinear(in, in, 0.0));
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        Nd4j.exec(new Step(in, in, 0.0));
        in.muli(epsilon);
        return new Pair<>(in, null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InPlaceRelu;
    }

    @Override
    public int hashCode() {
        return InPlaceRelu.class.hashCode();
    }

    /** As DL4J's ReLU prints itself, so that model summaries read the same. */
    @Override
    public String toString() {
        return "relu";
    }
}
