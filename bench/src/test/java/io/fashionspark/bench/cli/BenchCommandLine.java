package io.fashionspark.bench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the workshop's command line as {@code bin/fashion-spark bench|scaling|round-cost} would. */
final class BenchCommandLine {
    record Result(int code, String out, String err) {
    }

    private BenchCommandLine() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
