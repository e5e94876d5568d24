package io.fashionspark.rundir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.runtime.Versions;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: everything needed to know what a run was and how it ended: the resolved configuration,
 * versions, Spark application id, git commit, timings, final test accuracy, per-class accuracy and the confusion
 * matrix. The JSON is the same as when these parts were untyped maps; readers tolerate fields added later.
 */
public record RunSummary(
        String tool,
        TrainingConfig config,
        Versions versions,
        String sparkMaster,
        String sparkApplicationId,
        String gitCommit,
        ModelFacts model,
        Timings timings,
        long iterations,
        long imagesTrained,
        double finalTestAccuracy,
        double finalTestLoss,
        List<String> classNames,
        Map<String, Double> perClassAccuracy,
        long[][] confusionMatrix) {

    /** What was trained: the architecture's display name and its parameter counts. */
    public record ModelFacts(String name, Long trainableParameters, Long storedParameters) {
    }

    /**
     * Where the run's time went; null where unknown.
     *
     * @param wallSeconds       from the command's start to the summary, Spark start-up and data loading included
     * @param trainingSeconds   averaging rounds only
     * @param evaluationSeconds test evaluations only
     * @param imagesPerSecond   images trained by all workers over the training seconds
     */
    public record Timings(Double wallSeconds, Double trainingSeconds, Double evaluationSeconds,
                          Double imagesPerSecond) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void writeTo(OutputStream out) throws IOException {
        out.write(MAPPER.writeValueAsBytes(this));
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
