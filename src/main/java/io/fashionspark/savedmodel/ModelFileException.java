package io.fashionspark.savedmodel;

import io.fashionspark.data.DataException;

/**
 * The file given as {@code --model} cannot be used: missing, not a DL4J model, or a model that does not take
 * FashionMNIST's 28x28x1 images or give its 10 classes. The message starts with the file's name.
 */
public class ModelFileException extends DataException {
    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
