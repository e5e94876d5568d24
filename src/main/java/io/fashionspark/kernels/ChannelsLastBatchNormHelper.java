package io.fashionspark.kernels;

import java.util.Collections;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation of channels-last activations for DL4J's {@code BatchNormalization} layer, in place of DL4J
 * M2.1's oneDNN helper.
 *
 * <p>Why: on the CPU backend the oneDNN helper computes the batch mean and variance with ND4J's reductions along
 * dimensions 0-2, strided reductions that cost more than the normalisation itself, and its backward goes through
 * libnd4j's {@code batchnorm_bp}; batch norm was a third of a FashionCNN worker's time. Seen as a matrix of
 * positions x channels, every per-channel sum here is one matrix-vector product with a row of ones, and everything
 * else is an element-wise or row-broadcast pass, several times faster (timings in docs/performance.md).
 *
 * <p>The arithmetic is DL4J's own (batch mean, biased batch variance, {@code eps} inside the square root), so
 * training follows the same path; the layer still updates its running mean and variance from
 * {@link #getMeanCache} and {@link #getVarCache}. Activations whose channels are not the last dimension get
 * {@code null}, which makes the layer use its built-in implementation.
 */
final class ChannelsLastBatchNormHelper implements BatchNormalizationHelper {
    /** Batch mean and biased batch variance of the last training forward pass, [channels]; read by backprop. */
    private INDArray meanCache;
    private INDArray varCache;
    /** A row of ones as long as the last minibatch had positions (examples x height x width). */
    private INDArray ones;

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
            INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!channelsLast(x, format, gamma) || beta == null) {
            return null;
        }
        INDArray input = DenseArrays.denseRowMajor(x);
        long channels = input.size(input.rank() - 1);
        long positions = input.length() / channels;
        INDArray rows = input.reshape('c', positions, channels);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        INDArray outRows = out.reshape('c', positions, channels);

        INDArray batchMean;
        INDArray batchVar;
        if (training) {
            ensureCaches(input.dataType(), channels, positions);
            batchMean = meanCache;
            batchVar = varCache;
            columnMean(rows, batchMean);
            // Two passes (centre, then square) rather than E[x^2] - E[x]^2: no cancellation in float.
            Nd4j.exec(new BroadcastSubOp(rows, batchMean, outRows, 1));
            INDArray squares = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, input.dataType(),
                    new long[] {positions, channels}, 'c');
            outRows.mul(outRows, squares);
            columnMean(squares, batchVar);
        } else {
            batchMean = mean.reshape(mean.length());
            batchVar = var.reshape(var.length());
            Nd4j.exec(new BroadcastSubOp(rows, batchMean, outRows, 1));
        }
        // out = (x - mean) * gamma / sqrt(var + eps) + beta
        INDArray scale = inverseStd(batchVar, eps).muli(gamma.reshape(channels));
        Nd4j.exec(new BroadcastMulOp(outRows, scale, outRows, 1));
        outRows.addiRowVector(beta.reshape(1, channels));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
            INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        if (!channelsLast(input, format, gamma) || meanCache == null) {
            return null;
        }
        INDArray x = DenseArrays.denseRowMajor(input);
        INDArray dOut = DenseArrays.denseRowMajor(epsilon);
        long channels = x.size(x.rank() - 1);
        long positions = x.length() / channels;
        if (meanCache.length() != channels || ones.length() != positions) {
            return null; // no forward pass of this shape to take the batch statistics from
        }
        INDArray rows = x.reshape('c', positions, channels);
        INDArray dOutRows = dOut.reshape('c', positions, channels);

        // dL/dbeta = sum dOut; dL/dgamma = sum dOut * xHat = invStd * sum dOut * (x - mean)
        INDArray dBeta = columnSum(dOutRows, workspaceMgr);
        INDArray work = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, x.dataType(),
                new long[] {positions, channels}, 'c');
        Nd4j.exec(new BroadcastSubOp(rows, meanCache, work, 1));
        work.muli(dOutRows);
        INDArray invStd = inverseStd(varCache, eps);
        INDArray dGamma = columnSum(work, workspaceMgr).muli(invStd);

        // dL/dx = a * dOut + b * x + c, the usual batch norm gradient regrouped per channel:
        // a = gamma * invStd, b = -a * invStd * dGamma / n, c = -a * dBeta / n - b * mean
        double n = positions;
        INDArray a = gamma.reshape(channels).mul(invStd);
        INDArray b = a.mul(invStd).muli(dGamma).muli(-1.0 / n);
        INDArray c = a.mul(dBeta).muli(-1.0 / n).subi(b.mul(meanCache));
        INDArray dIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'c');
        INDArray dInRows = dIn.reshape('c', positions, channels);
        Nd4j.exec(new BroadcastMulOp(dOutRows, a, dInRows, 1));
        Nd4j.exec(new BroadcastMulOp(rows, b, work, 1));
        dInRows.addi(work).addiRowVector(c.reshape(1, channels));

        dGammaView.assign(dGamma.reshape(dGammaView.shape()));
        dBetaView.assign(dBeta.reshape(dBetaView.shape()));
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(gradient, dIn);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return varCache;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return ones == null ? Collections.emptyMap() : Map.of("onesRow", ones.length() * ones.dataType().width());
    }

    /**
     * NHWC activations with one gamma per channel only. The layer hands a dense layer's [examples, features] over as
     * [examples, features, 1, 1] whatever its format, and NCHW puts channels second: both get the built-in
     * implementation.
     */
    private static boolean channelsLast(INDArray x, CNN2DFormat format, INDArray gamma) {
        return x.rank() == 4 && format == CNN2DFormat.NHWC && gamma != null && gamma.length() == x.size(3);
    }

    private void ensureCaches(DataType dataType, long channels, long positions) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (meanCache == null || meanCache.length() != channels || meanCache.dataType() != dataType) {
                meanCache = Nd4j.createUninitialized(dataType, channels);
                varCache = Nd4j.createUninitialized(dataType, channels);
            }
            if (ones == null || ones.length() != positions || ones.dataType() != dataType) {
                ones = Nd4j.ones(dataType, 1, positions);
            }
        }
    }

    /** Column means of [positions, channels] into target [channels]. */
    private void columnMean(INDArray rows, INDArray target) {
        scaledColumnSum(rows, target, 1.0 / rows.size(0));
    }

    private INDArray columnSum(INDArray rows, LayerWorkspaceMgr workspaceMgr) {
        INDArray sum = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, rows.dataType(),
                new long[] {rows.size(1)}, 'c');
        scaledColumnSum(rows, sum, 1.0);
        return sum;
    }

    /** scale x the column sums of [positions, channels] into target [channels]: ones x rows, one BLAS gemv. */
    private void scaledColumnSum(INDArray rows, INDArray target, double scale) {
        Nd4j.gemm(ones, rows, target.reshape(1, target.length()), false, false, scale, 0.0);
    }

    /** 1 / sqrt(var + eps), per channel. */
    private static INDArray inverseStd(INDArray var, double eps) {
        return Transforms.sqrt(var.add(eps), false).rdivi(1.0);
    }
}
