package io.fashionspark.data;

/** Bad input data: the message names the file and what is wrong with it. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
