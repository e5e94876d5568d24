package io.fashionspark.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Writes {@code metrics.jsonl}: one JSON object per event, flushed as it happens so a crash keeps what was logged. */
public final class JsonLinesSink implements MetricsListener {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final OutputStream out;

    public JsonLinesSink(OutputStream out) {
        this.out = out;
    }

    /**
     * For a resumed run: the events logged up to {@code iteration} (the checkpoint's); later ones, and a line cut
     * short by a crash, are dropped.
     */
    public static java.util.function.Predicate<String> loggedUpTo(long iteration) {
        return line -> {
            try {
                return MAPPER.readTree(line).path("iteration").asLong(Long.MAX_VALUE) <= iteration;
            } catch (IOException e) {
                return false;
            }
        };
    }

    @Override
    public void onWorkerIteration(WorkerIteration event) {
        write(EventNames.TRAIN_LOSS, event, false);
    }

    @Override
    public void onRound(AveragingRound event) {
        // Worker losses of a round arrive together just before the round; one flush covers them all.
        write(EventNames.ROUND, event, true);
    }

    @Override
    public void onEvaluation(TestEvaluation event) {
        write(EventNames.TEST, event, true);
    }

    @Override
    public void onEpochEnd(EpochEnd event) {
        write(EventNames.EPOCH, event, true);
    }

    private void write(String name, Record event, boolean flush) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("event", name);
        node.setAll((ObjectNode) MAPPER.valueToTree(event));
        try {
            out.write(MAPPER.writeValueAsBytes(node));
            out.write('\n');
            if (flush) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics.jsonl: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close metrics.jsonl: " + e.getMessage(), e);
        }
    }
}
