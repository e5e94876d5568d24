package io.fashionspark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.metrics.EventNames;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the tests read back from a run directory's metrics.jsonl, wherever the run directory is. */
public final class RunMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunMetrics() {
    }

    /**
     * The {@code iteration/worker} of every worker loss in the lines of a metrics.jsonl, asserting that none is
     * logged twice: with N workers and I iterations a complete run has N x I of them.
     */
    public static Set<String> workerLosses(List<String> metricsLines) throws IOException {
        Set<String> losses = new HashSet<>();
        for (String line : metricsLines) {
            JsonNode e = JSON.readTree(line);
            if (e.get("event").asText().equals(EventNames.TRAIN_LOSS)) {
                assertTrue(losses.add(e.get("iteration").asLong() + "/" + e.get("worker").asInt()), line);
            }
        }
        return losses;
    }
}
