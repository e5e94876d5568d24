package io.fashionspark.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The tuned recipe's per-model constants, read from {@code conf/recipes.properties} as the jar carries it: each
 * sits there beside the measurement that chose it, not in code.
 */
final class TunedConstants {
    static final String RESOURCE = "/io/fashionspark/model/recipes.properties";
    static final TunedConstants INSTANCE = load();

    private final Properties values;

    private TunedConstants(Properties values) {
        this.values = values;
    }

    private static TunedConstants load() {
        Properties p = new Properties();
        try (InputStream in = TunedConstants.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar: build it with mvn package");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new TunedConstants(p);
    }

    double adamBeta2(ModelKind model) {
        double v = Double.parseDouble(value(model, "adam-beta2"));
        if (!(v > 0 && v < 1)) {
            throw new IllegalStateException("conf/recipes.properties: " + key(model, "adam-beta2")
                    + " must be between 0 and 1, got " + v);
        }
        return v;
    }

    int syncWorkers(ModelKind model) {
        int v = Integer.parseInt(value(model, "sync-workers"));
        if (v < 0) {
            throw new IllegalStateException("conf/recipes.properties: " + key(model, "sync-workers")
                    + " must be 0 or more, got " + v);
        }
        return v;
    }

    private String value(ModelKind model, String setting) {
        String v = values.getProperty(key(model, setting));
        if (v == null) {
            throw new IllegalStateException("conf/recipes.properties has no " + key(model, setting));
        }
        return v.trim();
    }

    private static String key(ModelKind model, String setting) {
        return model.cliName() + "." + setting;
    }
}
