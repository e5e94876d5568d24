package io.fashionspark.rundir;

import java.util.Locale;
import org.apache.hadoop.fs.FSError;

/**
 * The device under a run directory (or another output) is full. Said in one sentence that names the directory:
 * a full disk is the user's to fix, and what was written before it is intact (files are written aside and renamed
 * into place, and the partial file is removed).
 */
public final class NoSpaceLeftException extends OutputException {
    /** {@code file} (named relative to {@code directory}) could not be written. */
    public static NoSpaceLeftException writing(String directory, String file, Throwable cause) {
        return new NoSpaceLeftException("no space left on the device of " + directory + ": " + file
                + " was not written; the files written before it are intact", cause);
    }

    private NoSpaceLeftException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The same failure with what the user can do about it, e.g. how to continue the run once space is freed. */
    public NoSpaceLeftException withAdvice(String advice) {
        return new NoSpaceLeftException(getMessage() + "; " + advice, getCause());
    }

    /**
     * True when {@code failure} or one of its causes says the device is full. Hadoop's local file system reports
     * a failed write as an {@link FSError} (an Error, not an IOException) around the IOException
     * "No space left on device"; HDFS reports an exhausted space quota as a QuotaExceededException.
     */
    public static boolean isNoSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("no space left on device")
                    || t.getClass().getSimpleName().endsWith("QuotaExceededException")) {
                return true;
            }
        }
        return false;
    }
}
