package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cost model's arithmetic on hand-computed numbers: the tree levels, a prediction term by term, the fit. */
class CostModelTest {
    /**
     * 2 cores; o_round 10 ms, o_task 5 ms, no wait; no fixed costs and 1, 2, 3 and 4 ns per byte to broadcast, fetch,
     * serialise, receive.
     */
    private static final CostModel MODEL = new CostModel(2, 10, 5, 0, new CostModel.Transfer(0, 1),
            new CostModel.Transfer(0, 2), new CostModel.Transfer(0, 3), new CostModel.Transfer(0, 4));
    /** 100 ms a minibatch, 5 a round, batch 100; 1 MB down and 1 MB up. */
    private static final CostModel.Workload WORK = new CostModel.Workload("w", 100, 5, 100, 1e6, 1e6);

    @Test
    void treeAggregateLevelsFollowSparksRuleForDepthTwo() {
        for (int n : new int[] {1, 2, 3, 4, 5}) {
            assertEquals(List.of(n), CostModel.treeLevels(n, 2), n + " workers straight to the driver");
        }
        assertEquals(List.of(6, 2), CostModel.treeLevels(6, 2));
        assertEquals(List.of(8, 2), CostModel.treeLevels(8, 2));
        assertEquals(List.of(16, 4), CostModel.treeLevels(16, 2));
        assertEquals(List.of(64, 8), CostModel.treeLevels(64, 2));
        // Depth 1 is a plain aggregate: every result to the driver.
        assertEquals(List.of(64), CostModel.treeLevels(64, 1));
    }

    @Test
    void oneWorkerIsTheSumOfItsTerms() {
        CostModel.Round r = MODEL.predict(WORK, 1, Double.POSITIVE_INFINITY);
        assertEquals(500, r.computeMs(), 1e-9);
        assertEquals(1, r.broadcastMs(), 1e-9);
        assertEquals(2, r.fetchMs(), 1e-9);
        assertEquals(15, r.overheadMs(), 1e-9);
        assertEquals(3 + 4, r.resultsMs(), 1e-9);
        assertEquals(0, r.wireMs(), 1e-9);
        assertEquals(525, r.totalMs(), 1e-9);
        assertEquals(25, r.communicationMs(), 1e-9);
    }

    @Test
    void oversubscribedWorkersSlowTheirOwnPhasesOnly() {
        // 4 workers on 2 cores: compute, fetch and serialisation take twice as long; the driver's parts do not.
        CostModel.Round r = MODEL.predict(WORK, 4, Double.POSITIVE_INFINITY);
        assertEquals(1000, r.computeMs(), 1e-9);
        assertEquals(1, r.broadcastMs(), 1e-9);
        assertEquals(4, r.fetchMs(), 1e-9);
        assertEquals(30, r.overheadMs(), 1e-9);
        // The driver's 4 result-getter threads take the 4 results at once: one receipt on the critical path.
        assertEquals(2 * 3 + 4, r.resultsMs(), 1e-9);
        assertEquals(1000 + 1 + 4 + 30 + 10, r.totalMs(), 1e-9);
        // 5 workers: two rounds of receipts.
        assertEquals(2.5 * 3 + 2 * 4, MODEL.predict(WORK, 5, Double.POSITIVE_INFINITY).resultsMs(), 1e-9);
    }

    @Test
    void eightWorkersGoThroughALevelOfTwoExecutors() {
        CostModel.Round r = MODEL.predict(WORK, 8, CostModel.gbps(8));
        assertEquals(2000, r.computeMs(), 1e-9);
        // Serialise at k = 4 (12); 2 executors each receive 4 results and serialise their sum (4 x 4 + 3 = 19);
        // the driver receives 2, at once (4).
        assertEquals(12 + 19 + 4, r.resultsMs(), 1e-9);
        // 8 Gb/s = 1e9 bytes/s: broadcast 1 MB + 7 first pieces (the whole 1 MB each), 4 results into each
        // executor of the level, 2 into the driver = 14 MB = 14 ms.
        assertEquals(14, r.wireMs(), 1e-9);
        assertEquals(2000 + 1 + 8 + 50 + 35 + 14, r.totalMs(), 1e-9);
    }

    @Test
    void aBroadcastLargerThanAPieceSendsOnlyTheFirstPieceToEachWorker() {
        double piece = CostModel.BROADCAST_PIECE_BYTES;
        CostModel.Workload big = new CostModel.Workload("big", 100, 5, 100, 3 * piece, 0);
        CostModel.Round r = MODEL.onOwnCores().predict(big, 4, 1e9);
        assertEquals((3 * piece + 3 * piece) / 1e9 * 1000, r.wireMs(), 1e-9);
    }

    @Test
    void fixedCostsAndTheWaitAddToEveryTransferAndRound() {
        CostModel m = new CostModel(2, 10, 5, 7, new CostModel.Transfer(5, 1), new CostModel.Transfer(1, 2),
                new CostModel.Transfer(0, 3), new CostModel.Transfer(2, 4));
        CostModel.Round r = m.predict(WORK, 4, Double.POSITIVE_INFINITY);
        assertEquals(5 + 1, r.broadcastMs(), 1e-9);
        assertEquals(2 * (1 + 2), r.fetchMs(), 1e-9);
        // o_round + 4 o_task + k(4) x wait.
        assertEquals(10 + 20 + 2 * 7, r.overheadMs(), 1e-9);
        // k(4) x serialise + one receipt of 2 + 4 (the 4 results fetched side by side).
        assertEquals(2 * 3 + 6, r.resultsMs(), 1e-9);
    }

