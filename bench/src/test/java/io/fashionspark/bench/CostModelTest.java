package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.train.KnownCountTrainingMaster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cost model's arithmetic on hand-computed numbers (the tree levels, a prediction term by term) and its fit: by
 * least squares on points the model made itself, and held out one at a time.
 */
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
    void upToEightWorkersTheResultsGoStraightToTheDriverAndBeyondThroughTheTree() {
        int onDriver = KnownCountTrainingMaster.SUM_ON_DRIVER_UP_TO;
        assertEquals(List.of(8), CostModel.levels(8, onDriver));
        assertEquals(List.of(6), CostModel.levels(6, onDriver));
        assertEquals(List.of(16, 4), CostModel.levels(16, onDriver));
        assertEquals(List.of(64, 8), CostModel.levels(64, onDriver));
        // Measurements saved before the driver summed any results: the tree at every count, as they ran.
        assertEquals(List.of(8, 2), CostModel.levels(8, 0));
        // The level is a stage of its own: without it, 8 workers' results cost the model less.
        CostModel.Workload tree = new CostModel.Workload("w", 100, 5, 100, 17.7e6, 17.8e6);
        CostModel.Workload driver = new CostModel.Workload("w", 100, 5, 100, 17.7e6, 17.8e6, onDriver);
        assertTrue(MODEL.predict(driver, 8, Double.POSITIVE_INFINITY).resultsMs()
                < MODEL.predict(tree, 8, Double.POSITIVE_INFINITY).resultsMs());
        assertEquals(MODEL.predict(tree, 16, 1e9).totalMs(), MODEL.predict(driver, 16, 1e9).totalMs(), 1e-9);
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

    /**
     * The constants points are made from below: o_round 40 ms, o_task 3 ms, w 6 ms; broadcast 10 ms + 1.2 ns/B,
     * fetch 20 ms + 6.5 ns/B, serialise 1.5 ms + 0.5 ns/B, receive 30 ms + 4 ns/B.
     */
    private static final CostModel TRUE = new CostModel(4, 40, 3, 6, new CostModel.Transfer(10, 1.2),
            new CostModel.Transfer(20, 6.5), new CostModel.Transfer(1.5, 0.5), new CostModel.Transfer(30, 4));
    /** A large and a small workload, each with its own step time and its own share of the machine's 4 cores. */
    private static final CostModel.Workload LARGE = new CostModel.Workload("large", 140, 5, 100, 17.7e6, 17.8e6);
    private static final CostModel.Workload SMALL = new CostModel.Workload("small", 25, 5, 100, 2.8e6, 2.84e6);
    private static final double LARGE_CORES = 2.5;
    private static final double SMALL_CORES = 3.2;

    /**
     * The phases a round of {@code w} at {@code n} workers has where the model is exact: every measured phase is its
     * term of {@code m}. Spark's result serialisation, behind a treeAggregate level, is a map status's (0.3 ms),
     * which the fit must not read as the workers' serialising.
     */
    private static RoundPhases exact(CostModel m, CostModel.Workload w, int n) {
        CostModel.Round r = m.predict(w, n, Double.POSITIVE_INFINITY);
        double k = m.slowdown(n);
        double wait = k * m.waitMs();
        double overhead = r.overheadMs() - wait;
        double span = r.fetchMs() + r.computeMs() + wait;
        double serialize = CostModel.treeLevels(n, CostModel.AGGREGATION_DEPTH).size() == 1
                ? k * m.serialize().ms(w.resultBytes()) : 0.3;
        double wall = r.broadcastMs() + overhead + span + r.resultsMs();
        assertEquals(r.totalMs(), wall, 1e-9, "the phases add up to the model's round");
        // A quarter of the driver's overhead after the workers (dl4j-spark's other), the rest before (launch).
        return new RoundPhases(wall, r.broadcastMs(), 0.75 * overhead, span, r.resultsMs(), 0.25 * overhead,
                r.fetchMs(), r.computeMs(), r.computeMs(), 0, 0, serialize, 0, w.resultBytes(), n);
    }

    /** Both workloads at 1, 2, 4 and 8 workers, made by the true model with each workload's cores. */
    private static List<CostModel.Observation> exactPoints() {
        List<CostModel.Observation> points = new ArrayList<>();
        for (int n : new int[] {1, 2, 4, 8}) {
            points.add(new CostModel.Observation(LARGE.withStepMs(Double.NaN), n,
                    exact(TRUE.withCores(LARGE_CORES), LARGE, n)));
            points.add(new CostModel.Observation(SMALL.withStepMs(Double.NaN), n,
                    exact(TRUE.withCores(SMALL_CORES), SMALL, n)));
        }
        return points;
    }

    /** {@code w} at 1, 2, 4 and 8 workers, each point made by {@code m}. */
    private static List<CostModel.Observation> pointsOf(CostModel m, CostModel.Workload w) {
        List<CostModel.Observation> points = new ArrayList<>();
        for (int n : new int[] {1, 2, 4, 8}) {
            points.add(new CostModel.Observation(w, n, exact(m, w, n)));
        }
        return points;
    }

    private static void assertConstants(CostModel.Fit f) {
        assertEquals(LARGE_CORES, f.cores().get("large"), 1e-9);
        assertEquals(SMALL_CORES, f.cores().get("small"), 1e-9);
        assertEquals(140, f.stepMs().get("large"), 1e-9);
        assertEquals(25, f.stepMs().get("small"), 1e-9);
        CostModel c = f.shared();
        assertEquals(40, c.roundOverheadMs(), 1e-9);
        assertEquals(3, c.taskOverheadMs(), 1e-9);
        assertEquals(6, c.waitMs(), 1e-9);
        assertTransfer(TRUE.broadcast(), c.broadcast());
        assertTransfer(TRUE.fetch(), c.fetch());
        assertTransfer(TRUE.serialize(), c.serialize());
        assertTransfer(TRUE.receive(), c.receive());
        assertTrue(f.coresOpen().isEmpty(), "each workload ran alone and shared cores: " + f.coresOpen());
    }

    private static void assertTransfer(CostModel.Transfer expected, CostModel.Transfer actual) {
        assertEquals(expected.fixedMs(), actual.fixedMs(), 1e-9, "fixed: " + actual);
        assertEquals(expected.nsPerByte(), actual.nsPerByte(), 1e-9, "per byte: " + actual);
    }

    @Test
    void leastSquaresRecoversTheConstantsOfPointsTheModelMade() {
        CostModel.Fit f = CostModel.fit(4, exactPoints());
        assertConstants(f);
        for (CostModel.Observation o : exactPoints()) {
            CostModel.Workload w = o.workload().name().equals("large") ? LARGE : SMALL;
            assertEquals(o.phases().wallMs(), f.predict(w, o.workers(), Double.POSITIVE_INFINITY).totalMs(),
                    1e-9 * o.phases().wallMs());
        }
    }

    @Test
    void leaveOneOutPredictsEachHeldOutPointExactlyWhenThePointsFollowTheModel() {
        List<CostModel.Observation> points = exactPoints();
        List<CostModel.Fit> held = CostModel.leaveOneOut(4, points);
        assertEquals(points.size(), held.size());
        for (int i = 0; i < points.size(); i++) {
            CostModel.Observation o = points.get(i);
            CostModel.Fit f = held.get(i);
            // Every point but the held-out one still separates every constant.
            assertConstants(f);
            CostModel.Workload w = o.workload().name().equals("large") ? LARGE : SMALL;
            CostModel.Round r = f.predict(w, o.workers(), Double.POSITIVE_INFINITY);
            assertEquals(o.phases().wallMs(), r.totalMs(), 1e-9 * o.phases().wallMs(), o.toString());
            assertEquals(o.phases().computeMs(), r.computeMs(), 1e-9 * o.phases().wallMs(), o.toString());
        }
    }

    @Test
    void leaveOneOutPredictsNothingForAWorkloadWithNoOtherPoint() {
        List<CostModel.Observation> points = new ArrayList<>(exactPoints().subList(0, 4));
        // The second "small" point goes: the first "small" point is its workload's only one.
        points.remove(3);
        List<CostModel.Fit> held = CostModel.leaveOneOut(4, points);
        assertEquals("small", points.get(1).workload().name());
        assertNull(held.get(1), "no other point gives small's t_step");
        assertTrue(held.get(0).covers("large") && held.get(0).covers("small"));
    }

    @Test
    void coresAreTheMachinesWhereTwoWorkersRanFullyInParallel() {
        // 1 and 2 workers at the same compute, 4 and 8 at twice and four times: no contention below 2 cores.
        List<CostModel.Observation> points = pointsOf(TRUE.withCores(2), SMALL);
        CostModel.CoresFit c = CostModel.fitCores(2, points);
        assertEquals(2, c.cores(), 1e-9);
        assertEquals(25, c.stepMs(), 1e-9);
        assertFalse(c.open());
        // Measured on a machine of 2 cores, the fit does not give the workers more than 2.
        List<CostModel.Observation> parallel = pointsOf(TRUE.withCores(SMALL_CORES), SMALL);
        assertEquals(2, CostModel.fitCores(2, parallel).cores(), 1e-9);
    }

    @Test
    void withoutAPointOnACoreOfItsOwnTheCoresAreOpenAndTheMostAreTaken() {
        // At 1.6 cores every count above 1 shares them: without the 1-worker point, any cores from 1 to 2 fit the
        // rest equally (t_step / cores is all they give), so the fit takes 2 and says so.
        List<CostModel.Observation> points = pointsOf(TRUE.withCores(1.6), LARGE);
        CostModel.CoresFit all = CostModel.fitCores(2, points);
        assertEquals(1.6, all.cores(), 1e-9);
        assertEquals(140, all.stepMs(), 1e-9);
        assertFalse(all.open());
        CostModel.CoresFit without = CostModel.fitCores(2, points.subList(1, 4));
        assertTrue(without.open());
        assertEquals(2, without.cores(), 1e-9);
        assertEquals(140 * 2 / 1.6, without.stepMs(), 1e-9);
    }

    @Test
    void aStepTimeMeasuredApartGivesTheCoresWithoutAPointOnACoreOfItsOwn() {
        // As above, 1.6 cores; with t_step measured apart, the shared points' compute gives the cores.
        List<CostModel.Observation> points = pointsOf(TRUE.withCores(1.6), LARGE);
        CostModel.CoresFit without = CostModel.fitCores(2, points.subList(1, 4), 140);
        assertFalse(without.open());
        assertEquals(1.6, without.cores(), 1e-9);
        assertEquals(140, without.stepMs(), 1e-9);
        // Held out, the 1-worker point is predicted exactly: compute from the step time, the rest from the others.
        List<CostModel.Observation> both = exactPoints();
        List<CostModel.Fit> held = CostModel.leaveOneOut(4, both, Map.of("large", 140.0, "small", 25.0));
        for (int i = 0; i < both.size(); i++) {
            CostModel.Observation o = both.get(i);
            CostModel.Workload w = o.workload().name().equals("large") ? LARGE : SMALL;
            assertEquals(o.phases().wallMs(), held.get(i).predict(w, o.workers(), Double.POSITIVE_INFINITY)
                    .totalMs(), 1e-9 * o.phases().wallMs(), o.toString());
        }
        // A step time measured slower than the rounds' is kept, not fitted away: the cores make up for it.
        CostModel.Fit slow = CostModel.fit(2, points, Map.of("large", 175.0));
        assertEquals(175, slow.stepMs().get("large"), 1e-9);
        assertEquals(2, slow.cores().get("large"), 1e-9, "the most cores where the step is slower than every point");
    }

    @Test
    void nonNegativeLeastSquaresHoldsAConstantAtZeroWhereThePlainFitGoesBelow() {
        // y = a + b x through (1, 1) and (10, 20): the plain line has a = -10/9, below zero; held at 0, b is the
        // line through the origin, sum(x y) / sum(x^2) = 201 / 101.
        double[][] a = {{1, 1}, {1, 10}};
        double[] y = {1, 20};
        assertTrue(CostModel.leastSquares(a, y)[0] < 0, "the plain fit goes below zero");
        double[] x = CostModel.nonNegativeLeastSquares(a, y);
        assertEquals(0, x[0], 1e-12);
        assertEquals(201.0 / 101, x[1], 1e-12);
        // Where the plain fit is non-negative it is the answer.
        double[] plain = CostModel.nonNegativeLeastSquares(new double[][] {{1, 1}, {1, 10}, {1, 4}},
                new double[] {3, 21, 9});
        assertEquals(1, plain[0], 1e-9);
        assertEquals(2, plain[1], 1e-9);
        // One size only (the columns depend on each other): all of it per byte.
        double[] one = CostModel.nonNegativeLeastSquares(new double[][] {{1, 5}, {1, 5}}, new double[] {10, 10});
        assertEquals(0, one[0], 1e-12);
        assertEquals(2, one[1], 1e-12);
    }

    @Test
    void theFitNeverYieldsNegativeConstantsOnNoisyPoints() {
        Random random = new Random(7);
        boolean plainWentNegative = false;
        for (int trial = 0; trial < 200; trial++) {
            List<CostModel.Observation> noisy = new ArrayList<>();
            for (CostModel.Observation o : exactPoints()) {
                RoundPhases p = o.phases();
                // Each phase off by up to a factor of 2 either way, on its own: points no constants fit exactly.
                noisy.add(new CostModel.Observation(o.workload(), o.workers(), new RoundPhases(p.wallMs(),
                        p.broadcastMs() * noise(random), p.launchMs() * noise(random), p.workerSpanMs(),
                        p.resultsMs() * noise(random), p.otherMs(), p.fetchMs() * noise(random),
                        p.computeMs() * noise(random), p.computeMeanMs(), 0, 0, p.resultSerializeMs() * noise(random),
                        0, p.resultBytes(), p.driverResults())));
            }
            CostModel.Fit f = CostModel.fit(4, noisy);
            CostModel c = f.shared();
            for (double v : new double[] {c.roundOverheadMs(), c.taskOverheadMs(), c.waitMs(),
                c.broadcast().fixedMs(), c.broadcast().nsPerByte(), c.fetch().fixedMs(), c.fetch().nsPerByte(),
                c.serialize().fixedMs(), c.serialize().nsPerByte(), c.receive().fixedMs(), c.receive().nsPerByte(),
                f.stepMs().get("large"), f.stepMs().get("small")}) {
                assertTrue(v >= 0, "trial " + trial + ": " + f);
            }
            f.cores().values().forEach(k -> assertTrue(k >= 1 && k <= 4, "cores within 1 and the machine's: " + k));
            // The same overhead and broadcast rows fitted without the constraint.
            double[][] overheadRows = new double[noisy.size()][];
            double[] overhead = new double[noisy.size()];
            double[][] broadcastRows = new double[noisy.size()][];
            double[] broadcast = new double[noisy.size()];
            for (int i = 0; i < noisy.size(); i++) {
                CostModel.Observation o = noisy.get(i);
                double weight = 1 / o.phases().wallMs();
                overheadRows[i] = new double[] {weight, o.workers() * weight};
                overhead[i] = CostModel.overhead(o.phases()) * weight;
                broadcastRows[i] = new double[] {weight, o.workload().broadcastBytes() / 1e6 * weight};
                broadcast[i] = o.phases().broadcastMs() * weight;
            }
            plainWentNegative |= Arrays.stream(CostModel.leastSquares(overheadRows, overhead)).anyMatch(v -> v < 0)
                    || Arrays.stream(CostModel.leastSquares(broadcastRows, broadcast)).anyMatch(v -> v < 0);
        }
        assertTrue(plainWentNegative, "the noise is large enough for a plain fit to go below zero somewhere");
    }

    private static double noise(Random random) {
        return Math.pow(2, 2 * random.nextDouble() - 1);
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
