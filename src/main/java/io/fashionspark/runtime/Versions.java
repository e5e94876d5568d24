package io.fashionspark.runtime;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run ran on: this build, the Spark, Scala and Java it ran with, and the DL4J it was built against. The JSON
 * names are those of {@code summary.json} since its first version.
 */
@JsonPropertyOrder({"fashion-spark", "spark", "scala", "dl4j", "dl4j-spark", "nd4j-backend", "java"})
public record Versions(
        @JsonProperty("fashion-spark") String fashionSpark,
        String spark,
        String scala,
        String dl4j,
        @JsonProperty("dl4j-spark") String dl4jSpark,
        @JsonProperty("nd4j-backend") String nd4jBackend,
        String java) {

    /** This build's versions with the Spark, Scala and Java this process runs on. */
    public static Versions of(RuntimeVersions runtime) {
        return new Versions(BuildInfo.version(), runtime.spark(), runtime.scala(), BuildInfo.get("dl4j.version"),
                BuildInfo.get("dl4j-spark.version"), BuildInfo.get("nd4j.backend") + " "
                + BuildInfo.get("nd4j.classifier"), runtime.java());
    }

    /** The versions that are known, by their JSON names, in file order (for tables). */
    @JsonIgnore
    public Map<String, String> known() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "fashion-spark", fashionSpark);
        put(m, "spark", spark);
        put(m, "scala", scala);
        put(m, "dl4j", dl4j);
        put(m, "dl4j-spark", dl4jSpark);
        put(m, "nd4j-backend", nd4jBackend);
        put(m, "java", java);
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
