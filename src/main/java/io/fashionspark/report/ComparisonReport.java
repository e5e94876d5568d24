package io.fashionspark.report;

import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** One page overlaying several runs' curves, to see what a setting (an averaging frequency, say) changes. */
public final class ComparisonReport {
    private ComparisonReport() {
    }

    public static RunComparison write(List<RunResults> runs, ReportOutput output, Configuration conf) {
        if (runs.size() < 2) {
            throw new IllegalArgumentException("a comparison needs at least two runs, got " + runs.size());
        }
        RunComparison cmp = RunComparison.of(runs);
        List<ChartImage> charts = ReportCharts.forComparison(cmp.runs(), cmp.labels());
        output.write(ComparisonPage.html(cmp, charts, Instant.now()), charts, conf);
        return cmp;
    }
}
