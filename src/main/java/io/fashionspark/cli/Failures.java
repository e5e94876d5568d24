package io.fashionspark.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.data.DataException;
import io.fashionspark.rundir.OutputException;
import io.fashionspark.predict.ModelFileException;
import io.fashionspark.runtime.IncompatibleRuntimeException;
import io.fashionspark.train.TrainingDivergedException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Turns failures into one sentence on stderr and a documented exit code; the stack trace only with --verbose. */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    private final PrintWriter err;

    Failures(PrintWriter err) {
        this.err = err;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable cause = rootUserError(ex);
        int code;
        String message;
        if (cause instanceof ConfigException) {
            code = ExitCodes.USAGE;
            message = cause.getMessage();
        } else if (cause instanceof ModelFileException) {
            code = ExitCodes.DATA;
            message = cause.getMessage();
        } else if (cause instanceof DataException) {
            code = ExitCodes.DATA;
            message = "bad data: " + cause.getMessage();
        } else if (cause instanceof OutputException) {
            code = ExitCodes.OUTPUT;
            message = cause.getMessage();
        } else if (cause instanceof TrainingDivergedException) {
            code = ExitCodes.DIVERGED;
            message = "training diverged: " + cause.getMessage();
        } else if (cause instanceof IncompatibleRuntimeException) {
            code = ExitCodes.RUNTIME_FAILURE;
            message = cause.getMessage();
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
            if (t instanceof ConfigException || t instanceof DataException || t instanceof OutputException
                    || t instanceof TrainingDivergedException || t instanceof IncompatibleRuntimeException) {
                return t;
            }
        }
        return ex;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    static int usage(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("fashion-spark: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return ExitCodes.USAGE;
    }
}
