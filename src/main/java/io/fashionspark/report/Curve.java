package io.fashionspark.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One labelled series of points for a line chart, non-finite points already dropped (a chart library cannot scale
 * an axis to NaN).
 *
 * @param style how it is drawn: the many per-worker curves thin, the curve that matters bold
 */
public record Curve(String label, double[] x, double[] y, Style style) {
    public enum Style {
        /** A thin line: one of many (each worker's loss). */
        THIN,
        /** A plain line: one of a few compared curves. */
        LINE,
        /** A bold line: the curve the chart is about. */
        BOLD,
        /** Markers joined by a line: sparse measurements (test evaluations). */
        POINTS,
        /** Markers alone: a second, sparse quantity over a dense curve. */
        MARKERS_ONLY
    }

    public Curve {
        if (x.length != y.length) {
            throw new IllegalArgumentException(label + ": " + x.length + " x values but " + y.length + " y values");
        }
    }

    /** From {@code (x, y)} pairs in x order; pairs with a non-finite y are left out. */
    public static Curve of(String label, Map<? extends Number, ? extends Number> points, Style style) {
        List<double[]> kept = new ArrayList<>();
        points.forEach((x, y) -> {
            if (Double.isFinite(y.doubleValue())) {
                kept.add(new double[] {x.doubleValue(), y.doubleValue()});
            }
        });
        double[] xs = new double[kept.size()];
        double[] ys = new double[kept.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = kept.get(i)[0];
            ys[i] = kept.get(i)[1];
        }
        return new Curve(label, xs, ys, style);
    }

    public boolean isEmpty() {
        return x.length == 0;
    }
}
