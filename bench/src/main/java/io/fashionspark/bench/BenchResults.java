package io.fashionspark.bench;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fashionspark.model.ModelKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one benchmark run measured, for the report.
 *
 * @param settings     what was asked for
 * @param started      when the run began
 * @param wallSeconds  how long it took
 * @param machine      machine and software facts
 * @param loadBefore   load averages when it began
 * @param loadAfter    and when it ended
 * @param peak         the matrix-multiply peak
 * @param flops        FLOPs per image of each model
 * @param scenarios    every training run, in the order run
 * @param fullRuns     the full runs (DL4J on Spark and PyTorch, every epoch of --full-run-epochs)
 * @param pytorch      the PyTorch environment, or null where the reference did not run
 * @param pytorchNote  why it did not run, or notes on how it ran
 * @param trainSetSize images in the training set
 * @param testSetSize  test images used
 * @param baselineRuns the single-JVM scenarios' images/s before and after the Spark scenarios (the faster counts)
 */
public record BenchResults(BenchSettings settings, ZonedDateTime started, double wallSeconds,
                           int trainSetSize, int testSetSize, Map<String, String> machine, String loadBefore, String loadAfter, MatmulPeak peak,
                           Map<ModelKind, FlopCounter.Count> flops, List<ScenarioResult> scenarios,
                           List<FullRun> fullRuns, PyTorchInfo pytorch, String pytorchNote,
                           List<String> baselineRuns) {

    /**
     * The run's numbers as JSON, kept beside its report so that the report can be written again (a new wording, a
     * fixed table) without measuring again. The start keeps its zone, as the report prints it, and a path stays
     * as it was given (Jackson's own would make it an absolute URI).
     */
    /** The bench's JSON: numbers as measured, dates with their zone, paths as text. */
    static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .addModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance)
                    .addDeserializer(Path.class, new FromStringDeserializer<>(Path.class) {
                        @Override
                        protected Path _deserialize(String value, DeserializationContext context) {
                            return Path.of(value);
                        }
                    }))
            .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();

    /** These results as JSON. */
    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the benchmark's results as JSON: " + e.getMessage(), e);
        }
    }

    /** Reads what {@link #json()} wrote. */
    public static BenchResults read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), BenchResults.class);
    }

    /** The PyTorch the reference ran on. */
    public record PyTorchInfo(String python, String torch, String blas, boolean openBlas, double matmulGflops,
                              int threads) {
    }

    public Optional<FullRun> fullRun(ModelKind model, ScenarioResult.Engine engine) {
        return fullRuns.stream().filter(f -> f.model() == model && f.engine() == engine).findFirst();
    }

    public List<ScenarioResult> of(ModelKind model, ScenarioResult.Engine engine) {
        return scenarios.stream().filter(s -> s.model() == model && s.engine() == engine).toList();
    }
}
