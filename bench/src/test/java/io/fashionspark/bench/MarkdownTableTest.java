package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The Markdown the table writer produces, line by line. */
class MarkdownTableTest {
    @Test
    void headerRuleAndRowsFollowTheColumnsAlignments() {
        String md = new MarkdownTable().left("Name").right("Count").column("Note", MarkdownTable.Align.CENTER, null)
                .row("a", 1, "x").row("b", 22, "y").render();
        assertEquals("""
                | Name | Count | Note |
                |---|---:|:---:|
                | a | 1 | x |
                | b | 22 | y |
                """, md);
    }

    @Test
    void numbersGoThroughTheirColumnsFormatAndNullIsADash() {
        String md = new MarkdownTable().left("Scenario").right("Images", n -> Formats.count(n.longValue()))
                .right("Accuracy", n -> Formats.percent(n.doubleValue())).right("Threads")
                .row("single JVM", 60_000L, 0.8512, 2).row("PyTorch", 1_234_567, Double.NaN, null).render();
        assertEquals("""
                | Scenario | Images | Accuracy | Threads |
                |---|---:|---:|---:|
                | single JVM | 60,000 | 85.12% | 2 |
                | PyTorch | 1,234,567 | — | — |
                """, md);
    }

    @Test
    void pipesAreEscapedAndLineBreaksFlattenedInCellsAndHeaders() {
        String md = new MarkdownTable().left("a|b").left("Text").row("x | y", "one\ntwo\r\nthree").render();
        assertEquals("""
                | a\\|b | Text |
                |---|---|
                | x \\| y | one two three |
                """, md);
    }

    @Test
    void aRowThenBlankLeavesTheOtherCellsEmpty() {
        String md = new MarkdownTable().left("Model").left("Engine").right("Images").right("Images/s")
                .rowThenBlank("FashionCNN", "skipped").render();
        assertEquals("| FashionCNN | skipped | | |\n", md.lines().skip(2).findFirst().orElseThrow() + "\n");
    }

    @Test
    void aRowMustHaveACellPerColumn() {
        MarkdownTable table = new MarkdownTable().left("A").left("B");
        assertThrows(IllegalArgumentException.class, () -> table.row("only one"));
        assertThrows(IllegalArgumentException.class, () -> table.row("1", "2", "3"));
        table.row("1", "2");
        assertThrows(IllegalStateException.class, () -> table.left("C"), "no columns once rows are in");
    }
}
