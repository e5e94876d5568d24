package io.fashionspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.metrics.ClassificationMetrics.PerClass;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Precision, recall, F1 and their averages against values computed by hand. */
class ClassificationMetricsTest {
    private static final double EPS = 1e-12;

    /**
     * Rows are true classes, columns predicted. Class 2 never occurs but is predicted 3 times; class 3 occurs twice
     * and is never predicted. Column sums: 11, 8, 3, 0; row sums: 10, 10, 0, 2; 14 of 22 correct.
     */
    private static final long[][] CONFUSION = {
        {8, 1, 1, 0},
        {2, 6, 2, 0},
        {0, 0, 0, 0},
        {1, 1, 0, 0},
    };

    @Test
    void accuracyIsTheTraceOverTheTotal() {
        ClassificationMetrics m = ClassificationMetrics.of(CONFUSION);
        assertEquals(22, m.total());
        assertEquals(14, m.correct());
        assertEquals(14.0 / 22, m.accuracy(), EPS);
    }

    @Test
    void perClassScoresAsComputedByHand() {
        List<PerClass> c = ClassificationMetrics.of(CONFUSION).classes();
        // Class 0: TP 8, FP 3 (column 11 - 8), FN 2 (row 10 - 8).
        assertEquals(8.0 / 11, c.get(0).precision(), EPS);
        assertEquals(8.0 / 10, c.get(0).recall(), EPS);
        assertEquals(16.0 / 21, c.get(0).f1(), EPS);
        assertEquals(2 * (8.0 / 11) * 0.8 / (8.0 / 11 + 0.8), c.get(0).f1(), EPS, "F1 is the harmonic mean");
        assertEquals(3, c.get(0).falsePositives());
        assertEquals(2, c.get(0).falseNegatives());
        assertEquals(10, c.get(0).support());
        assertEquals(11, c.get(0).predicted());
        // Class 1: TP 6, FP 2, FN 4.
        assertEquals(0.75, c.get(1).precision(), EPS);
        assertEquals(0.6, c.get(1).recall(), EPS);
        assertEquals(2.0 / 3, c.get(1).f1(), EPS);
        // Class 2: absent from the test set but predicted: precision 0, recall undefined, F1 0.
        assertEquals(0.0, c.get(2).precision(), EPS);
        assertTrue(Double.isNaN(c.get(2).recall()));
        assertEquals(0.0, c.get(2).f1(), EPS);
        assertEquals(0, c.get(2).support());
        // Class 3: present but never predicted: precision undefined, recall 0, F1 0.
        assertTrue(Double.isNaN(c.get(3).precision()));
        assertEquals(0.0, c.get(3).recall(), EPS);
        assertEquals(0.0, c.get(3).f1(), EPS);
    }

    @Test
    void averagesCountUndefinedScoresAsZero() {
        ClassificationMetrics m = ClassificationMetrics.of(CONFUSION);
        assertEquals((8.0 / 11 + 0.75 + 0 + 0) / 4, m.macro().precision(), EPS);
        assertEquals((0.8 + 0.6 + 0 + 0) / 4, m.macro().recall(), EPS);
        assertEquals((16.0 / 21 + 2.0 / 3 + 0 + 0) / 4, m.macro().f1(), EPS);
        assertEquals((10 * 8.0 / 11 + 10 * 0.75) / 22, m.weighted().precision(), EPS);
        assertEquals((10 * 0.8 + 10 * 0.6) / 22, m.weighted().recall(), EPS, "weighted recall is the accuracy");
        assertEquals(m.accuracy(), m.weighted().recall(), EPS);
        assertEquals((10 * 16.0 / 21 + 10 * 2.0 / 3) / 22, m.weighted().f1(), EPS);
    }

    @Test
    void aClassNeitherPresentNorPredictedIsLeftOutOfTheMacroAverage() {
        ClassificationMetrics m = ClassificationMetrics.of(new long[][] {{3, 1, 0}, {1, 3, 0}, {0, 0, 0}});
        assertTrue(Double.isNaN(m.classes().get(2).f1()));
        assertEquals(0.75, m.macro().precision(), EPS);
        assertEquals(0.75, m.macro().recall(), EPS);
        assertEquals(0.75, m.macro().f1(), EPS);
    }

    @Test
    void aPerfectClassifierScoresOneEverywhere() {
        ClassificationMetrics m = ClassificationMetrics.of(new long[][] {{5, 0}, {0, 7}});
        assertEquals(1.0, m.accuracy(), EPS);
        for (PerClass c : m.classes()) {
            assertEquals(1.0, c.precision(), EPS);
            assertEquals(1.0, c.recall(), EPS);
            assertEquals(1.0, c.f1(), EPS);
        }
        assertEquals(1.0, m.macro().f1(), EPS);
    }

    @Test
    void anEmptyMatrixHasUndefinedScores() {
        ClassificationMetrics m = ClassificationMetrics.of(new long[2][2]);
        assertTrue(Double.isNaN(m.accuracy()));
        assertTrue(Double.isNaN(m.macro().f1()));
        assertTrue(Double.isNaN(m.weighted().f1()));
    }

    @Test
    void rejectsMalformedMatrices() {
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.of(new long[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.of(new long[][] {{1, -2}, {3, 4}}));
    }

    @Test
    void tablesNameTheClassesAndShowUndefinedAsADash() {
        ClassificationMetrics m = ClassificationMetrics.of(CONFUSION);
        List<String> names = List.of("Coat", "Sandal", "Bag", "Ankle boot");
        String table = m.classTable(names);
        assertTrue(table.lines().findFirst().orElseThrow().matches("class\\s+precision\\s+recall\\s+F1\\s+support"),
                table);
        assertTrue(table.lines().anyMatch(l -> l.matches("Coat\\s+72\\.73%\\s+80\\.00%\\s+76\\.19%\\s+10")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("Ankle boot\\s+-\\s+0\\.00%\\s+0\\.00%\\s+2")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("macro average")), table);
        String matrix = m.confusionTable(names);
        List<String> lines = matrix.lines().toList();
        assertEquals(5, lines.size(), matrix);
        assertTrue(lines.get(0).matches("true \\\\ predicted\\s+Coat\\s+Sandal\\s+Bag\\s+Ankle boot"), matrix);
        assertTrue(lines.get(1).matches("Coat\\s+8\\s+1\\s+1\\s+0"), matrix);
        assertThrows(IllegalArgumentException.class, () -> m.classTable(List.of("a")));
    }
}
