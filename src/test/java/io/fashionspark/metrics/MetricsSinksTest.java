package io.fashionspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsSinksTest {
    private static final WorkerIteration ITER = new WorkerIteration(1000, 1, 7, 1, 0.5, 100);
    private static final AveragingRound ROUND = new AveragingRound(1001, 1, 2, 10, 0.45, 1000, 0.5, 2000);
    private static final TestEvaluation TEST = new TestEvaluation(1002, 1, 10, 1000, 0.8362, 0.61, false, 1.5);
    private static final EpochEnd EPOCH = new EpochEnd(1003, 1, 10, 1000, 0.5, 2000);

    private static void emitAll(MetricsListener l) {
        l.onWorkerIteration(ITER);
        l.onRound(ROUND);
        l.onEvaluation(TEST);
        l.onEpochEnd(EPOCH);
    }

    @Test
    void jsonLinesHoldOneObjectPerEventAndAreFlushedAsTheyHappen() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonLinesSink sink = new JsonLinesSink(bytes);
        emitAll(sink);
        // Not closed yet: what was logged is already in the stream.
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size());
        ObjectMapper m = new ObjectMapper();
        JsonNode first = m.readTree(lines.get(0));
        assertEquals(EventNames.TRAIN_LOSS, first.get("event").asText());
        assertEquals(7, first.get("iteration").asLong());
        assertEquals(1, first.get("worker").asInt());
        assertEquals(0.5, first.get("loss").asDouble());
        JsonNode test = m.readTree(lines.get(2));
        assertEquals(EventNames.TEST, test.get("event").asText());
        assertEquals(0.8362, test.get("accuracy").asDouble());
        assertEquals(EventNames.EPOCH, m.readTree(lines.get(3)).get("event").asText());
        sink.close();
    }

    @Test
    void csvHasAFixedHeaderAndOneRowPerEvent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CsvSink sink = new CsvSink(bytes, true);
        emitAll(sink);
        sink.close();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("event,timestamp_ms,epoch,iteration,worker,loss,accuracy,images,seconds,images_per_sec",
                lines.get(0));
        assertEquals("train_loss,1000,1,7,1,0.5,,100,,", lines.get(1));
        assertEquals("round,1001,1,10,,0.45,,1000,0.5,2000.0", lines.get(2));
        assertEquals("test,1002,1,10,,0.61,0.8362,1000,1.5,", lines.get(3));
        assertEquals(5, lines.size());
    }

    @Test
    void consolePrintsTheReferenceLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleSink sink = new ConsoleSink(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        emitAll(sink);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("Iteration: 10, Loss: 0.4500, Accuracy: 83.62%"), out);
        assertTrue(out.contains("2000 images/s"), out);
    }

    @Test
    void collectorFansOutToEverySink() {
        int[] seen = new int[2];
        MetricsListener a = new MetricsListener() {
            @Override
            public void onEvaluation(TestEvaluation e) {
                seen[0]++;
            }
        };
        MetricsListener b = new MetricsListener() {
            @Override
            public void onEvaluation(TestEvaluation e) {
                seen[1]++;
            }
        };
        try (MetricsCollector c = new MetricsCollector(List.of(a, b))) {
            emitAll(c);
        }
        assertEquals(1, seen[0]);
        assertEquals(1, seen[1]);
    }
}
