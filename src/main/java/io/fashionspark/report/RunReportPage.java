package io.fashionspark.report;

import io.fashionspark.rundir.RunSummary;
import io.fashionspark.runtime.BuildInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The HTML of one run's {@code report.html}: headline numbers, the charts, the tables, the image grid. */
public final class RunReportPage {
    private RunReportPage() {
    }

    public static String html(RunResults run, List<ChartImage> charts, SampleGrid samples, Instant generated) {
        RunSummary s = run.summary();
        StringBuilder b = new StringBuilder();
        b.append("<header>\n<h1>").append(Html.escape(run.modelName())).append(" run <code>")
                .append(Html.escape(run.name())).append("</code></h1>\n");
        b.append("<p class=\"sub\">").append(Html.escape(run.location())).append("</p>\n");
        b.append("<nav><a href=\"#loss\">Loss</a><a href=\"#accuracy\">Accuracy</a>"
                + "<a href=\"#throughput\">Throughput</a><a href=\"#confusion\">Confusion matrix</a>"
                + "<a href=\"#per-class\">Per class</a><a href=\"#samples\">Test images</a>"
                + "<a href=\"#configuration\">Configuration</a><a href=\"#versions\">Versions</a></nav>\n");
        b.append("<div class=\"cards\">");
        b.append(Html.card(Html.percent(s.finalTestAccuracy()), "final test accuracy"));
        b.append(Html.card(Html.number(s.finalTestLoss()), "final test loss"));
        b.append(Html.card(Html.number(run.imagesPerSecond()), "training images / s"));
        b.append(Html.card(String.format(Locale.ROOT, "%,d", s.iterations()), "iterations"));
        b.append(Html.card(String.format(Locale.ROOT, "%,d", s.imagesTrained()), "images trained"));
        Double wall = s.timings() == null ? null : s.timings().wallSeconds();
        if (wall != null) {
            b.append(Html.card(Html.number(wall) + " s", "wall time"));
        }
        b.append("</div>\n</header>\n");

        for (ChartImage chart : charts) {
            switch (chart.fileName()) {
                case ReportCharts.LOSS -> b.append(Html.figure("loss", chart, "Thin lines: each worker's loss on "
                        + "its minibatch. Bold: the score dl4j-spark gives each averaged model (mean of the workers' "
                        + "last losses of the round). Diamonds: the averaged model's loss on the test set."));
                case ReportCharts.ACCURACY -> b.append(Html.figure("accuracy", chart, "The averaged model on "
                        + String.format(Locale.ROOT, "%,d", totalTestImages(s)) + " test images, "
                        + testCadence(run) + "."));
                case ReportCharts.THROUGHPUT -> b.append(Html.figure("throughput", chart, "Each round's images "
                        + "over its wall time (broadcast, fitting, aggregation); epoch averages leave testing out."));
                case ReportCharts.CONFUSION -> b.append(Html.figure("confusion", chart, null))
                        .append(confusionTable(s));
                case ReportCharts.PER_CLASS -> b.append(Html.figure("per-class", chart, null))
                        .append(perClassTable(s));
                case ReportCharts.SAMPLES -> b.append(Html.figure("samples", chart, samplesCaption(samples)));
                default -> b.append(Html.figure(chart.fileName().replace(".png", ""), chart, null));
            }
        }
        if (!samples.available()) {
            b.append("<section id=\"samples\">\n<h2>Test images</h2>\n<p class=\"note\">No image grid: ")
                    .append(Html.escape(samples.unavailableReason())).append("</p>\n</section>\n");
        }

        b.append("<section id=\"configuration\">\n<h2>Configuration</h2>\n")
                .append(Html.keyValueTable(run.config()));
        if (s.model() != null) {
            b.append("<h3>Model</h3>\n").append(Html.keyValueTable(RunResults.fields(s.model())));
        }
        if (s.timings() != null) {
            Map<String, String> timings = new LinkedHashMap<>();
            RunResults.fields(s.timings()).forEach((k, v) -> timings.put(k, Html.number(v)));
            b.append("<h3>Timings</h3>\n").append(Html.keyValueTable(timings));
        }
        b.append("</section>\n");

        Map<String, Object> versions = new LinkedHashMap<>();
        if (s.versions() != null) {
            versions.putAll(s.versions().known());
        }
        versions.put("Spark master", s.sparkMaster());
        versions.put("Spark application", s.sparkApplicationId());
        versions.put("git commit", s.gitCommit());
        b.append("<section id=\"versions\">\n<h2>Versions</h2>\n").append(Html.keyValueTable(versions))
                .append("</section>\n");
        b.append(footer(generated));
        return Html.page(run.modelName() + " run " + run.name() + ": fashion-spark report", b.toString());
    }

