package io.fashionspark.train;

import io.fashionspark.config.Settings;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Stops training when the loss is no longer a number: nothing after a NaN or infinite loss is worth training. */
final class DivergenceCheck implements RoundListener {
    private final double learningRate;
    private final double peak;

    /** @param learningRate the run's {@code --learning-rate}; @param peak the highest rate its recipe reaches */
    DivergenceCheck(double learningRate, double peak) {
        this.learningRate = learningRate;
        this.peak = peak;
    }

    @Override
    public void onRoundEnd(RoundEnd end, MultiLayerNetwork averaged) {
        if (!Double.isFinite(end.score())) {
            throw new TrainingDivergedException("the training loss became " + end.score() + " at iteration "
                    + end.iteration() + " (epoch " + end.epoch() + "); lower " + Settings.LEARNING_RATE
                    + " (now " + learningRate + (peak == learningRate ? "" : ", a peak of " + peak + " with the "
                    + "recipe's " + Settings.LR_SCALING) + ")");
        }
    }
}
