package io.fashionspark.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.fs.HadoopPaths;
import io.fashionspark.metrics.AveragingRound;
import io.fashionspark.metrics.EpochEnd;
import io.fashionspark.metrics.EventNames;
import io.fashionspark.metrics.TestEvaluation;
import io.fashionspark.metrics.WorkerIteration;
import io.fashionspark.rundir.OutputException;
import io.fashionspark.rundir.RunDirectory;
import io.fashionspark.rundir.RunSummary;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/**
 * Reads a run directory (local path or any Hadoop URI) back: {@code summary.json} and the events of
 * {@code metrics.jsonl}. A directory that is not a finished run is refused in one sentence naming it.
 */
public final class RunReader {
    /** Tolerant of fields added later: an older reader still reads a newer run. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RunReader() {
    }

    public static RunResults read(String pathOrUri, Configuration conf) {
        HadoopPaths.Location dir;
        try {
            dir = HadoopPaths.resolve(pathOrUri, conf);
        } catch (UncheckedIOException e) {
            throw new OutputException(e.getMessage(), e);
        }
        checkDirectory(dir);
        HadoopPaths.Location metricsFile = dir.child(RunDirectory.METRICS_JSONL);
        HadoopPaths.Location summaryFile = dir.child(RunDirectory.SUMMARY);
        require(dir, metricsFile, "metrics.jsonl is missing (train writes it as it trains)");
        require(dir, summaryFile, "summary.json is missing (train writes it when training has finished)");
        RunSummary summary = readSummary(summaryFile);
        List<WorkerIteration> losses = new ArrayList<>();
        List<AveragingRound> rounds = new ArrayList<>();
        List<TestEvaluation> tests = new ArrayList<>();
        List<EpochEnd> epochs = new ArrayList<>();
        List<String> lines = readLines(metricsFile);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    // A run killed mid-write leaves its last line cut short; the lines before it are whole.
                    break;
                }
                throw new OutputException(metricsFile + ": line " + (i + 1) + " is not JSON: "
                        + e.getOriginalMessage());
            }
            String event = node.path("event").asText("");
            try {
                switch (event) {
                    case EventNames.TRAIN_LOSS -> losses.add(MAPPER.treeToValue(node, WorkerIteration.class));
                    case EventNames.ROUND -> rounds.add(MAPPER.treeToValue(node, AveragingRound.class));
                    case EventNames.TEST -> tests.add(MAPPER.treeToValue(node, TestEvaluation.class));
                    case EventNames.EPOCH -> epochs.add(MAPPER.treeToValue(node, EpochEnd.class));
                    default -> {
                        // An event this version does not draw: skipped, so newer runs still report.
                    }
                }
            } catch (JsonProcessingException e) {
                throw new OutputException(metricsFile + ": line " + (i + 1) + " is not a valid '" + event
                        + "' event: " + e.getOriginalMessage());
            }
        }
        return new RunResults(dir.path().getName(), dir.toString(), summary, losses, rounds, tests, epochs);
    }

    private static void checkDirectory(HadoopPaths.Location dir) {
        try {
            FileStatus status = dir.fs().getFileStatus(dir.path());
            if (!status.isDirectory()) {
                throw new OutputException(dir + ": is a file, not a run directory (give the directory train wrote)");
            }
        } catch (FileNotFoundException e) {
            throw new OutputException(dir + ": run directory does not exist");
        } catch (IOException e) {
            throw new OutputException(dir + ": cannot read the run directory: " + e.getMessage(), e);
        }
    }

    private static void require(HadoopPaths.Location dir, HadoopPaths.Location file, String why) {
        try {
            if (!file.fs().exists(file.path())) {
                throw new OutputException(dir + ": not a finished run directory: " + why);
            }
        } catch (IOException e) {
            throw new OutputException(file + ": cannot check: " + e.getMessage(), e);
        }
    }

    private static RunSummary readSummary(HadoopPaths.Location file) {
        try (InputStream in = file.fs().open(file.path())) {
            return MAPPER.readValue(in, RunSummary.class);
        } catch (JsonProcessingException e) {
            throw new OutputException(file + ": is not a valid summary.json: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new OutputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static List<String> readLines(HadoopPaths.Location file) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(file.fs().open(file.path()), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new OutputException(file + ": cannot read: " + e.getMessage(), e);
        }
        return lines;
    }
}
