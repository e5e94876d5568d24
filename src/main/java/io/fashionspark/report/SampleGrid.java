package io.fashionspark.report;

import java.util.List;

/**
 * The first test images with the saved model's predictions, or why they could not be made (the data or the model
 * could not be read): the report shows the grid or that reason, and renders either way.
 */
public record SampleGrid(List<SamplePrediction> samples, List<String> classNames, String unavailableReason) {
    public SampleGrid {
        samples = List.copyOf(samples);
        classNames = List.copyOf(classNames);
    }

    public static SampleGrid of(List<SamplePrediction> samples, List<String> classNames) {
        return new SampleGrid(samples, classNames, null);
    }

    public static SampleGrid unavailable(String reason) {
        return new SampleGrid(List.of(), List.of(), reason);
    }

    public boolean available() {
        return unavailableReason == null;
    }

    public long correctCount() {
        return samples.stream().filter(SamplePrediction::correct).count();
    }

    public String className(int label) {
        return label >= 0 && label < classNames.size() ? classNames.get(label) : "class " + label;
    }
}
