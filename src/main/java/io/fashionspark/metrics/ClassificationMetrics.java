package io.fashionspark.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy and per-class precision, recall and F1 from a confusion matrix (rows: true class, columns: predicted
 * class), with their macro and support-weighted averages. Pure arithmetic, no Spark or ND4J.
 *
 * <p>A metric whose denominator is zero is undefined ({@link Double#NaN}): precision of a class never predicted,
 * recall of a class absent from the test set. F1 is computed as {@code 2TP / (2TP + FP + FN)}, which equals the
 * harmonic mean of precision and recall where both are defined and is 0 when a class is missed entirely; it is
 * undefined only for a class neither present nor predicted. The averages run over the classes present in the test
 * set or predicted (as scikit-learn's); an undefined metric counts as 0 in them.
 */
public record ClassificationMetrics(long[][] confusion, long total, long correct, List<PerClass> classes,
                                    Average macro, Average weighted) {

    /** One class's counts and scores. {@code support}: test images of the class; {@code predicted}: images predicted as it. */
    public record PerClass(int label, long truePositives, long falsePositives, long falseNegatives, long support,
                           long predicted, double precision, double recall, double f1) {
    }

    /** Averages of the per-class scores. */
    public record Average(double precision, double recall, double f1) {
    }

    public static ClassificationMetrics of(long[][] confusion) {
        int n = confusion.length;
        for (long[] row : confusion) {
            if (row.length != n) {
                throw new IllegalArgumentException("confusion matrix is not square: " + n + " rows, a row of "
                        + row.length);
            }
        }
        long total = 0;
        long correct = 0;
        long[] rowSums = new long[n];
        long[] colSums = new long[n];
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                long c = confusion[t][p];
                if (c < 0) {
                    throw new IllegalArgumentException("negative count " + c + " at [" + t + "][" + p + "]");
                }
                rowSums[t] += c;
                colSums[p] += c;
                total += c;
            }
            correct += confusion[t][t];
        }
        List<PerClass> classes = new ArrayList<>(n);
        double[] macroSum = new double[3];
        double[] weightedSum = new double[3];
        int averaged = 0;
        for (int k = 0; k < n; k++) {
            long tp = confusion[k][k];
            long fp = colSums[k] - tp;
            long fn = rowSums[k] - tp;
            double precision = ratio(tp, colSums[k]);
            double recall = ratio(tp, rowSums[k]);
            double f1 = ratio(2 * tp, 2 * tp + fp + fn);
            classes.add(new PerClass(k, tp, fp, fn, rowSums[k], colSums[k], precision, recall, f1));
            if (rowSums[k] > 0 || colSums[k] > 0) {
                averaged++;
                double[] scores = {zeroIfUndefined(precision), zeroIfUndefined(recall), zeroIfUndefined(f1)};
                for (int m = 0; m < 3; m++) {
                    macroSum[m] += scores[m];
                    weightedSum[m] += scores[m] * rowSums[k];
                }
            }
        }
        Average macro = averaged == 0 ? new Average(Double.NaN, Double.NaN, Double.NaN)
                : new Average(macroSum[0] / averaged, macroSum[1] / averaged, macroSum[2] / averaged);
        Average weighted = total == 0 ? new Average(Double.NaN, Double.NaN, Double.NaN)
                : new Average(weightedSum[0] / total, weightedSum[1] / total, weightedSum[2] / total);
        long[][] copy = new long[n][];
        for (int t = 0; t < n; t++) {
            copy[t] = confusion[t].clone();
        }
        return new ClassificationMetrics(copy, total, correct, List.copyOf(classes), macro, weighted);
    }

    /** Correct predictions over all images (the trace over the total); NaN for an empty matrix. */
    public double accuracy() {
        return ratio(correct, total);
    }

    /**
     * The per-class table a person reads: name, precision, recall, F1 (as percentages; "-" where undefined) and
     * support, then the two averages.
     */
    public String classTable(List<String> names) {
        checkNames(names);
        int nameWidth = "weighted average".length();
        for (String name : names) {
            nameWidth = Math.max(nameWidth, name.length());
        }
        String row = "%-" + nameWidth + "s  %9s  %7s  %7s  %7s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(row, "class", "precision", "recall", "F1", "support"));
        for (PerClass c : classes) {
            sb.append(String.format(row, names.get(c.label()), percent(c.precision()), percent(c.recall()),
                    percent(c.f1()), c.support()));
        }
        sb.append(String.format(row, "macro average", percent(macro.precision()), percent(macro.recall()),
                percent(macro.f1()), total));
        sb.append(String.format(row, "weighted average", percent(weighted.precision()), percent(weighted.recall()),
                percent(weighted.f1()), total));
        return sb.toString();
    }

    /** The confusion matrix with class names as row (true) and column (predicted) headers. */
    public String confusionTable(List<String> names) {
        checkNames(names);
        String corner = "true \\ predicted";
        int rowHeader = corner.length();
        for (String name : names) {
            rowHeader = Math.max(rowHeader, name.length());
        }
        int[] widths = new int[names.size()];
        for (int p = 0; p < widths.length; p++) {
            widths[p] = names.get(p).length();
            for (long[] r : confusion) {
                widths[p] = Math.max(widths[p], Long.toString(r[p]).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-" + rowHeader + "s", corner));
        for (int p = 0; p < widths.length; p++) {
            sb.append("  ").append(String.format("%" + widths[p] + "s", names.get(p)));
        }
        sb.append(System.lineSeparator());
        for (int t = 0; t < confusion.length; t++) {
            sb.append(String.format("%-" + rowHeader + "s", names.get(t)));
            for (int p = 0; p < widths.length; p++) {
                sb.append("  ").append(String.format("%" + widths[p] + "d", confusion[t][p]));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    private void checkNames(List<String> names) {
        if (names.size() != confusion.length) {
            throw new IllegalArgumentException(names.size() + " class names for " + confusion.length + " classes");
        }
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.2f%%", 100 * v);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    private static double zeroIfUndefined(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
