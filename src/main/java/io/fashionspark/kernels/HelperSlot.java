package io.fashionspark.kernels;

import java.lang.reflect.Field;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code helper} field of a DL4J M2.1 layer class, where DL4J puts the kernels it chooses by a fixed class name
 * when it builds a layer (oneDNN on CPU, cuDNN on CUDA). The project's layer configurations put their own CPU
 * kernels there right after DL4J has built the layer.
 */
final class HelperSlot {
    private static final Logger LOG = LoggerFactory.getLogger(HelperSlot.class);

    private final Field field;
    private final String layerKind;

    /**
     * @param layerClass the DL4J layer class that declares the field
     * @param layerKind  what the layer is, for warnings
     */
    HelperSlot(Class<?> layerClass, String layerKind) {
        this.layerKind = layerKind;
        this.field = find(layerClass, layerKind);
    }

    /**
     * On the CPU backend, replaces the helper DL4J chose for {@code layer} (null where it chose none) with what
     * {@code replacement} makes of it; elsewhere, or if this DL4J has no such field, DL4J's choice stands.
     */
    void replace(Layer layer, String layerName, UnaryOperator<Object> replacement) {
        if (field == null || !"CPU".equalsIgnoreCase(backend())) {
            return;
        }
        try {
            field.set(layer, replacement.apply(field.get(layer)));
        } catch (IllegalAccessException e) {
            LOG.warn("{} layer {} keeps DL4J's helper: {}", layerKind, layerName, e.toString());
        }
    }

    private static String backend() {
        return Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
    }

    /** The declared field; null, with a warning, if another DL4J version lacks it. */
    private static Field find(Class<?> layerClass, String layerKind) {
        try {
            Field field = layerClass.getDeclaredField("helper");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.warn("DL4J's {} layer has no helper field to set; its own kernels stay: {}", layerKind, e.toString());
            return null;
        }
    }
}
