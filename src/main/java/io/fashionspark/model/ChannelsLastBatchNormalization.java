package io.fashionspark.model;

import java.lang.reflect.Field;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DL4J's {@link BatchNormalization} layer (same parameters, same arithmetic, same saved form apart from the class
 * name) whose CPU kernels are {@link ChannelsLastBatchNormHelper} instead of DL4J M2.1's oneDNN helper, which made
 * batch norm a third of FashionCNN's training time. On other backends (CUDA) DL4J's own helper choice stands.
 *
 * <p>DL4J chooses a layer's helper by a fixed class name when it builds the layer, so this configuration swaps it
 * in right after: every network built from it (the driver's, each Spark worker's replica, a loaded model) gets it.
 */
public class ChannelsLastBatchNormalization extends BatchNormalization {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelsLastBatchNormalization.class);
    private static final Field HELPER = helperField();

    /** Defaults as {@code new BatchNormalization.Builder().build()}; the no-argument form JSON needs. */
    public ChannelsLastBatchNormalization() {
        super();
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        Layer layer = super.instantiate(conf, trainingListeners, layerIndex, layerParamsView, initializeParams,
                networkDataType);
        // Fixed gamma and beta (lockGammaBeta) stay with DL4J, as its own helper check would have it.
        if (HELPER != null && !isLockGammaBeta() && "CPU".equalsIgnoreCase(backend())) {
            try {
                HELPER.set(layer, new ChannelsLastBatchNormHelper());
            } catch (IllegalAccessException e) {
                LOG.warn("Batch norm layer {} keeps DL4J's helper: {}", getLayerName(), e.toString());
            }
        }
        return layer;
    }

    @Override
    public ChannelsLastBatchNormalization clone() {
        return (ChannelsLastBatchNormalization) super.clone();
    }

    private static String backend() {
        return Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
    }

    /** The layer's package-private helper field (DL4J M2.1); null, with a warning, if another version lacks it. */
    private static Field helperField() {
        try {
            Field field = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class
                    .getDeclaredField("helper");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.warn("DL4J's batch norm layer has no helper field to set; its own kernels stay: {}", e.toString());
            return null;
        }
    }
}
