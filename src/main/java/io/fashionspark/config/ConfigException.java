package io.fashionspark.config;

/** A configuration value a user must change; the message says which and to what. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
