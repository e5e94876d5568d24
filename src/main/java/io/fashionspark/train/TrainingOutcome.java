package io.fashionspark.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** What a finished run produced: the averaged model, its last test evaluation, and timings. */
public record TrainingOutcome(MultiLayerNetwork model, EvalCounts finalEvaluation, long iterations,
                              long imagesTrained, double trainSeconds, double evalSeconds, double wallSeconds) {
    public double imagesPerSecond() {
        return trainSeconds == 0 ? 0 : imagesTrained / trainSeconds;
    }
}
