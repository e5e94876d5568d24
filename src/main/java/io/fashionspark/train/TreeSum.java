package io.fashionspark.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Spark 3.5's {@code RDD.treeAggregate(depth)} grouping of partitions 0..n-1, in one place: the levels it goes
 * through ({@link #levels}, which the round-cost model also reads) and a sum grouped the same way ({@link #sum}).
 * Float addition is not associative, so the grouping decides the bits of the result.
 */
public final class TreeSum {
    private TreeSum() {
    }

    /**
     * The partition counts {@code treeAggregate(depth)} goes through for {@code n} partitions, first {@code n}, last
     * the number of results the driver folds: a level of {@code n / scale} groups (scale = max(ceil(n^(1/depth)), 2),
     * computed once) while {@code n > scale + ceil(n / scale)}, Spark's test of whether a level still saves time.
     * With depth 2: 1 to 5 partitions go straight to the driver, 8 through 2 groups, 16 through 4, 64 through 8.
     */
    public static List<Integer> levels(int n, int depth) {
        List<Integer> levels = new ArrayList<>(List.of(n));
        int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
        int p = n;
        while (p > scale + Math.ceil((double) p / scale)) {
            p /= scale;
            levels.add(p);
        }
        return levels;
    }

    /**
     * The sum of {@code values} grouped as {@code treeAggregate(depth)} groups partitions: at each level partition i
     * goes to group {@code i % groups}, each group adding its members in partition order; then the last level's
     * groups in order. Null for no values. {@code add} may reuse its first argument.
     */
    static <T> T sum(List<T> values, int depth, BinaryOperator<T> add) {
        List<Integer> counts = levels(values.size(), depth);
        List<T> level = values;
        for (int groups : counts.subList(1, counts.size())) {
            List<T> next = new ArrayList<>(Collections.nCopies(groups, null));
            for (int i = 0; i < level.size(); i++) {
                T so = next.get(i % groups);
                next.set(i % groups, so == null ? level.get(i) : add.apply(so, level.get(i)));
            }
            level = next;
        }
        T total = null;
        for (T v : level) {
            total = total == null ? v : add.apply(total, v);
        }
        return total;
    }
}
