package io.fashionspark.report;

import io.fashionspark.fs.HadoopPaths;
import io.fashionspark.rundir.RunDirectory;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * A run's {@code report.html} with its charts in {@code charts/}: what {@code train} writes when it ends and
 * {@code report RUN_DIR} writes again.
 */
public final class TrainingReport {
    public static final String PAGE = "report.html";
    public static final String CHARTS = "charts";

    private TrainingReport() {
    }

    /**
     * What was written.
     *
     * @param missingGridReason why the page has no grid of test images, or null when it has one
     */
    public record Written(HadoopPaths.Location page, int charts, String missingGridReason) {
    }

    /** Reads the finished run back from its files and writes its report into it. */
    public static Written write(RunDirectory run, Configuration conf) {
        return write(RunReader.read(run.location().toString(), conf), ReportOutput.inRun(run), conf);
    }

    /** Writes {@code run}'s report to {@code output}. */
    public static Written write(RunResults run, ReportOutput output, Configuration conf) {
        SampleGrid samples = SamplePredictor.predict(run, conf, SamplePredictor.DEFAULT_COUNT);
        List<ChartImage> charts = ReportCharts.forRun(run, samples);
        String html = RunReportPage.html(run, charts, samples, Instant.now());
        output.write(html, charts, conf);
        return new Written(output.page(), charts.size(), samples.unavailableReason());
    }

    /**
     * For the end of training: the model and metrics are already safe, so a report that cannot be written is a
     * warning (with the command that retries it), never a failed run.
     *
     * @return whether the report was written
     */
    public static boolean writeOrWarn(RunDirectory run, Configuration conf, Consumer<String> warn) {
        try {
            write(run, conf);
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // Errors too: drawing needs the JDK's font stack (fontconfig and a font), which a minimal image can
            // lack, and AWT reports that as an Error. The run's results are already written either way.
            String why = e instanceof RuntimeException && e.getMessage() != null ? e.getMessage() : e.toString();
            warn.accept("no report.html (" + why + "); write it later with: fashion-spark report " + run.location());
            return false;
        }
    }
}
