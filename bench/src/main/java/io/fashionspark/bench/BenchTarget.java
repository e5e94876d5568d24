package io.fashionspark.bench;

import io.fashionspark.model.ModelKind;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the product's performance targets: a figure the benchmark measures, for some models, compared with a
 * threshold. The targets themselves are data ({@link BenchTargets}); whether one is met is decided by
 * {@link #verdict}, the same way for all of them.
 *
 * @param id          a short, stable name
 * @param description the target in words, as the report's table shows it; {@code {model}}, {@code {threshold}},
 *                    {@code {workers}} and {@code {accuracy}} (the time-to-accuracy goal) are filled in
 * @param models      the models it is set for (those a run benchmarks are checked)
 * @param measure     the figure it compares
 * @param comparison  whether the figure must be at least or at most the threshold
 * @param threshold   the value the figure is compared with
 * @param unit        how the threshold is written
 */
record BenchTarget(String id, String description, List<ModelKind> models, TargetMeasure measure,
                   Comparison comparison, double threshold, Unit unit) {
    static final List<String> PLACEHOLDERS = List.of("model", "threshold", "workers", "accuracy");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    BenchTarget {
        models = List.copyOf(models);
        if (id == null || id.isBlank() || description == null || measure == null || comparison == null
                || unit == null) {
            throw new IllegalArgumentException("target " + id + ": id, description, measure, comparison and unit "
                    + "are required");
        }
        if (models.isEmpty()) {
            throw new IllegalArgumentException("target " + id + ": no models");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("target " + id + ": threshold " + threshold + " is not a number");
        }
        Matcher m = PLACEHOLDER.matcher(description);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw new IllegalArgumentException("target " + id + ": unknown {" + m.group(1) + "} in '"
                        + description + "' (known: " + PLACEHOLDERS + ")");
            }
        }
    }

    /** Whether a figure must reach the threshold from below or stay under it. */
    enum Comparison {
        AT_LEAST("≥"),
        AT_MOST("≤");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        String symbol() {
            return symbol;
        }

        /** The threshold itself satisfies both; NaN (a figure that could not be computed) satisfies neither. */
        boolean holds(double value, double threshold) {
            return this == AT_LEAST ? value >= threshold : value <= threshold;
        }
    }

    /** How a threshold is written. */
    enum Unit {
        /** A ratio of two figures: {@code 0.90x}. */
        RATIO,
        /** A share: 0.3 is {@code 30.00%}. */
        FRACTION;

        String format(double x) {
            return this == RATIO ? Formats.ratio(x) : Formats.percent(x);
        }
    }

    /** Whether a run met a target. */
    enum Verdict {
        MET("**met**"),
        NOT_MET("**not met**"),
        NOT_MEASURED("n/a");

        private final String cell;

        Verdict(String cell) {
            this.cell = cell;
        }

        /** As the report's table shows it. */
        String cell() {
            return cell;
        }
    }

    /**
     * What one run measured for a target and a model.
     *
     * @param value          the figure compared with the threshold; null where the run did not measure it
     * @param conditionsHold whether what the target asks besides the threshold holds (an equal or better accuracy)
     * @param shown          the measurement in words, with what it was measured on
     */
    record Measurement(Double value, boolean conditionsHold, String shown) {
        static Measurement of(double value, String shown) {
            return new Measurement(value, true, shown);
        }

        static Measurement of(double value, boolean conditionsHold, String shown) {
            return new Measurement(value, conditionsHold, shown);
        }

        static Measurement notMeasured(String why) {
            return new Measurement(null, true, why);
        }
    }

    /** Met where the figure was measured, compares with the threshold as the target says and its conditions hold. */
    Verdict verdict(Measurement m) {
        if (m.value() == null) {
            return Verdict.NOT_MEASURED;
        }
        return m.conditionsHold() && comparison.holds(m.value(), threshold) ? Verdict.MET : Verdict.NOT_MET;
    }

    /** The description for one model, its placeholders filled in. */
    String title(ModelKind model, int workers, String accuracy) {
        Map<String, String> values = Map.of("model", model.displayName(), "threshold", unit.format(threshold),
                "workers", Formats.workers(workers), "accuracy", accuracy);
        return PLACEHOLDER.matcher(description).replaceAll(r -> Matcher.quoteReplacement(values.get(r.group(1))));
    }
}
