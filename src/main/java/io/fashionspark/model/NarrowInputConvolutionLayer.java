package io.fashionspark.model;

import java.lang.reflect.Field;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(NarrowInputConvolutionLayer.class);
    private static final Field HELPER = helperField();

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
        if (HELPER != null && getNIn() <= NarrowInputConvolutionHelper.MAX_INPUT_CHANNELS
                && "CPU".equalsIgnoreCase(backend())) {
            try {
                ConvolutionHelper chosen = (ConvolutionHelper) HELPER.get(layer);
                HELPER.set(layer, new NarrowInputConvolutionHelper(chosen));
            } catch (IllegalAccessException e) {
                LOG.warn("Convolution layer {} keeps DL4J's helper: {}", getLayerName(), e.toString());
            }
        }
        return layer;
    }

    private static String backend() {
        return Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
    }

    @Override
    public NarrowInputConvolutionLayer clone() {
        return (NarrowInputConvolutionLayer) super.clone();
    }

    /** The layer's protected helper field (DL4J M2.1); null, with a warning, if another version lacks it. */
    private static Field helperField() {
        try {
            Field field = org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class.getDeclaredField("helper");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.warn("DL4J's convolution layer has no helper field to set; its own kernels stay: {}", e.toString());
            return null;
        }
    }
}
