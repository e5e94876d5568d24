package io.fashionspark.runtime;

/**
 * The cluster did not take the application: its master refused it (a secured cluster and a wrong or missing
 * secret) or could not be reached. A run-time failure, said in one sentence.
 */
public final class ClusterRefusedException extends RuntimeException {
    public ClusterRefusedException(String message) {
        super(message);
    }
}
