package io.fashionspark.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.metrics.AveragingRound;
import io.fashionspark.metrics.EpochEnd;
import io.fashionspark.metrics.TestEvaluation;
import io.fashionspark.metrics.WorkerIteration;
import io.fashionspark.rundir.RunSummary;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one run directory recorded: its summary and its metrics events, in file order.
 *
 * @param name     the run directory's name, how a run is labelled in reports
 * @param location the run directory, fully qualified (local path or Hadoop URI)
 */
public record RunResults(String name, String location, RunSummary summary, List<WorkerIteration> workerLosses,
                         List<AveragingRound> rounds, List<TestEvaluation> tests, List<EpochEnd> epochs) {
    /** Settings as summary.json writes them: models by their enum name, numbers as numbers. */
    private static final ObjectMapper AS_JSON = RunSummary.mapper();

    public RunResults {
        workerLosses = List.copyOf(workerLosses);
        rounds = List.copyOf(rounds);
        tests = List.copyOf(tests);
        epochs = List.copyOf(epochs);
    }

    /** The resolved training configuration as summary.json holds it (option name to value), in file order. */
    public Map<String, Object> config() {
        if (summary.config() == null) {
            return Map.of();
        }
        return Collections.unmodifiableMap(fields(summary.config()));
    }

    /** A typed part of summary.json as the file shows it: its fields by JSON name, in order, the unknown left out. */
    static Map<String, Object> fields(Object part) {
        Map<String, Object> out = new LinkedHashMap<>();
        AS_JSON.valueToTree(part).fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), AS_JSON.convertValue(e.getValue(), Object.class));
            }
        });
        return out;
    }

    /** The worker ids that logged losses, ascending. */
    public SortedSet<Integer> workers() {
        SortedSet<Integer> ids = new TreeSet<>();
        for (WorkerIteration w : workerLosses) {
            ids.add(w.worker());
        }
        return ids;
    }

    /** Training loss per iteration averaged over the workers that reported it: the curve runs are compared by. */
    public SortedMap<Long, Double> meanWorkerLossPerIteration() {
        SortedMap<Long, double[]> sums = new TreeMap<>();
        for (WorkerIteration w : workerLosses) {
            if (Double.isFinite(w.loss())) {
                double[] s = sums.computeIfAbsent(w.iteration(), k -> new double[2]);
                s[0] += w.loss();
                s[1]++;
            }
        }
        SortedMap<Long, Double> mean = new TreeMap<>();
        sums.forEach((it, s) -> mean.put(it, s[0] / s[1]));
        return mean;
    }

    /**
     * When training started, in epoch milliseconds: the first round's end less its duration. Throughput is drawn
     * against the seconds since then. Empty runs start at 0.
     */
    public long trainingStartMs() {
        if (rounds.isEmpty()) {
            return 0;
        }
        AveragingRound first = rounds.get(0);
        return first.timestampMs() - Math.round(first.seconds() * 1000);
    }

    /** Training throughput over the whole run as train measured it (evaluation excluded); NaN when unknown. */
    public double imagesPerSecond() {
        Double v = summary.timings() == null ? null : summary.timings().imagesPerSecond();
        return v == null ? Double.NaN : v;
    }

    /** The model's display name from summary.json, or the configured model when that is missing. */
    public String modelName() {
        Object v = summary.model() == null ? null : summary.model().name();
        if (v != null) {
            return v.toString();
        }
        Object m = config().get("model");
        return m == null ? "unknown model" : m.toString();
    }
}
