package io.fashionspark.kernels;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link ConvolutionLayer} (same parameters, same forward kernels, same saved form apart from the class name)
 * whose backward pass on the CPU backend is {@link NarrowInputConvolutionHelper}'s when the layer has at most
 * {@link NarrowInputConvolutionHelper#MAX_INPUT_CHANNELS} input channels: DL4J M2.1's oneDNN backward is slow there.
 * The forward pass stays with DL4J's choice (oneDNN, or its built-in code where helpers are off); other backends
 * (CUDA) keep DL4J's helpers.
 *
 * <p>As with {@link ChannelsLastBatchNormalization}, DL4J picks the helper by a fixed class name when it builds the
 * layer, so this configuration wraps it right after: the driver's network, each Spark worker's replica and a loaded
 * model all get it.
 */
public class NarrowInputConvolutionLayer extends ConvolutionLayer {
    private static final HelperSlot HELPER =
            new HelperSlot(org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class, "Convolution");

    /** For JSON; use {@link #of}. */
    public NarrowInputConvolutionLayer() {
        super();
    }

    private NarrowInputConvolutionLayer(ConvolutionLayer.Builder builder) {
        super(builder);
    }

    /** The layer {@code builder.build()} would give (with its checks), as this class. */
    public static NarrowInputConvolutionLayer of(ConvolutionLayer.Builder builder) {
        builder.build(); // DL4J's kernel, stride and padding checks live in build()
        return new NarrowInputConvolutionLayer(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        Layer layer = super.instantiate(conf, trainingListeners, layerIndex, layerParamsView, initializeParams,
                networkDataType);
        if (getNIn() <= NarrowInputConvolutionHelper.MAX_INPUT_CHANNELS) {
            HELPER.replace(layer, getLayerName(),
                    chosen -> new NarrowInputConvolutionHelper((ConvolutionHelper) chosen));
        }
        return layer;
    }

    @Override
    public NarrowInputConvolutionLayer clone() {
        return (NarrowInputConvolutionLayer) super.clone();
    }
}
