package io.fashionspark.metrics;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The console view of a run, in the reference PyTorch training's format: {@code Iteration: N, Loss: L, Accuracy: A%}
 * after each test evaluation (Loss being the last averaging round's training loss), plus the training images/s since
 * the previous one: a single round's rate says little where rounds differ (a segment's last round of the peer
 * exchange carries the model's trip to the driver).
 */
public final class ConsoleSink implements MetricsListener {
    private final PrintStream out;
    private AveragingRound lastRound;
    private long images;
    private double seconds;

    public ConsoleSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onRound(AveragingRound event) {
        lastRound = event;
        images += event.images();
        seconds += event.seconds();
    }

    @Override
    public void onEvaluation(TestEvaluation e) {
        double loss = lastRound == null ? Double.NaN : lastRound.score();
        double rate = seconds > 0 ? images / seconds : Double.NaN;
        images = 0;
        seconds = 0;
        out.println(String.format(Locale.ROOT,
                "Iteration: %d, Loss: %.4f, Accuracy: %.2f%%  (epoch %d, test loss %.4f, %.0f images/s, eval %.1f s)",
                e.iteration(), loss, 100 * e.accuracy(), e.epoch(), e.loss(), rate, e.seconds()));
    }

    @Override
    public void onEpochEnd(EpochEnd e) {
        out.println(String.format(Locale.ROOT, "Epoch %d done: %d images in %.1f s of training, %.0f images/s",
                e.epoch(), e.images(), e.trainSeconds(), e.imagesPerSecond()));
    }
}
