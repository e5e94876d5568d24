package io.fashionspark.kernels;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link BatchNormalization} layer (same parameters, same arithmetic, same saved form apart from the class
 * name) whose CPU kernels are {@link ChannelsLastBatchNormHelper} instead of DL4J M2.1's oneDNN helper, which made
 * batch norm a third of FashionCNN's training time. On other backends (CUDA) DL4J's own helper choice stands.
 *
 * <p>DL4J chooses a layer's helper by a fixed class name when it builds the layer, so this configuration swaps it
 * in right after: every network built from it (the driver's, each Spark worker's replica, a loaded model) gets it.
 */
public class ChannelsLastBatchNormalization extends BatchNormalization {
    private static final HelperSlot HELPER =
            new HelperSlot(org.deeplearning4j.nn.layers.normalization.BatchNormalization.class, "Batch norm");

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
        if (!isLockGammaBeta()) {
            HELPER.replace(layer, getLayerName(), chosen -> new ChannelsLastBatchNormHelper());
        }
        return layer;
    }

    @Override
    public ChannelsLastBatchNormalization clone() {
        return (ChannelsLastBatchNormalization) super.clone();
    }
}
