package io.fashionspark.metrics;

/** The {@code event} values of metrics.jsonl and metrics.csv. */
public final class EventNames {
    public static final String TRAIN_LOSS = "train_loss";
    public static final String ROUND = "round";
    public static final String TEST = "test";
    public static final String EPOCH = "epoch";

    private EventNames() {
    }
}
