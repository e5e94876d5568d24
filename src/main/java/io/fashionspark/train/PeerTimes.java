package io.fashionspark.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the peer exchange's rounds spent their time, over a run: what the bench's round breakdown and
 * {@code round-cost} show beside dl4j-spark's phase timers for the driver exchange. Worker-side totals are means over
 * the workers.
 *
 * @param segments each barrier stage, round by round
 */
public record PeerTimes(List<Segment> segments) {
    static final PeerTimes NONE = new PeerTimes(List.of());

    /** Rounds trained in barrier stages. */
    public long rounds() {
        return segments.stream().mapToLong(s -> s.rounds().size()).sum();
    }

    /** The workers fitting their minibatches, seconds. */
    public double fitSeconds() {
        return segments.stream().flatMap(s -> s.rounds().stream()).mapToDouble(Round::fitMeanMs).sum() / 1000;
    }

    /** The workers in the all-reduce, waiting for the slowest peer included, seconds. */
    public double averageSeconds() {
        return segments.stream().flatMap(s -> s.rounds().stream()).mapToDouble(Round::exchangeMeanMs).sum() / 1000;
    }

    /** The stages' wall time on the driver, from submission to the model back, seconds. */
    public double stageSeconds() {
        return segments.stream().mapToDouble(Segment::stageMs).sum() / 1000;
    }

    /**
     * One barrier stage.
     *
     * @param stageMs the stage's wall time on the driver, from submission to the model back
     * @param rounds  its rounds, in order
     */
    public record Segment(double stageMs, List<Round> rounds) {
        /** The stage's time outside its rounds: launching the tasks, fetching the start, meeting, the model back. */
        public double fixedMs() {
            return stageMs - rounds.stream().mapToDouble(Round::roundMs).sum();
        }
    }

    /**
     * One round inside a stage, over its workers.
     *
     * @param roundMs        the mean worker's round, from its first minibatch to the all-reduce's end and the
     *                       losses sent: the tasks run in step, so a task's rounds add up to its time in the stage,
     *                       and this is the stage's time per round
     * @param fitMs          the slowest worker's fitting
     * @param fitMeanMs      the mean worker's fitting
     * @param exchangeMs     the all-reduce of the worker that came last to it (the others wait for it as well)
     * @param exchangeMeanMs the mean worker's all-reduce, waiting for the slowest included
     * @param sentBytes      what the mean worker's ring sent (messages and their headers)
     * @param wireBytes      what the mean worker's host interfaces sent during its all-reduce; -1 where unknown
     */
    public record Round(double roundMs, double fitMs, double fitMeanMs, double exchangeMs, double exchangeMeanMs,
                        double sentBytes, double wireBytes) {
    }

    /** One task's per-round timings and bytes, as it returned them. */
    record TaskTimes(long[] roundNanos, long[] fitNanos, long[] averageNanos, long[] sentBytes, long[] wireBytes) {
    }

    static Segment segment(long stageNanos, List<TaskTimes> tasks) {
        int n = tasks.get(0).roundNanos().length;
        List<Round> rounds = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            double roundSum = 0;
            double fit = 0;
            double fitSum = 0;
            double exchange = Double.MAX_VALUE;
            double exchangeSum = 0;
            double sent = 0;
            double wire = 0;
            for (TaskTimes t : tasks) {
                roundSum += t.roundNanos()[r] / 1e6;
                fit = Math.max(fit, t.fitNanos()[r] / 1e6);
                fitSum += t.fitNanos()[r] / 1e6;
                exchange = Math.min(exchange, t.averageNanos()[r] / 1e6);
                exchangeSum += t.averageNanos()[r] / 1e6;
                sent += t.sentBytes()[r];
                wire = wire < 0 || t.wireBytes()[r] < 0 ? -1 : wire + t.wireBytes()[r];
            }
            int k = tasks.size();
            rounds.add(new Round(roundSum / k, fit, fitSum / k, exchange, exchangeSum / k, sent / k, wire < 0 ? -1 : wire / k));
        }
        return new Segment(stageNanos / 1e6, List.copyOf(rounds));
    }

    PeerTimes plus(Segment s) {
        List<Segment> all = new ArrayList<>(segments);
        all.add(s);
        return new PeerTimes(List.copyOf(all));
    }
}
