package io.fashionspark.train;

/** The loss became NaN or infinite; training stopped. */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
