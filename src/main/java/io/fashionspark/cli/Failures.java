package io.fashionspark.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.data.DataException;
import io.fashionspark.rundir.NoSpaceLeftException;
import io.fashionspark.rundir.OutputException;
import io.fashionspark.runtime.ClusterRefusedException;
import io.fashionspark.runtime.IncompatibleRuntimeException;
import io.fashionspark.savedmodel.ModelFileException;
import io.fashionspark.train.TrainingDivergedException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/** Turns failures into one sentence on stderr and a documented exit code; the stack trace only with --verbose. */
public final class Failures implements CommandLine.IExecutionExceptionHandler {
    /**
     * The failures that are the user's to fix, said in one line: the first entry an exception is an instance of
     * gives the exit code and what comes before its message, so a subclass comes before its superclass.
     */
    private static final List<UserError> USER_ERRORS = List.of(
            new UserError(ConfigException.class, ExitCodes.USAGE, ""),
            new UserError(ModelFileException.class, ExitCodes.DATA, ""), // a DataException, said without "bad data"
            new UserError(DataException.class, ExitCodes.DATA, "bad data: "),
            // A full disk is a run-time failure, not a bad --output; said in one sentence all the same.
            new UserError(NoSpaceLeftException.class, ExitCodes.RUNTIME_FAILURE, ""),
            new UserError(OutputException.class, ExitCodes.OUTPUT, ""),
            new UserError(TrainingDivergedException.class, ExitCodes.DIVERGED, "training diverged: "),
            new UserError(IncompatibleRuntimeException.class, ExitCodes.RUNTIME_FAILURE, ""),
            new UserError(ClusterRefusedException.class, ExitCodes.RUNTIME_FAILURE, ""));

    private record UserError(Class<? extends Throwable> type, int exitCode, String prefix) {
    }

    private final PrintWriter err;

    public Failures(PrintWriter err) {
        this.err = err;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable cause = rootUserError(ex);
        UserError kind = kindOf(cause);
        int code;
        String message;
        if (kind != null) {
            code = kind.exitCode();
            message = kind.prefix() + cause.getMessage();
        } else {
            code = ExitCodes.RUNTIME_FAILURE;
            message = "failed: " + ex + (verbose(parsed) ? "" : " (run with --verbose for the stack trace)");
        }
        err.println("fashion-spark: " + message);
        if (verbose(parsed)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** Spark wraps executor-side exceptions; find ours. */
    private static Throwable rootUserError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (kindOf(t) != null) {
                return t;
            }
        }
        return ex;
    }

    /** The first entry of {@link #USER_ERRORS} that {@code t} is an instance of, or null. */
    private static UserError kindOf(Throwable t) {
        for (UserError kind : USER_ERRORS) {
            if (kind.type().isInstance(t)) {
                return kind;
            }
        }
        return null;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    public static int usage(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("fashion-spark: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return ExitCodes.USAGE;
    }
}
