package io.fashionspark.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes {@code metrics.csv}: every event as one row of a fixed set of columns (empty where an event has no
 * such figure), so spreadsheets and pandas read it directly.
 */
public final class CsvSink implements MetricsListener {
    static final String[] HEADER = {"event", "timestamp_ms", "epoch", "iteration", "worker", "loss", "accuracy",
        "images", "seconds", "images_per_sec"};
    private final CSVPrinter csv;

    /** {@code writeHeader} false: the stream continues a file that has its header already (a resumed run). */
    public CsvSink(OutputStream out, boolean writeHeader) {
        try {
            CSVFormat.Builder format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n');
            if (writeHeader) {
                format.setHeader(HEADER);
            }
            csv = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), format.build());
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics.csv: " + e.getMessage(), e);
        }
    }

    /** For a resumed run: the header and the rows logged up to {@code iteration} (the checkpoint's). */
    public static java.util.function.Predicate<String> loggedUpTo(long iteration) {
        return line -> {
            String[] cells = line.split(",", -1);
            if (cells.length < 4 || cells[0].equals(HEADER[0])) {
                return true;
            }
            try {
                return Long.parseLong(cells[3]) <= iteration;
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }

    @Override
    public void onWorkerIteration(WorkerIteration e) {
        row(false, EventNames.TRAIN_LOSS, e.timestampMs(), e.epoch(), e.iteration(), e.worker(), e.loss(), null,
                e.examples(), null, null);
    }

    @Override
    public void onRound(AveragingRound e) {
        row(true, EventNames.ROUND, e.timestampMs(), e.epoch(), e.iteration(), null, e.score(), null, e.images(),
                e.seconds(), e.imagesPerSecond());
    }

    @Override
    public void onEvaluation(TestEvaluation e) {
        row(true, EventNames.TEST, e.timestampMs(), e.epoch(), e.iteration(), null, e.loss(), e.accuracy(),
                e.imagesSeen(), e.seconds(), null);
    }

    @Override
    public void onEpochEnd(EpochEnd e) {
        row(true, EventNames.EPOCH, e.timestampMs(), e.epoch(), e.iteration(), null, null, null, e.images(),
                e.trainSeconds(), e.imagesPerSecond());
    }

    private void row(boolean flush, Object... values) {
        try {
            csv.printRecord(values);
            if (flush) {
                csv.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics.csv: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            csv.close(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close metrics.csv: " + e.getMessage(), e);
        }
    }
}
