package io.fashionspark.cli;

/** Process exit codes, documented in the README. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Training or Spark failed at run time. */
    public static final int RUNTIME_FAILURE = 1;
    /** Bad command line or configuration. */
    public static final int USAGE = 2;
    /** The data files are missing or malformed. */
    public static final int DATA = 3;
    /** The run directory cannot be used or written. */
    public static final int OUTPUT = 4;
    /** The loss became NaN or infinite. */
    public static final int DIVERGED = 5;

    private ExitCodes() {
    }
}
