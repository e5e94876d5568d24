package io.fashionspark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.bench.BenchTarget.Measurement;
import io.fashionspark.bench.BenchTarget.Verdict;
import io.fashionspark.model.ModelKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The product's performance targets, as {@value #RESOURCE} next to this class lists them, and their evaluation
 * against one run. They are set for one Spark worker count ({@code workers}); each target names the models it is
 * set for, the figure it compares ({@link TargetMeasure}, written in lower case with dashes), at least or at most,
 * the threshold and its unit (ratio or fraction).
 *
 * @param workers the Spark worker count the targets are set for
 * @param targets in the order the report lists them
 */
record BenchTargets(int workers, List<BenchTarget> targets) {
    static final String RESOURCE = "targets.json";
    /** The time-to-accuracy goal a description names where the run measured none: the command's default. */
    static final String DEFAULT_ACCURACY_GOAL = "90%";
    private static final ObjectMapper JSON = new ObjectMapper();

    BenchTargets {
        targets = List.copyOf(targets);
        if (workers < 1) {
            throw new IllegalArgumentException("targets: workers must be at least 1, got " + workers);
        }
        Set<String> ids = new HashSet<>();
        for (BenchTarget t : targets) {
            if (!ids.add(t.id())) {
                throw new IllegalArgumentException("targets: " + t.id() + " is listed twice");
            }
        }
    }

    /** One line of the report's targets table: a target, one model, what was measured and the verdict. */
    record Evaluation(BenchTarget target, ModelKind model, String title, Measurement measurement, Verdict verdict) {
    }

    /** The targets the product ships with. */
    static BenchTargets standard() {
        return Standard.TARGETS;
    }

    private static final class Standard {
        static final BenchTargets TARGETS = load();

        private static BenchTargets load() {
            try (InputStream in = BenchTargets.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the class path");
                }
                return parse(JSON.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(RESOURCE + ": " + e.getMessage(), e);
            }
        }
    }

    static BenchTargets parse(String json) {
        try {
            return parse(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("targets: " + e.getMessage(), e);
        }
    }

    private static BenchTargets parse(JsonNode root) {
        List<BenchTarget> targets = new ArrayList<>();
        for (JsonNode t : required(root, "targets")) {
            List<ModelKind> models = new ArrayList<>();
            for (JsonNode m : required(t, "models")) {
                models.add(ModelKind.parse(m.asText()));
            }
            JsonNode threshold = required(t, "threshold");
            if (!threshold.isNumber()) {
                throw new IllegalArgumentException("targets: threshold " + threshold + " is not a number");
            }
            targets.add(new BenchTarget(required(t, "id").asText(), required(t, "description").asText(), models,
                    constant(TargetMeasure.class, required(t, "measure")),
                    constant(BenchTarget.Comparison.class, required(t, "comparison")), threshold.asDouble(),
                    constant(BenchTarget.Unit.class, required(t, "unit"))));
        }
        return new BenchTargets(required(root, "workers").asInt(), targets);
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("targets: '" + field + "' missing in " + node);
        }
        return value;
    }

    /** {@code at-least} is {@code AT_LEAST}. */
    private static <E extends Enum<E>> E constant(Class<E> type, JsonNode value) {
        String name = value.asText().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("targets: unknown " + type.getSimpleName() + " '" + value.asText() + "'");
    }

    /** Every target for every model of the run it is set for, in the targets' order. */
    List<Evaluation> evaluate(BenchFigures figures) {
        double goal = figures.settings().ttaTarget();
        String accuracy = goal > 0 ? Formats.percent(goal) : DEFAULT_ACCURACY_GOAL;
        List<Evaluation> out = new ArrayList<>();
        for (BenchTarget t : targets) {
            for (ModelKind m : t.models()) {
                if (!figures.settings().models().contains(m)) {
                    continue;
                }
                Measurement measured = t.measure().measure(figures, m, workers);
                out.add(new Evaluation(t, m, t.title(m, workers, accuracy), measured, t.verdict(measured)));
            }
        }
        return out;
    }
}
