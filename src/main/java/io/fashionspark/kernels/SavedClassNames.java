package io.fashionspark.kernels;

import java.util.List;

/**
 * The names saved models give this package's layer and activation classes. DL4J writes a custom class's full name
 * into a model's {@code configuration.json}; models saved before these classes moved here name them in
 * {@code io.fashionspark.model}. Loading such a file rewrites the old names to these.
 */
public final class SavedClassNames {
    private static final String OLD_PACKAGE = "io.fashionspark.model.";
    private static final String PACKAGE = SavedClassNames.class.getPackageName() + ".";
    /** Every class of this package that a configuration can name (layers and activations DL4J instantiates). */
    private static final List<Class<?>> SAVED = List.of(ChannelsLastBatchNormalization.class, InPlaceRelu.class,
            LinearDenseLayer.class, NarrowInputConvolutionLayer.class);

    private SavedClassNames() {
    }

    /** {@code configurationJson} with the old names of this package's classes replaced by the current ones. */
    public static String upgrade(String configurationJson) {
        String json = configurationJson;
        for (Class<?> c : SAVED) {
            json = json.replace('"' + OLD_PACKAGE + c.getSimpleName() + '"', '"' + PACKAGE + c.getSimpleName() + '"');
        }
        return json;
    }
}
