package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report templates' branches that the committed reports do not show (every committed report is checked against
 * its numbers in {@code RoundCostCommandTest}), and a name the code forgot to fill in.
 */
class ReportTemplatesTest {
    @Test
    void tooFewPointsForAModelSayOnlyThat() {
        assertEquals("No cost model of the peer exchange: it needs at least 3 points.\n\n",
                ReportTemplates.render("peer-model.md", Map.of("fitted", false)));
    }

    @Test
    void noFashionCnnMeansNoProjections() {
        assertEquals("## Projections, both exchanges\n\nNone: FashionCNN's peer exchange was not measured.\n\n",
                ReportTemplates.render("peer-projections.md", Map.of("measured", false)));
    }

    @Test
    void aLinkCheckWithoutAModelSaysSoAndStillShowsItsTable() {
        String md = ReportTemplates.render("peer-link.md", Map.of("fitted", false, "table", "| t |\n"));
        assertTrue(md.startsWith("## The peer exchange over the link\n\nNo prediction: the loopback measurement has "
                + "too few peer points for a cost model.\n\nPredicted with"), md);
        assertTrue(md.endsWith("\n\n| t |\n\n"), md);
    }

    @Test
    void aValueTheCodeDidNotGiveIsAnError() {
        assertThrows(RuntimeException.class, () -> ReportTemplates.render("peer-side-by-side.md", Map.of()));
    }
}
