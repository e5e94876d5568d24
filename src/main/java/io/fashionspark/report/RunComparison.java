package io.fashionspark.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Several runs side by side: which settings tell them apart, and the label each is drawn with: its directory name
 * and the values of those settings ({@code af-2 (averaging-frequency=2)}).
 *
 * @param differingSettings settings (option names, {@code averaging-frequency}) whose values are not all equal
 * @param sharedSettings    settings every run has with one value
 */
public record RunComparison(List<RunResults> runs, List<String> names, List<String> labels,
                            List<String> differingSettings, Map<String, Object> sharedSettings) {
    /** Differ in every run by construction, so they would only clutter the labels. */
    private static final Set<String> NOT_COMPARED = Set.of("output", "overwrite");

    public RunComparison {
        runs = List.copyOf(runs);
        names = List.copyOf(names);
        labels = List.copyOf(labels);
        differingSettings = List.copyOf(differingSettings);
    }

    public static RunComparison of(List<RunResults> runs) {
        Set<String> keys = new LinkedHashSet<>();
        for (RunResults r : runs) {
            keys.addAll(r.config().keySet());
        }
        keys.removeAll(NOT_COMPARED);
        List<String> differing = new ArrayList<>();
        Map<String, Object> shared = new LinkedHashMap<>();
        for (String k : keys) {
            Object first = runs.get(0).config().get(k);
            boolean same = runs.stream().allMatch(r -> Objects.equals(text(k, r.config().get(k)), text(k, first)));
            if (same) {
                shared.put(optionName(k), text(k, first));
            } else {
                differing.add(k);
            }
        }
        List<String> names = distinctNames(runs);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            StringBuilder label = new StringBuilder(names.get(i));
            if (!differing.isEmpty()) {
                label.append(" (");
                for (int j = 0; j < differing.size(); j++) {
                    String k = differing.get(j);
                    label.append(j == 0 ? "" : ", ").append(optionName(k)).append('=')
                            .append(text(k, runs.get(i).config().get(k)));
                }
                label.append(')');
            }
            labels.add(label.toString());
        }
        return new RunComparison(runs, names, labels,
                differing.stream().map(RunComparison::optionName).toList(), shared);
    }

    /** The value of setting {@code option} (an option name) in run {@code i}, as text. */
    public String setting(int i, String option) {
        for (Map.Entry<String, Object> e : runs.get(i).config().entrySet()) {
            if (optionName(e.getKey()).equals(option)) {
                return text(e.getKey(), e.getValue());
            }
        }
        return "";
    }

    /** summary.json keys are Java names ({@code averagingFrequency}); users know the options they typed. */
    static String optionName(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** A setting's value as the user would type it: models by their option value ({@code dnn}, not DNN). */
    private static String text(String key, Object v) {
        if (v == null) {
            return "";
        }
        return key.equals("model") ? v.toString().toLowerCase(java.util.Locale.ROOT) : v.toString();
    }

    /** Directory names, made distinct with the parent's name (runs/a/run, runs/b/run) or, failing that, a number. */
    private static List<String> distinctNames(List<RunResults> runs) {
        Map<String, Integer> counts = new HashMap<>();
        runs.forEach(r -> counts.merge(r.name(), 1, Integer::sum));
        List<String> names = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (RunResults r : runs) {
            String name = r.name();
            if (counts.get(name) > 1) {
                org.apache.hadoop.fs.Path parent = new org.apache.hadoop.fs.Path(r.location()).getParent();
                name = (parent == null ? "" : parent.getName() + "/") + name;
            }
            String unique = name;
            for (int n = 2; !used.add(unique); n++) {
                unique = name + " #" + n;
            }
            names.add(unique);
        }
        return names;
    }
}