    static String footer(Instant generated) {
        return "<footer>Written by fashion-spark " + Html.escape(BuildInfo.version()) + " on "
                + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(generated.atOffset(ZoneOffset.UTC).withNano(0))
                + " UTC. Charts also as PNG files beside this page.</footer>\n";
    }

    private static long totalTestImages(RunSummary s) {
        long total = 0;
        if (s.confusionMatrix() != null) {
            for (long[] row : s.confusionMatrix()) {
                for (long c : row) {
                    total += c;
                }
            }
        }
        return total;
    }

    private static String testCadence(RunResults run) {
        Object every = run.config().get("evalEvery");
        if (every instanceof Number n && n.intValue() > 0) {
            return "tested every " + n.intValue() + " iterations and at each epoch's end";
        }
        return "tested at each epoch's end";
    }

    private static String samplesCaption(SampleGrid samples) {
        return "The first " + samples.samples().size() + " test images, labelled by the saved model: "
                + "<span class=\"right\">" + samples.correctCount() + " right</span>, <span class=\"wrong\">"
                + (samples.samples().size() - samples.correctCount()) + " wrong</span>.";
    }

    /** The counts behind the heat map, each cell shaded by its share of the true class. */
    private static String confusionTable(RunSummary s) {
        long[][] m = s.confusionMatrix();
        List<String> names = s.classNames();
        if (m == null || m.length == 0 || names == null || names.size() < m.length) {
            return "";
        }
        StringBuilder b = new StringBuilder("<table class=\"confusion\">\n<tr><th>true \\ predicted</th>");
        for (int p = 0; p < m.length; p++) {
            b.append("<th>").append(Html.escape(names.get(p))).append("</th>");
        }
        b.append("</tr>\n");
        for (int t = 0; t < m.length; t++) {
            long total = 0;
            for (long c : m[t]) {
                total += c;
            }
            b.append("<tr><th>").append(Html.escape(names.get(t))).append("</th>");
            for (int p = 0; p < m[t].length; p++) {
                double share = total == 0 ? 0 : (double) m[t][p] / total;
                // Blue, stronger for a larger share; white text where the cell is dark.
                int alpha = (int) Math.round(share * 100);
                b.append("<td style=\"background: rgba(8, 81, 156, ").append(alpha / 100.0).append(")")
                        .append(share > 0.5 ? "; color: #fff" : "").append("\">").append(m[t][p]).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static String perClassTable(RunSummary s) {
        Map<String, Double> acc = s.perClassAccuracy();
        if (acc == null || acc.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<table>\n<tr><th>class</th><th>accuracy</th><th>test images</th></tr>\n");
        int i = 0;
        for (Map.Entry<String, Double> e : acc.entrySet()) {
            long images = 0;
            if (s.confusionMatrix() != null && i < s.confusionMatrix().length) {
                for (long c : s.confusionMatrix()[i]) {
                    images += c;
                }
            }
            b.append("<tr><td>").append(Html.escape(e.getKey())).append("</td><td class=\"num\">")
                    .append(Html.percent(e.getValue() == null ? Double.NaN : e.getValue()))
                    .append("</td><td class=\"num\">").append(images).append("</td></tr>\n");
            i++;
        }
        return b.append("</table>\n").toString();
    }
}
