package io.fashionspark.rundir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: everything needed to know what a run was and how it ended: the resolved configuration,
 * versions, Spark application id, git commit, timings, final test accuracy, per-class accuracy and the confusion
 * matrix.
 */
public record RunSummary(
        String tool,
        Object config,
        Map<String, String> versions,
        String sparkMaster,
        String sparkApplicationId,
        String gitCommit,
        Map<String, Object> model,
        Map<String, Object> timings,
        long iterations,
        long imagesTrained,
        double finalTestAccuracy,
        double finalTestLoss,
        List<String> classNames,
        Map<String, Double> perClassAccuracy,
        long[][] confusionMatrix) {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void writeTo(OutputStream out) throws IOException {
        out.write(MAPPER.writeValueAsBytes(this));
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
