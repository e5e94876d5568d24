package io.fashionspark.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the workers' replicas are averaged each round. */
public enum Exchange {
    /** The driver sums the workers' results each round (dl4j-spark's parameter averaging): one Spark job a round. */
    DRIVER("driver"),
    /**
     * The workers average among themselves with a ring all-reduce, in one Spark barrier stage per segment of rounds;
     * the driver gets the model only when it needs it (a test, a checkpoint, the end).
     */
    ALLREDUCE("allreduce");

    private final String cliName;

    Exchange(String cliName) {
        this.cliName = cliName;
    }

    @JsonValue
    public String cliName() {
        return cliName;
    }

    /** The exchange named {@code name} (case-insensitive); a {@link ConfigException} names the choices. */
    @JsonCreator
    public static Exchange named(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Exchange e : values()) {
            if (e.cliName.equals(wanted)) {
                return e;
            }
        }
        throw new ConfigException(Settings.EXCHANGE + " must be one of " + Arrays.stream(values())
                .map(Exchange::cliName).collect(Collectors.joining(", ")) + ", got '" + name + "'");
    }
}
