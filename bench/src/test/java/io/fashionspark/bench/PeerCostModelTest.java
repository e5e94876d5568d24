package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerCostModelTest {
    private static final PeerCostModel TRUE = new PeerCostModel(2, Map.of("A", 10.0, "B", 60.0),
            Map.of("A", 3.0, "B", 25.0), 0.2, 0.5, 1.5, 150, 40, 20);

    private static List<PeerCostModel.Observation> points() {
        List<PeerCostModel.Observation> out = new ArrayList<>();
        for (String model : List.of("A", "B")) {
            double bytes = model.equals("A") ? 2.8e6 : 17.7e6;
            for (int steps : List.of(1, 5)) {
                for (int n : List.of(1, 2, 4, 8)) {
                    PeerCostModel.Round r = TRUE.predict(model, steps, bytes, n, Double.POSITIVE_INFINITY, 0);
                    // A worker's fitting, as its task times it, includes what the all-reduce before it left over.
                    out.add(new PeerCostModel.Observation(model, steps, bytes, n, r.totalMs(),
                            r.computeMs() + r.afterExchangeMs(), r.exchangeMs(), TRUE.stageFixedMs(n)));
                }
            }
        }
        return out;
    }

    @Test
    void fittingRoundsMadeByTheModelGivesItsConstantsBack() {
        PeerCostModel fit = PeerCostModel.fit(2, points());
        assertEquals(10.0, fit.stepMs().get("A"), 1e-9);
        assertEquals(60.0, fit.stepMs().get("B"), 1e-9);
        assertEquals(3.0, fit.afterExchangeMs().get("A"), 1e-9);
        assertEquals(25.0, fit.afterExchangeMs().get("B"), 1e-9);
        assertEquals(0.2, fit.alphaMs(), 1e-9);
        assertEquals(0.5, fit.betaNsPerByte(), 1e-9);
        assertEquals(1.5, fit.otherMs(), 1e-9);
        assertEquals(150, fit.stageMs(), 1e-6);
        assertEquals(40, fit.stageTaskMs(), 1e-6);
        assertEquals(20, fit.stagePerWorkerMs(), 1e-6);
    }

    @Test
    void eachPointIsPredictedFromTheOthers() {
        List<PeerCostModel.Observation> points = points();
        List<PeerCostModel> held = PeerCostModel.leaveOneOut(2, points);
        for (int i = 0; i < points.size(); i++) {
            assertEquals(points.get(i).roundMs(), held.get(i).predict(points.get(i)).totalMs(), 1e-6);
        }
    }

    @Test
    void onlyAWorkerWithPeersPaysForWhatTheAllReduceLeftOver() {
        assertEquals(0, TRUE.predict("B", 5, 17.7e6, 1, Double.POSITIVE_INFINITY, 0).afterExchangeMs());
        assertEquals(25.0, TRUE.predict("B", 5, 17.7e6, 2, Double.POSITIVE_INFINITY, 0).afterExchangeMs(), 1e-9);
        // Eight workers on two cores: each pays it at a quarter of a core.
        assertEquals(100.0, TRUE.predict("B", 5, 17.7e6, 8, Double.POSITIVE_INFINITY, 0).afterExchangeMs(), 1e-9);
    }

    @Test
    void aRingMemberSendsTheSameBytesWhateverTheRingsSize() {
        // The wire term on a link: 2 (N-1)/N x S / B, which tends to 2 S / B instead of growing with N.
        double s = 17.7e6;
        double b = CostModel.gbps(10);
        double at8 = TRUE.onOwnCores().predict("B", 1, s, 8, b, 0).wireMs();
        double at64 = TRUE.onOwnCores().predict("B", 1, s, 64, b, 0).wireMs();
        assertEquals(2 * s / b * 1000 * 7 / 8, at8, 1e-9);
        assertEquals(2 * s / b * 1000 * 63 / 64, at64, 1e-9);
    }
}