    @Test
    void aTransferIsSplitIntoFixedAndPerByteFromTwoSizes() {
        CostModel.Transfer t = CostModel.Transfer.fit(1e7, 20, 1e6, 6.5);
        assertEquals(5, t.fixedMs(), 1e-9);
        assertEquals(1.5, t.nsPerByte(), 1e-9);
        // A smaller size that took longer per byte than a line through zero allows: all of it per byte.
        CostModel.Transfer steep = CostModel.Transfer.fit(1e7, 10, 1e6, 0.5);
        assertEquals(0, steep.fixedMs(), 1e-9);
        assertEquals(1, steep.nsPerByte(), 1e-9);
        // One size only.
        assertEquals(new CostModel.Transfer(0, 2), CostModel.Transfer.fit(1e7, 20, 0, 0));
    }

    @Test
    void fitReproducesItsOneWorkerPointsAndReadsTheOthersConstants() {
        // Large (10 MB each way), one worker: broadcast 20 (5 ms + 1.5 ns/B), launch 30, fetch 10 (1 + 0.9),
        // compute 500, wait 5 (span 515), results 40 of which serialisation 8 (0 + 0.8) and receipt 32 (2 + 3),
        // other 4: wall 609.
        RoundPhases one = new RoundPhases(609, 20, 30, 515, 40, 4, 10, 500, 500, 0, 0, 8, 0, 1e7, 1);
        // Small (1 MB each way), one worker: the same costs at a tenth of the bytes, compute 100.
        RoundPhases smallOne = new RoundPhases(153.2, 6.5, 30, 106.9, 5.8, 4, 1.9, 100, 100, 0, 0, 0.8, 0, 1e6, 1);
        // Large, two workers: launch 40 + other 4, 10 more than one worker's; the slowest fits 1.3x slower.
        RoundPhases two = new RoundPhases(900, 20, 40, 695, 60, 4, 30, 650, 600, 0, 0, 8, 0, 1e7, 2);
        CostModel.Workload large = new CostModel.Workload("large", CostModel.stepMs(one, 5), 5, 100, 1e7, 1e7);
        CostModel.Workload small = new CostModel.Workload("small", CostModel.stepMs(smallOne, 5), 5, 100, 1e6, 1e6);
        CostModel m = CostModel.fit(2, large, one, small, smallOne, 2, two);

        assertEquals(100, large.stepMs(), 1e-9);
        assertEquals(10, m.taskOverheadMs(), 1e-9);
        assertEquals(24, m.roundOverheadMs(), 1e-9);
        assertEquals(5, m.waitMs(), 1e-9);
        assertEquals(5, m.broadcast().fixedMs(), 1e-9);
        assertEquals(1.5, m.broadcast().nsPerByte(), 1e-9);
        assertEquals(1, m.fetch().fixedMs(), 1e-9);
        assertEquals(0.9, m.fetch().nsPerByte(), 1e-9);
        assertEquals(0, m.serialize().fixedMs(), 1e-9);
        assertEquals(0.8, m.serialize().nsPerByte(), 1e-9);
        assertEquals(2, m.receive().fixedMs(), 1e-9);
        assertEquals(3, m.receive().nsPerByte(), 1e-9);
        assertEquals(2 / 1.3, m.cores(), 1e-9, "two workers that fit 1.3x slower had 2 / 1.3 cores");
        assertEquals(609, m.predict(large, 1, Double.POSITIVE_INFINITY).totalMs(), 1e-9);
        assertEquals(153.2, m.predict(small, 1, Double.POSITIVE_INFINITY).totalMs(), 1e-9);
        assertEquals(650, m.predict(large, 2, Double.POSITIVE_INFINITY).computeMs(), 1e-9);

        // Without a second size every transfer is per byte.
        CostModel perByte = CostModel.fit(2, large, one, null, null, 2, two);
        assertEquals(0, perByte.broadcast().fixedMs(), 1e-9);
        assertEquals(2, perByte.broadcast().nsPerByte(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> CostModel.fit(2, large, one, null, null, 1, one));
    }

    @Test
    void scalingStopsWhereCommunicationReachesCompute() {
        CostModel cluster = MODEL.onOwnCores();
        double link = CostModel.gbps(10);
        int n = cluster.workersWhereCommunicationEqualsCompute(WORK, link, 100_000);
        assertTrue(n > 1, "one worker communicates less than it computes");
        CostModel.Round at = cluster.predict(WORK, n, link);
        CostModel.Round before = cluster.predict(WORK, n - 1, link);
        assertTrue(at.communicationMs() >= at.computeMs());
        assertTrue(before.communicationMs() < before.computeMs());
        // At that worker count the balanced averaging period is about the one used.
        assertEquals(WORK.steps(), cluster.balancedSteps(WORK, n, link), 0.5);
        // Images/s: n workers x 5 x 100 images over the round.
        assertEquals(n * 500 / (at.totalMs() / 1000), CostModel.imagesPerSecond(WORK, n, at), 1e-9);
    }
}
