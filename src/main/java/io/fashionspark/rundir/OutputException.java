package io.fashionspark.rundir;

/** The run's outputs cannot be written where asked; the message names the place and what to change. */
public class OutputException extends RuntimeException {
    public OutputException(String message) {
        super(message);
    }

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
