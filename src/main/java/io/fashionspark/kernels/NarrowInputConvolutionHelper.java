package io.fashionspark.kernels;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The backward pass of a channels-last convolution over few input channels (FashionCNN's first layer sees the
 * one-channel image) as two matrix products over an image-patch matrix, in place of DL4J M2.1's oneDNN
 * {@code conv2d_bp} (or its built-in code, where oneDNN helpers are off); the forward pass stays with DL4J's choice.
 *
 * <p>Why: for one input channel oneDNN's backward is many times slower than its own forward pass, and was about a
 * fifth of a FashionCNN worker's time (timings in docs/performance.md). Here, with M = examples x output positions and
 * K = input channels x kernel height x kernel width: the patches are a [K, M] matrix copied row run by row run
 * from the input (im2col); weight and bias gradients are one product, [patches; a row of ones] x delta, and the
 * patches' gradient is delta x W, added back onto the input positions the patches came from (col2im). Same
 * sums as the convolution's definition, so only float rounding differs from oneDNN's.
 *
 * <p>Anything else (NCHW, dilation, {@code Same} mode, non-float types, more than {@link #MAX_INPUT_CHANNELS}
 * input channels) stays with DL4J's choice.
 */
final class NarrowInputConvolutionHelper implements ConvolutionHelper {
    /**
     * Up to this many input channels the patch matrix stays small (K <= 36 for 3x3 kernels); wider inputs, like
     * FashionCNN's second convolution (32 channels), are where oneDNN's own backward is fast.
     */
    static final long MAX_INPUT_CHANNELS = 4;

    /** DL4J's choice for the layer (oneDNN), or null where it chose none: then the layer's built-in code. */
    private final ConvolutionHelper forward;
    /** Reused between minibatches: the input, the patch matrix, the patch gradients and the input gradient. */
    private float[] inputValues = new float[0];
    private float[] patchValues = new float[0];
    private float[] inputGradValues = new float[0];

    /**
     * @param forward the helper DL4J chose for the layer, which keeps the forward pass and the backward passes this
     *     one does not support; null for DL4J's built-in code
     */
    NarrowInputConvolutionHelper(ConvolutionHelper forward) {
        this.forward = forward;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
            AlgoMode mode, FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        return forward == null ? null : forward.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo,
                convolutionMode, dilation, format, workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return forward == null ? null : forward.activate(z, afn, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
            int[] kernel, int[] strides, int[] pad, INDArray biasGradView, INDArray weightGradView, IActivation afn,
            AlgoMode mode, BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo, ConvolutionMode convolutionMode,
            int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!supported(input, weights, delta, dilation, convolutionMode, format)) {
            return forward == null ? null : forward.backpropGradient(input, weights, bias, delta, kernel, strides, pad,
                    biasGradView, weightGradView, afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation,
                    format, workspaceMgr);
        }
        Geometry g = new Geometry(input, weights, delta, strides, pad);
        INDArray x = contiguous(input);
        INDArray delta2d = contiguous(delta).reshape('c', g.positions, g.outChannels);
        INDArray w2d = contiguous(weights).reshape('c', g.outChannels, g.patch);
        boolean withBias = bias != null && biasGradView != null; // without bias DL4J may pass a dummy bias view

        // Patches as rows [patch (+1), positions]; with bias, a last row of ones makes the bias gradient one more
        // column of the same product (one pass over delta instead of two).
        int rows = withBias ? g.patch + 1 : g.patch;
        INDArray patches = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                new long[] {rows, g.positions}, 'c');
        fillPatches(x, patches, rows, g);

        // dL/dW^T [patch, out] = patches [patch, positions] x delta [positions, out] (both as stored: no transposed
        // operand, which costs ND4J a copy); DL4J keeps W as [out, in, kH, kW], whose columns are in the patches' order
        INDArray paramGrad = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                new long[] {rows, g.outChannels}, 'c');
        Nd4j.gemm(patches, delta2d, paramGrad, false, false, 1.0, 0.0);
        weightGradView.assign(paramGrad.get(NDArrayIndex.interval(0, g.patch), NDArrayIndex.all()).transpose()
                .dup('c').reshape(weightGradView.shape()));
        Gradient gradient = new DefaultGradient();
        if (withBias) {
            biasGradView.assign(paramGrad.getRow(g.patch).reshape(biasGradView.shape()));
            gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);

        // dL/dpatches [positions, patch] = delta x W, then each entry added back onto the input position it was read
        // from
        INDArray patchGrad = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                new long[] {g.positions, g.patch}, 'c');
        Nd4j.gemm(delta2d, w2d, patchGrad, false, false, 1.0, 0.0);
        INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, x.shape(),
                'c');
        foldPatches(patchGrad, inputGrad, g);
        return new Pair<>(gradient, inputGrad);
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        long bytes = 4L * (inputValues.length + patchValues.length + inputGradValues.length);
        return bytes == 0 ? Collections.emptyMap() : Map.of("patchBuffers", bytes);
    }

    private static boolean supported(INDArray input, INDArray weights, INDArray delta, int[] dilation,
            ConvolutionMode convolutionMode, CNN2DFormat format) {
        return format == CNN2DFormat.NHWC && convolutionMode != ConvolutionMode.Same
                && input.dataType() == DataType.FLOAT && weights.dataType() == DataType.FLOAT
                && delta.dataType() == DataType.FLOAT && input.rank() == 4 && weights.rank() == 4
                && weights.size(1) <= MAX_INPUT_CHANNELS && dilation[0] == 1 && dilation[1] == 1
                && (long) delta.size(0) * delta.size(1) * delta.size(2) * weights.size(1) * weights.size(2)
                        * weights.size(3) < Integer.MAX_VALUE
                && input.length() < Integer.MAX_VALUE;
    }

    /**
     * patches[(c, i, j), (n, oh, ow)] = x[n, oh * strideH - padH + i, ow * strideW - padW + j, c], zero outside the
     * image; the row order (c, i, j) is that of DL4J's weights [out, in, kH, kW]. Rows beyond the patch are ones.
     */
    private void fillPatches(INDArray x, INDArray patches, int rows, Geometry g) {
        int inputLength = (int) x.length();
        inputValues = atLeast(inputValues, inputLength);
        x.data().asNioFloat().get(inputValues, 0, inputLength);
        int patchLength = rows * g.positions;
        patchValues = atLeast(patchValues, patchLength);
        float[] in = inputValues;
        float[] out = patchValues;
        int step = g.strideW * g.inChannels;
        for (int c = 0; c < g.inChannels; c++) {
            for (int i = 0; i < g.kH; i++) {
                for (int j = 0; j < g.kW; j++) {
                    int rowBase = ((c * g.kH + i) * g.kW + j) * g.positions;
                    int owLo = g.firstColumnInside(j);
                    int owHi = g.endColumnInside(j);
                    for (int n = 0; n < g.examples; n++) {
                        for (int oh = 0; oh < g.outH; oh++) {
                            int dst = rowBase + (n * g.outH + oh) * g.outW;
                            int h = oh * g.strideH - g.padH + i;
                            if (h < 0 || h >= g.inH) {
                                Arrays.fill(out, dst, dst + g.outW, 0f);
                                continue;
                            }
                            Arrays.fill(out, dst, dst + owLo, 0f);
                            int src = g.inputIndex(n, h, owLo * g.strideW - g.padW + j, c);
                            for (int ow = owLo; ow < owHi; ow++, src += step) {
                                out[dst + ow] = in[src];
                            }
                            Arrays.fill(out, dst + owHi, dst + g.outW, 0f);
                        }
                    }
                }
            }
        }
        Arrays.fill(out, g.patch * g.positions, patchLength, 1f);
        patches.data().asNioFloat().put(out, 0, patchLength);
    }

    /**
     * The transpose of {@link #fillPatches}, from patch gradients stored [positions, patch]: inputGrad[n, h, w, c] =
     * sum of the patch entries read from there.
     */
    private void foldPatches(INDArray patchGrad, INDArray inputGrad, Geometry g) {
        int patchLength = g.patch * g.positions;
        patchValues = atLeast(patchValues, patchLength);
        patchGrad.data().asNioFloat().get(patchValues, 0, patchLength);
        int inputLength = (int) inputGrad.length();
        inputGradValues = atLeast(inputGradValues, inputLength);
        float[] in = patchValues;
        float[] out = inputGradValues;
        Arrays.fill(out, 0, inputLength, 0f);
        int step = g.strideW * g.inChannels;
        for (int c = 0; c < g.inChannels; c++) {
            for (int i = 0; i < g.kH; i++) {
                for (int j = 0; j < g.kW; j++) {
                    int column = (c * g.kH + i) * g.kW + j;
                    int owLo = g.firstColumnInside(j);
                    int owHi = g.endColumnInside(j);
                    for (int n = 0; n < g.examples; n++) {
                        for (int oh = 0; oh < g.outH; oh++) {
                            int h = oh * g.strideH - g.padH + i;
                            if (h < 0 || h >= g.inH) {
                                continue;
                            }
                            int from = ((n * g.outH + oh) * g.outW + owLo) * g.patch + column;
                            int dst = g.inputIndex(n, h, owLo * g.strideW - g.padW + j, c);
                            for (int ow = owLo; ow < owHi; ow++, dst += step, from += g.patch) {
                                out[dst] += in[from];
                            }
                        }
                    }
                }
            }
        }
        inputGrad.data().asNioFloat().put(out, 0, inputLength);
    }

    private static float[] atLeast(float[] values, int length) {
        return values.length >= length ? values : new float[length];
    }

    /** Dense c-order at the start of its own buffer, so that {@code data().asNioFloat()} reads its values in order. */
    private static INDArray contiguous(INDArray x) {
        INDArray dense = DenseArrays.denseRowMajor(x);
        return dense.data().offset() == 0 ? dense : dense.dup('c');
    }

    /** The sizes of one backward pass: input [N, H, W, C], weights [O, C, kH, kW], delta [N, Ho, Wo, O]. */
    private static final class Geometry {
        final int examples;
        final int inH;
        final int inW;
        final int inChannels;
        final int outH;
        final int outW;
        final int outChannels;
        final int kH;
        final int kW;
        final int strideH;
        final int strideW;
        final int padH;
        final int padW;
        final int positions;
        final int patch;

        Geometry(INDArray input, INDArray weights, INDArray delta, int[] strides, int[] pad) {
            examples = (int) input.size(0);
            inH = (int) input.size(1);
            inW = (int) input.size(2);
            inChannels = (int) input.size(3);
            outChannels = (int) weights.size(0);
            kH = (int) weights.size(2);
            kW = (int) weights.size(3);
            outH = (int) delta.size(1);
            outW = (int) delta.size(2);
            strideH = strides[0];
            strideW = strides[1];
            padH = pad[0];
            padW = pad[1];
            positions = examples * outH * outW;
            patch = inChannels * kH * kW;
        }

        /** The first output column whose kernel column j reads inside the image: ow * strideW - padW + j >= 0. */
        int firstColumnInside(int j) {
            int lead = padW - j;
            return lead <= 0 ? 0 : Math.min(outW, (lead + strideW - 1) / strideW);
        }

        /** One past the last output column whose kernel column j reads inside: ow * strideW - padW + j < inW. */
        int endColumnInside(int j) {
            int last = inW - 1 + padW - j;
            int end = last < 0 ? 0 : Math.min(outW, last / strideW + 1);
            return Math.max(firstColumnInside(j), end);
        }

        /** Index of x[n, h, w, c] in a dense NHWC array. */
        int inputIndex(int n, int h, int w, int c) {
            return ((n * inH + h) * inW + w) * inChannels + c;
        }
    }
}
