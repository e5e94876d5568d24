package io.fashionspark.report;

import io.fashionspark.fs.HadoopPaths;
import io.fashionspark.rundir.OutputException;
import io.fashionspark.rundir.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/**
 * Where a page and its PNG charts go: {@code report.html} and {@code charts/} in a run directory, or
 * {@code compare.html} and {@code compare-charts/} beside each other for a page written elsewhere.
 */
public record ReportOutput(RunDirectory directory, String pageName, String chartsFolder) {
    /** A run's own report, in its directory. */
    public static ReportOutput inRun(RunDirectory run) {
        return new ReportOutput(run, TrainingReport.PAGE, TrainingReport.CHARTS);
    }

    /** A page at {@code file} (local path or Hadoop URI), its charts in {@code <name>-charts/} beside it. */
    public static ReportOutput toFile(String file, Configuration conf) {
        HadoopPaths.Location page;
        try {
            page = HadoopPaths.resolve(file, conf);
        } catch (java.io.UncheckedIOException e) {
            throw new OutputException(e.getMessage(), e);
        }
        try {
            FileStatus st = page.fs().getFileStatus(page.path());
            if (st.isDirectory()) {
                throw new OutputException(page + ": is a directory; --output takes the page's file name, "
                        + "e.g. compare.html");
            }
        } catch (java.io.FileNotFoundException e) {
            // A new page: fine.
        } catch (IOException e) {
            throw new OutputException(page + ": cannot check: " + e.getMessage(), e);
        }
        String name = page.path().getName();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        RunDirectory dir = RunDirectory.prepare(page.path().getParent().toString(), true, conf);
        return new ReportOutput(dir, name, stem + "-charts");
    }

    public HadoopPaths.Location page() {
        return directory.location().child(pageName);
    }

    /**
     * Writes the charts, then the page, each atomically; everything was rendered before, so a failure to render
     * leaves the previous report whole, and the page is replaced last.
     */
    void write(String html, List<ChartImage> charts, Configuration conf) {
        // The charts folder as a directory of its own: its files' temporary names then stay inside it.
        boolean newFolder = !directory.exists(chartsFolder);
        RunDirectory chartsDir = RunDirectory.prepare(directory.path(chartsFolder).toString(), true, conf);
        try {
            for (ChartImage chart : charts) {
                chartsDir.writeAtomically(chart.fileName(), out -> out.write(chart.png()));
            }
            directory.writeAtomically(pageName, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            // A first report that could not be written (a full disk, say) leaves no charts folder without its page.
            if (newFolder) {
                try {
                    chartsDir.location().fs().delete(chartsDir.location().path(), true);
                } catch (IOException ignored) {
                    // The write's failure is the one to report.
                }
            }
            throw e;
        }
    }
}
