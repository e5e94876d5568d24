package io.fashionspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the report's charts with XChart, off-screen, as PNG bytes. */
public final class ChartRenderer {
    static {
        Headless.ensure();
    }

    public static final int WIDTH = 960;
    public static final int HEIGHT = 440;

    /** Tableau's 10 colours: distinct for the runs of a comparison and the workers of one run. */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0x59A14F), new Color(0xE15759), new Color(0x76B7B2),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};
    private static final Color INK = new Color(0x222222);
    private static final Font BASE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private ChartRenderer() {
    }

    /**
     * A line chart of {@code curves} sharing one x and one y axis; empty curves are left out, and a chart with none
     * says so instead of drawing empty axes.
     *
     * @param yMin lower end of the y axis, or null to fit the data
     * @param yMax upper end of the y axis, or null to fit the data
     * @param legendBelow the legend under the plot, for a few long labels (compared runs); else to its right, for
     *                    many short ones (workers)
     */
    public static byte[] lines(String title, String xTitle, String yTitle, List<Curve> curves, Double yMin,
                               Double yMax, boolean legendBelow) {
        List<Curve> drawn = curves.stream().filter(c -> !c.isEmpty()).toList();
        if (drawn.isEmpty()) {
            return placeholder(title, "Nothing recorded for this chart in metrics.jsonl.");
        }
        return encode(lineChart(title, xTitle, yTitle, drawn, yMin, yMax, legendBelow));
    }

    /** The chart {@link #lines} draws, for curves that are all non-empty. */
    static XYChart lineChart(String title, String xTitle, String yTitle, List<Curve> drawn, Double yMin,
                             Double yMax, boolean legendBelow) {
        int height = legendBelow ? HEIGHT + 20 * drawn.size() : HEIGHT;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(legendBelow ? Styler.LegendPosition.OutsideS
                : Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(yMin);
        chart.getStyler().setYAxisMax(yMax);
        chart.getStyler().setXAxisDecimalPattern("#,##0.###");
        // Ticks far enough apart for 5-6 digit labels (XChart's default spacing lets long labels run together).
        chart.getStyler().setXAxisTickMarkSpacingHint(110);
        roundXTicks(chart.getStyler(), drawn);
        int colour = 0;
        for (Curve c : drawn) {
            Color color = PALETTE[colour++ % PALETTE.length];
            XYSeries s = chart.addSeries(c.label(), c.x(), c.y());
            s.setLineColor(c.style() == Curve.Style.THIN ? translucent(color) : color);
            s.setMarkerColor(color);
            switch (c.style()) {
                case THIN -> {
                    s.setMarker(SeriesMarkers.NONE);
                    s.setLineWidth(1f);
                }
                case LINE -> {
                    s.setMarker(SeriesMarkers.NONE);
                    s.setLineWidth(1.5f);
                }
                case BOLD -> {
                    s.setMarker(SeriesMarkers.NONE);
                    s.setLineWidth(2.5f);
                }
                case POINTS -> {
                    s.setMarker(SeriesMarkers.CIRCLE);
                    s.setLineWidth(2f);
                }
                case MARKERS_ONLY -> {
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    s.setMarker(SeriesMarkers.DIAMOND);
                }
            }
        }
        return chart;
    }

    /**
     * Sets the x axis range: from 0 when no x is negative, else from the lowest x, to just past the highest x.
     *
     * <p>When the x values, with the axis ends, are equally spaced (a loss every iteration, a test every epoch),
     * XChart 3.8.8 puts a tick on every k-th x value instead of on round numbers, and does not heed the tick spacing
     * hint: a 1,500-iteration run got ticks at 0, 94, 188, ... 1,034, 1,128, with the labels all but touching.
     * Ending the axis a little past the last point, by less than half the smallest step between x values, makes the
     * last step unlike the others, and XChart takes its usual calculation: round ticks (0, 200, 400, ...) about the
     * spacing hint apart. The extra length is at most a millionth of the axis, far under a pixel.
     */
    private static void roundXTicks(XYStyler styler, List<Curve> drawn) {
        double[] xs = drawn.stream().flatMapToDouble(c -> java.util.Arrays.stream(c.x())).sorted().distinct()
                .toArray();
        double axisMin = xs[0] >= 0 ? 0.0 : xs[0];
        if (xs[0] >= 0) {
            styler.setXAxisMin(axisMin);
        }
        double highest = xs[xs.length - 1];
        if (highest > axisMin) {
            double smallestStep = xs[0] > axisMin ? xs[0] - axisMin : Double.POSITIVE_INFINITY;
            for (int i = 1; i < xs.length; i++) {
                smallestStep = Math.min(smallestStep, xs[i] - xs[i - 1]);
            }
            styler.setXAxisMax(highest + Math.min(1e-6 * (highest - axisMin), smallestStep / 2));
        }
    }

    /**
     * The confusion matrix as a heat map: rows are true classes (top to bottom in label order), columns predicted
     * classes. Cells show, and are coloured by, the share of the true class predicted as that column, so a rare
     * mistake stands out as well as a common one would in raw counts.
     */
    public static byte[] confusionHeatMap(long[][] counts, List<String> classNames) {
        int n = counts == null ? 0 : counts.length;
        if (n == 0 || classNames.size() < n) {
            return placeholder("Confusion matrix", "summary.json holds no confusion matrix.");
        }
        List<String> predicted = new ArrayList<>(classNames.subList(0, n));
        // The chart's y axis grows upwards; list the classes reversed so the first class is the top row.
        List<String> trueTopDown = new ArrayList<>(predicted);
        java.util.Collections.reverse(trueTopDown);
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            long rowTotal = 0;
            for (long c : counts[t]) {
                rowTotal += c;
            }
            for (int p = 0; p < n; p++) {
                double share = rowTotal == 0 ? 0 : 100.0 * counts[t][p] / rowTotal;
                cells.add(new Number[] {p, n - 1 - t, share});
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(720)
                .title("Confusion matrix (% of each true class)").xAxisTitle("predicted class")
                .yAxisTitle("true class").build();
        style(chart.getStyler());
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0.#");
        chart.getStyler().setValueFont(BASE.deriveFont(12f));
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(100);
        // Light enough at the top that the black cell values stay readable on the diagonal.
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0xDEEBF7), new Color(0x9ECAE1),
            new Color(0x4292C6)});
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.addSeries("% of true class", predicted, trueTopDown, cells);
        return encode(chart);
    }

    /** One bar per class: the share of that class's test images the model labels right. */
    public static byte[] perClassBars(Map<String, Double> accuracyByClass) {
        if (accuracyByClass == null || accuracyByClass.isEmpty()) {
            return placeholder("Per-class accuracy", "summary.json holds no per-class accuracy.");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Test accuracy per class").xAxisTitle("class").yAxisTitle("accuracy (%)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(BASE.deriveFont(11f));
        chart.getStyler().setLabelsPosition(0.9);
        // Axis ticks and the values on the bars: 100, 91.3.
        chart.getStyler().setYAxisDecimalPattern("0.#");
        chart.getStyler().setSeriesColors(new Color[] {PALETTE[0]});
        List<String> names = new ArrayList<>(accuracyByClass.keySet());
        List<Double> percent = accuracyByClass.values().stream().map(a -> a == null ? 0.0 : 100 * a).toList();
        chart.addSeries("accuracy", names, percent);
        return encode(chart);
    }

    /** A chart-sized image that says why there is no chart: the page keeps its layout and tells the reader. */
    public static byte[] placeholder(String title, String message) {
        BufferedImage img = new BufferedImage(WIDTH, 160, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(new Color(0xBBBBBB));
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f}, 0f));
            g.drawRect(8, 8, img.getWidth() - 17, img.getHeight() - 17);
            g.setColor(INK);
            g.setFont(BASE.deriveFont(Font.BOLD, 16f));
            g.drawString(title, 28, 60);
            g.setFont(BASE.deriveFont(14f));
            g.drawString(message, 28, 95);
        } finally {
            g.dispose();
        }
        return png(img);
    }

    static byte[] png(BufferedImage img) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xCCCCCC));
        s.setPlotGridLinesColor(new Color(0xE6E6E6));
        s.setLegendBorderColor(new Color(0xDDDDDD));
        s.setChartFontColor(INK);
        s.setChartTitleBoxVisible(false);
        s.setBaseFont(BASE);
        s.setChartTitleFont(BASE.deriveFont(Font.BOLD, 16f));
        s.setAxisTitleFont(BASE);
        s.setAxisTickLabelsFont(BASE.deriveFont(12f));
        s.setLegendFont(BASE.deriveFont(12f));
        s.setAntiAlias(true);
        s.setLocale(java.util.Locale.ROOT);
    }

    private static Color translucent(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 150);
    }

    private static byte[] encode(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + chart.getTitle() + "': " + e.getMessage(), e);
        }
    }
}
