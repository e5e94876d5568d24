package io.fashionspark.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Sums values in the grouping Spark 3.5's {@code RDD.treeAggregate(depth)} gives partitions 0..n-1, in one place:
 * a level of {@code n / scale} groups (scale = max(ceil(n^(1/depth)), 2), computed once) while
 * {@code n > scale + ceil(n / scale)}, partition i going to group {@code i % groups}, each group adding its members
 * in partition order; then the groups in order. Float addition is not associative, so the grouping decides the bits
 * of the result.
 */
final class TreeSum {
    private TreeSum() {
    }

    /** The sum of {@code values} grouped as above; null for none. {@code add} may reuse its first argument. */
    static <T> T sum(List<T> values, int depth, BinaryOperator<T> add) {
        List<T> level = values;
        int n = level.size();
        int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
        while (n > scale + Math.ceil((double) n / scale)) {
            n /= scale;
            List<T> groups = new ArrayList<>(n);
            for (int g = 0; g < n; g++) {
                groups.add(null);
            }
            for (int i = 0; i < level.size(); i++) {
                T so = groups.get(i % n);
                groups.set(i % n, so == null ? level.get(i) : add.apply(so, level.get(i)));
            }
            level = groups;
        }
        T total = null;
        for (T v : level) {
            total = total == null ? v : add.apply(total, v);
        }
        return total;
    }
}
