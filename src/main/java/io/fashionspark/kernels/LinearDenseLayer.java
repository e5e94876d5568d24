package io.fashionspark.kernels;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link DenseLayer} without an activation (same parameters, same forward pass, same saved form apart from
 * the class name) whose backward pass does not compute the layer's forward product a second time.
 *
 * <p>Why: DL4J's dense layer recomputes x W + b during backprop only to take the activation's derivative, which for
 * the identity is 1 whatever the product: for FashionCNN's fc1 that is its largest product done twice (timings in
 * docs/performance.md). DL4J's cache mode covers convolutions, not dense layers. See {@link LinearDenseLayerImpl}.
 */
public class LinearDenseLayer extends DenseLayer {

    /** For JSON; use {@link #of}. */
    public LinearDenseLayer() {
        super();
    }

    /**
     * The layer {@code builder.build()} gives, as this class: every field copied, so that it is DL4J's layer in all
     * but its backward pass.
     *
     * @throws IllegalArgumentException if the builder sets an activation other than the identity
     */
    public static LinearDenseLayer of(DenseLayer.Builder builder) {
        DenseLayer built = builder.build();
        if (!(built.getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalArgumentException("LinearDenseLayer " + built.getLayerName()
                    + " needs the identity activation, not " + built.getActivationFn());
        }
        LinearDenseLayer layer = new LinearDenseLayer();
        for (Class<?> c = DenseLayer.class; c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    field.set(layer, field.get(built));
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new IllegalStateException("Cannot copy DL4J's dense layer field " + field, e);
                }
            }
        }
        return layer;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        // DL4J's DenseLayer.instantiate, with this project's layer class.
        LayerValidation.assertNInNOutSet("LinearDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        LinearDenseLayerImpl layer = new LinearDenseLayerImpl(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public LinearDenseLayer clone() {
        return (LinearDenseLayer) super.clone();
    }
}
