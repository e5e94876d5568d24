package io.fashionspark.report;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The HTML of a page comparing runs: a table of how they differ and ended, then their curves overlaid. */
public final class ComparisonPage {
    private ComparisonPage() {
    }

    public static String html(RunComparison cmp, List<ChartImage> charts, Instant generated) {
        List<RunResults> runs = cmp.runs();
        StringBuilder b = new StringBuilder();
        b.append("<header>\n<h1>Comparing ").append(runs.size()).append(" fashion-spark runs</h1>\n");
        b.append("<p class=\"sub\">").append(cmp.differingSettings().isEmpty()
                ? "The runs have the same settings."
                : "They differ in " + Html.escape(String.join(", ", cmp.differingSettings())) + ".").append("</p>\n");
        b.append("<nav><a href=\"#runs\">Runs</a><a href=\"#loss\">Loss</a><a href=\"#accuracy\">Accuracy</a>"
                + "<a href=\"#throughput\">Throughput</a><a href=\"#settings\">Shared settings</a>"
                + "<a href=\"#versions\">Versions</a></nav>\n</header>\n");

        b.append("<section id=\"runs\">\n<h2>Runs</h2>\n<table>\n<tr><th>run</th>");
        for (String setting : cmp.differingSettings()) {
            b.append("<th>").append(Html.escape(setting)).append("</th>");
        }
        b.append("<th>final test accuracy</th><th>final test loss</th><th>training images / s</th>"
                + "<th>iterations</th><th>wall time (s)</th><th>directory</th></tr>\n");
        for (int i = 0; i < runs.size(); i++) {
            RunResults r = runs.get(i);
            b.append("<tr><td>").append(Html.escape(cmp.names().get(i))).append("</td>");
            for (String setting : cmp.differingSettings()) {
                b.append("<td>").append(Html.escape(cmp.setting(i, setting))).append("</td>");
            }
            Object wall = r.summary().timings() == null ? null : r.summary().timings().wallSeconds();
            b.append("<td class=\"num\">").append(Html.percent(r.summary().finalTestAccuracy())).append("</td>")
                    .append("<td class=\"num\">").append(Html.number(r.summary().finalTestLoss())).append("</td>")
                    .append("<td class=\"num\">").append(Html.number(r.imagesPerSecond())).append("</td>")
                    .append("<td class=\"num\">").append(String.format(Locale.ROOT, "%,d", r.summary().iterations()))
                    .append("</td><td class=\"num\">").append(Html.escape(Html.number(wall))).append("</td>")
                    .append("<td><code>").append(Html.escape(r.location())).append("</code></td></tr>\n");
        }
        b.append("</table>\n</section>\n");

        for (ChartImage chart : charts) {
            String id = chart.fileName().replace(".png", "");
            String caption = switch (chart.fileName()) {
                case ReportCharts.LOSS -> "Each run's training loss per iteration, averaged over its workers.";
                case ReportCharts.ACCURACY -> "Each run's averaged model on its test set. Runs with other worker "
                        + "counts or batch sizes see a different number of images per iteration.";
                case ReportCharts.THROUGHPUT -> "Each averaging round's images over its wall time.";
                default -> null;
            };
            b.append(Html.figure(id, chart, caption));
        }

        b.append("<section id=\"settings\">\n<h2>Shared settings</h2>\n")
                .append(Html.keyValueTable(cmp.sharedSettings())).append("</section>\n");
        b.append(versionsTable(cmp));
        b.append(RunReportPage.footer(generated));
        return Html.page("fashion-spark: comparing " + runs.size() + " runs", b.toString());
    }

    private static String versionsTable(RunComparison cmp) {
        Set<String> keys = new LinkedHashSet<>();
        for (RunResults r : cmp.runs()) {
            if (r.summary().versions() != null) {
                keys.addAll(r.summary().versions().known().keySet());
            }
        }
        StringBuilder b = new StringBuilder("<section id=\"versions\">\n<h2>Versions</h2>\n<table>\n<tr><th></th>");
        for (String name : cmp.names()) {
            b.append("<th>").append(Html.escape(name)).append("</th>");
        }
        b.append("</tr>\n");
        for (String k : keys) {
            b.append("<tr><th>").append(Html.escape(k)).append("</th>");
            for (RunResults r : cmp.runs()) {
                String v = r.summary().versions() == null ? null : r.summary().versions().known().get(k);
                b.append("<td>").append(Html.escape(v == null ? "" : v)).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("<tr><th>git commit</th>");
        for (RunResults r : cmp.runs()) {
            b.append("<td>").append(Html.escape(r.summary().gitCommit() == null ? "" : r.summary().gitCommit()))
                    .append("</td>");
        }
        return b.append("</tr>\n</table>\n</section>\n").toString();
    }
}
