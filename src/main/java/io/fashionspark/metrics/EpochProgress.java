package io.fashionspark.metrics;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress through each epoch with images/s and the time left. On a terminal it is a bar redrawn in place after
 * every averaging round (cleared before other console lines, so they do not mix); elsewhere (CI, cluster logs) it
 * degrades to a plain line at every tenth of an epoch. Register it before {@link ConsoleSink}: it clears its bar
 * before the console prints an evaluation or epoch line.
 *
 * <p>Hand-written rather than a progress-bar library: the bar has to give way to the console's own lines, which
 * the libraries looked at draw over rather than around.
 */
public final class EpochProgress implements MetricsListener {
    /** How progress is shown. */
    public enum Mode {
        /** A bar redrawn in place: for an interactive terminal. */
        BAR,
        /** A line at every tenth of an epoch: for logs. */
        LINES,
        /** Nothing. */
        NONE
    }

    private static final int WIDTH = 30;
    /** Weight of the newest round in the smoothed images/s. */
    private static final double SMOOTHING = 0.3;

    private final PrintStream out;
    private final Mode mode;
    private final int stepsPerEpoch;
    private final int epochs;
    private final int imagesPerStep;
    private double rate = Double.NaN;
    private boolean barShown;
    private int lastTenth = -1;
    private int tenthEpoch;

    public EpochProgress(PrintStream out, Mode mode, int stepsPerEpoch, int epochs, int imagesPerStep) {
        this.out = out;
        this.mode = mode;
        this.stepsPerEpoch = stepsPerEpoch;
        this.epochs = epochs;
        this.imagesPerStep = imagesPerStep;
    }

    /** BAR on an interactive terminal (not TERM=dumb), LINES otherwise. */
    public static Mode detect() {
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return terminal ? Mode.BAR : Mode.LINES;
    }

    @Override
    public void onRound(AveragingRound e) {
        if (mode == Mode.NONE) {
            return;
        }
        rate = Double.isNaN(rate) ? e.imagesPerSecond() : SMOOTHING * e.imagesPerSecond() + (1 - SMOOTHING) * rate;
        long done = e.iteration() - (long) (e.epoch() - 1) * stepsPerEpoch;
        double fraction = Math.min(1.0, done / (double) stepsPerEpoch);
        double epochLeft = (stepsPerEpoch - done) * (double) imagesPerStep / rate;
        double runLeft = epochLeft + (epochs - e.epoch()) * (double) stepsPerEpoch * imagesPerStep / rate;
        if (mode == Mode.BAR) {
            int filled = (int) Math.round(fraction * WIDTH);
            out.print(String.format(Locale.ROOT, "\r[%s%s] epoch %d/%d %3.0f%%  %,.0f images/s  %s left (run %s)\033[K",
                    "=".repeat(filled), " ".repeat(WIDTH - filled), e.epoch(), epochs, 100 * fraction, rate,
                    clock(epochLeft), clock(runLeft)));
            out.flush();
            barShown = true;
        } else {
            int tenth = (int) Math.floor(fraction * 10);
            if (e.epoch() != tenthEpoch) {
                tenthEpoch = e.epoch();
                lastTenth = 0;
            }
            if (tenth > lastTenth && tenth < 10) {
                lastTenth = tenth;
                out.println(String.format(Locale.ROOT,
                        "epoch %d/%d: %d%% (%d/%d iterations), %,.0f images/s, %s left in the epoch, %s in the run",
                        e.epoch(), epochs, tenth * 10, done, stepsPerEpoch, rate, clock(epochLeft), clock(runLeft)));
            }
        }
    }

    @Override
    public void onEvaluation(TestEvaluation event) {
        clearBar();
    }

    @Override
    public void onEpochEnd(EpochEnd event) {
        clearBar();
    }

    @Override
    public void close() {
        clearBar();
    }

    private void clearBar() {
        if (barShown) {
            out.print("\r\033[K");
            out.flush();
            barShown = false;
        }
    }

    /** h:mm:ss or m:ss. */
    static String clock(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
