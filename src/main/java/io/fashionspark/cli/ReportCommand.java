package io.fashionspark.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.report.ComparisonReport;
import io.fashionspark.report.ReportOutput;
import io.fashionspark.report.RunComparison;
import io.fashionspark.report.RunReader;
import io.fashionspark.report.RunResults;
import io.fashionspark.report.TrainingReport;
import io.fashionspark.rundir.RunDirectory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code report}: a run's report.html again, or one page comparing several runs. */
@Command(name = ReportCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a run's report.html and charts/ again from its metrics.jsonl, summary.json and "
                + "model.zip: loss, test accuracy and throughput charts, the confusion matrix, per-class accuracy, "
                + "test images with predictions, configuration and versions. The page is one self-contained file.",
            "Given several runs, writes one page (--output) overlaying their curves, each run labelled by its "
                + "directory and the settings that differ."})
final class ReportCommand implements Callable<Integer> {
    static final String NAME = "report";
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR",
            description = "Run directories written by train (local paths or Hadoop URIs).")
    List<String> runDirs;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Where to write the page (local path or Hadoop URI); its charts go to <name>-charts/ "
                    + "beside it. Needed to compare runs; for one run the default is RUN_DIR/report.html.")
    String output;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public Integer call() {
        // Option defaults come from conf/fashion-spark.properties, whose `output` is train's: only a typed
        // --output counts here.
        boolean outputGiven = spec.commandLine().getParseResult().hasMatchedOption("--output");
        if (runDirs.size() > 1 && !outputGiven) {
            throw new ConfigException("comparing " + runDirs.size() + " runs writes one page: name it with "
                    + "--output FILE.html");
        }
        Configuration conf = new Configuration();
        List<RunResults> runs = new ArrayList<>();
        for (String dir : runDirs) {
            runs.add(RunReader.read(dir, conf));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (runs.size() == 1) {
            RunResults run = runs.get(0);
            ReportOutput target = outputGiven ? ReportOutput.toFile(output, conf)
                    : ReportOutput.inRun(RunDirectory.prepare(run.location(), true, conf));
            TrainingReport.Written written = TrainingReport.write(run, target, conf);
            if (written.missingGridReason() != null) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("fashion-spark: warning: the report has no grid of test images: "
                        + written.missingGridReason());
                err.flush();
            }
            out.printf("Wrote %s (%d charts, also as PNG in %s/)%n", written.page(), written.charts(),
                    target.chartsFolder());
        } else {
            ReportOutput target = ReportOutput.toFile(output, conf);
            RunComparison cmp = ComparisonReport.write(runs, target, conf);
            out.printf("Wrote %s comparing %d runs:%n", target.page(), runs.size());
            for (String label : cmp.labels()) {
                out.printf("  %s%n", label);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
