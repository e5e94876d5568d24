package io.fashionspark.bench;

import java.util.Locale;

/**
 * How the benchmark writes its figures, in the report and in its log. Locale-independent, so the report reads the
 * same on every machine; a figure that could not be computed (NaN, infinite) is a dash, never "NaN".
 */
final class Formats {
    static final String DASH = "—";

    private Formats() {
    }

    static String epochs(int n) {
        return n + (n == 1 ? " epoch" : " epochs");
    }

    static String workers(int n) {
        return n + (n == 1 ? " worker" : " workers");
    }

    /** {@code 1.23x}. */
    static String ratio(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.2fx", x) : DASH;
    }

    /** A fraction as a percentage: 0.9 is {@code 90.00%}. */
    static String percent(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.2f%%", 100 * x) : DASH;
    }

    /** A difference of two fractions in percentage points, signed. */
    static String points(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%+.2f points", 100 * x) : DASH;
    }

    /** {@code decimals} decimals, with thousands separators. */
    static String fixed(double x, int decimals) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%,." + decimals + "f", x) : DASH;
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String gflops(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.1f GFLOP/s", x) : DASH;
    }

    /** MiB below a GiB, GiB with two decimals above; negative (unknown) is a dash. */
    static String bytes(long b) {
        if (b < 0) {
            return DASH;
        }
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.0f MiB", b / (double) (1L << 20));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
    }
}
