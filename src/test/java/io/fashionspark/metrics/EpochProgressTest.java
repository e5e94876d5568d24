package io.fashionspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-epoch progress: a bar that gives way to the console's lines, or plain lines for logs. */
class EpochProgressTest {
    /** 2 epochs of 20 steps, 200 images a step, rounds of 2 steps at 1,000 images/s. */
    private static String run(EpochProgress.Mode mode) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (MetricsCollector c = new MetricsCollector(List.of(new EpochProgress(out, mode, 20, 2, 200),
                new ConsoleSink(out)))) {
            long round = 0;
            for (int epoch = 1; epoch <= 2; epoch++) {
                for (int step = 2; step <= 20; step += 2) {
                    long it = (epoch - 1) * 20L + step;
                    c.onRound(new AveragingRound(0, epoch, ++round, it, 0.5, 400, 0.4, 1000));
                    if (step == 10) {
                        c.onEvaluation(new TestEvaluation(0, epoch, it, it * 200, 0.8, 0.5, false, 0.1));
                    }
                }
                c.onEpochEnd(new EpochEnd(0, epoch, epoch * 20L, 4000, 4, 1000));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void logLinesComeEveryTenthOfAnEpochWithRateAndTimeLeft() {
        List<String> lines = run(EpochProgress.Mode.LINES).lines().filter(l -> l.startsWith("epoch ")).toList();
        assertEquals(18, lines.size(), String.join("\n", lines));
        assertEquals("epoch 1/2: 10% (2/20 iterations), 1,000 images/s, 0:04 left in the epoch, 0:08 in the run",
                lines.get(0));
        assertEquals("epoch 2/2: 90% (18/20 iterations), 1,000 images/s, 0:00 left in the epoch, 0:00 in the run",
                lines.get(17));
        assertFalse(run(EpochProgress.Mode.LINES).contains("\r"));
    }

    @Test
    void theBarIsRedrawnInPlaceAndClearedBeforeConsoleLines() {
        String out = run(EpochProgress.Mode.BAR);
        assertTrue(out.contains("\r[===============               ] epoch 1/2  50%  1,000 images/s  0:02 left (run 0:06)"),
                out);
        // Every console line starts on a cleared line, never after a bar.
        for (String line : out.split("\n")) {
            int lastBar = line.lastIndexOf("\r");
            String visible = lastBar < 0 ? line : line.substring(lastBar + 1);
            if (visible.contains("Iteration:") || visible.contains("Epoch ")) {
                assertTrue(visible.startsWith("\033[K") || !visible.contains("["), visible);
            }
        }
        assertTrue(out.contains("\r\033[KIteration: 10"), out);
        assertTrue(out.endsWith("\n"), "the bar is cleared at the end");
    }

    @Test
    void noneShowsNothing() {
        assertFalse(run(EpochProgress.Mode.NONE).contains("epoch 1/2"));
    }

    @Test
    void clockFormats() {
        assertEquals("0:05", EpochProgress.clock(5));
        assertEquals("2:05", EpochProgress.clock(125));
        assertEquals("1:00:00", EpochProgress.clock(3600));
        assertEquals("?", EpochProgress.clock(Double.NaN));
    }
}
