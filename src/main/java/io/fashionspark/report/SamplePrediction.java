package io.fashionspark.report;

/**
 * One test image with its label and the model's answer.
 *
 * @param pixels     row-major grey levels, 0 background to 255 ink, as the idx file holds them
 * @param confidence the probability the model gives its answer
 */
public record SamplePrediction(byte[] pixels, int rows, int cols, int trueLabel, int predictedLabel,
                               double confidence) {
    public boolean correct() {
        return trueLabel == predictedLabel;
    }
}
