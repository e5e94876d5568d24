package io.fashionspark.predict;

import io.fashionspark.config.ConfigException;
import java.util.Locale;

/** How {@code predict --output} writes its rows: Spark's own writers, one part file per task. */
public enum OutputFormat {
    PARQUET("parquet"), CSV("csv"), JSONL("json");

    private final String sparkFormat;

    OutputFormat(String sparkFormat) {
        this.sparkFormat = sparkFormat;
    }

    String sparkFormat() {
        return sparkFormat;
    }

    public static OutputFormat parse(String option, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option + " must be parquet, csv or jsonl, got '" + value + "'");
        }
    }
}
