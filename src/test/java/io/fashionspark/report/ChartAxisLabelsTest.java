package io.fashionspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.metrics.AveragingRound;
import io.fashionspark.metrics.TestEvaluation;
import io.fashionspark.metrics.WorkerIteration;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.image.BufferedImage;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.AxisPair;
import org.knowm.xchart.internal.chartpart.AxisTickCalculator;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The iteration axis of the report's line charts, as XChart's own tick calculation lays it out: round tick values
 * whose labels stay well apart, from a 10-iteration run to a 150,000-iteration one.
 */
class ChartAxisLabelsTest {
    /** Blank space wanted between neighbouring tick labels, in pixels: about two digits of the tick font. */
    private static final double MIN_GAP = 12;

    @ParameterizedTest(name = "{0} iterations")
    @ValueSource(longs = {10, 150, 1_500, 15_000, 150_000})
    void iterationLabelsAreRoundAndApart(long iterations) throws Exception {
        RunResults run = run(iterations);
        assertLabelsApart("loss", ChartRenderer.lineChart("Training loss per iteration", "iteration", "loss",
                ReportCharts.lossCurves(run), 0.0, null, false));
        assertLabelsApart("accuracy", ChartRenderer.lineChart("Test accuracy", "iteration", "accuracy (%)",
                List.of(ReportCharts.accuracyCurve("test accuracy", run, Curve.Style.POINTS)), 80.0, 100.0, false));
        assertLabelsApart("compared loss", ChartRenderer.lineChart("Training loss", "iteration", "loss",
                List.of(Curve.of("a run", run.meanWorkerLossPerIteration(), Curve.Style.LINE)), 0.0, null, true));
    }

    /** Paints the chart as the PNG encoder would, then reads the x-axis ticks XChart computed for it. */
    private static void assertLabelsApart(String chartName, XYChart chart) throws Exception {
        BufferedImage img = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            chart.paint(g, chart.getWidth(), chart.getHeight());
        } finally {
            g.dispose();
        }
        Axis<?, ?> xAxis = xAxis(chart);
        AxisTickCalculator ticks = xAxis.getAxisTickCalculator();
        Font font = chart.getStyler().getAxisTickLabelsFont();
        FontRenderContext frc = new FontRenderContext(null, true, true);
        List<String> labels = new ArrayList<>();
        List<Double> centres = new ArrayList<>();
        List<Double> widths = new ArrayList<>();
        for (int i = 0; i < ticks.getTickLabels().size(); i++) {
            String label = ticks.getTickLabels().get(i);
            double at = ticks.getTickLocations().get(i);
            // XChart draws the labels inside the axis, centred on their tick.
            if (label != null && at > 0 && at < xAxis.getBounds().getWidth()) {
                labels.add(label);
                centres.add(at);
                widths.add(new TextLayout(label, font, frc).getBounds().getWidth());
            }
        }
        String drawn = chartName + " x labels " + labels + " at " + centres;
        assertTrue(labels.size() >= 3, drawn);
        BigDecimal step = value(labels.get(1)).subtract(value(labels.get(0)));
        assertTrue(isRound(step), "ticks every " + step + ": " + drawn);
        for (int i = 1; i < labels.size(); i++) {
            assertEquals(0, step.compareTo(value(labels.get(i)).subtract(value(labels.get(i - 1)))), drawn);
            double gap = centres.get(i) - centres.get(i - 1) - (widths.get(i) + widths.get(i - 1)) / 2;
            assertTrue(gap >= MIN_GAP, Math.round(gap) + " px between " + labels.get(i - 1) + " and "
                    + labels.get(i) + ": " + drawn);
        }
    }

    private static Axis<?, ?> xAxis(XYChart chart) throws ReflectiveOperationException {
        Field axisPair = Chart.class.getDeclaredField("axisPair");
        axisPair.setAccessible(true);
        return ((AxisPair<?, ?>) axisPair.get(chart)).getXAxis();
    }

    private static BigDecimal value(String label) throws ParseException {
        return new BigDecimal(NumberFormat.getInstance(Locale.ROOT).parse(label).toString());
    }

    /** 1, 2 or 5 times a power of ten. */
    private static boolean isRound(BigDecimal step) {
        BigDecimal significand = step.movePointLeft(step.precision() - step.scale() - 1).stripTrailingZeros();
        return significand.compareTo(BigDecimal.ONE) == 0 || significand.compareTo(BigDecimal.valueOf(2)) == 0
                || significand.compareTo(BigDecimal.valueOf(5)) == 0;
    }

    /**
     * Two workers' losses every iteration, one averaging round each iteration and seven test evaluations; beyond
     * 15,000 iterations every 100th iteration is logged, which spaces the points as evenly and paints faster.
     */
    private static RunResults run(long iterations) {
        long every = iterations > 15_000 ? 100 : 1;
        long testEvery = every * Math.max(1, iterations / every / 7);
        List<WorkerIteration> losses = new ArrayList<>();
        List<AveragingRound> rounds = new ArrayList<>();
        List<TestEvaluation> tests = new ArrayList<>();
        for (long it = every; it <= iterations; it += every) {
            long t = 1_000_000 + it * 100;
            double loss = 2.3 / Math.sqrt(it);
            for (int w = 0; w < 2; w++) {
                losses.add(new WorkerIteration(t, 1, it, w, loss + 0.01 * w, 64));
            }
            rounds.add(new AveragingRound(t, 1, it, it, loss, 128, 0.1, 400));
            if (it % testEvery == 0) {
                tests.add(new TestEvaluation(t + 20, 1, it, it * 128, 0.9, 0.4, false, 0.02));
            }
        }
        return new RunResults("run", "run", null, losses, rounds, tests, List.of());
    }
}
