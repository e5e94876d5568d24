package io.fashionspark.runtime;

/** The cluster's Spark, Scala or Java is one this build cannot run on; the message says what is needed. */
public final class IncompatibleRuntimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IncompatibleRuntimeException(String message) {
        super(message);
    }
}
