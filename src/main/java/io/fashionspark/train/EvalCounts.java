package io.fashionspark.train;

import java.io.Serializable;

/**
 * Test-set results summed over partitions: a confusion matrix (rows: true class, columns: predicted) and the summed
 * cross-entropy. A class, not a record: Spark's Kryo 4 cannot serialise records.
 */
public final class EvalCounts implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[][] confusion;
    private final double lossSum;
    private final long count;

    public EvalCounts(long[][] confusion, double lossSum, long count) {
        this.confusion = confusion;
        this.lossSum = lossSum;
        this.count = count;
    }

    static EvalCounts empty(int classes) {
        return new EvalCounts(new long[classes][classes], 0, 0);
    }

    EvalCounts merge(EvalCounts o) {
        long[][] m = new long[confusion.length][confusion.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                m[i][j] = confusion[i][j] + o.confusion[i][j];
            }
        }
        return new EvalCounts(m, lossSum + o.lossSum, count + o.count);
    }

    public long[][] confusion() {
        return confusion;
    }

    public long count() {
        return count;
    }

    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < confusion.length; i++) {
            correct += confusion[i][i];
        }
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    /** Mean cross-entropy. */
    public double loss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    /** Accuracy within each true class (its recall). */
    public double[] perClassAccuracy() {
        double[] acc = new double[confusion.length];
        for (int i = 0; i < confusion.length; i++) {
            long row = 0;
            for (long c : confusion[i]) {
                row += c;
            }
            acc[i] = row == 0 ? Double.NaN : (double) confusion[i][i] / row;
        }
        return acc;
    }
}
