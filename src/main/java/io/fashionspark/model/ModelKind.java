package io.fashionspark.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The architectures this project trains, by their command-line names. */
public enum ModelKind {
    // Adam's beta2 in the tuned recipe: for the FashionDNN 0.95 measured best of 0.999, 0.99, 0.98 and 0.95
    // (docs/scaling.md); the FashionCNN's study ran with Adam's usual 0.999, and LeNet-5 has no study.
    // Sync workers: from 8 workers on, the FashionDNN's replicas are averaged after every minibatch, which its 8
    // workers needed to end near 1 worker's accuracy; at 4 it gained too little for what it costs (docs/scaling.md).
    // The FashionCNN gets there averaging every 5, and its rounds carry six times the bytes.
    DNN("dnn", "FashionDNN", new FashionDnn(), 0.95, 8),
    CNN("cnn", "FashionCNN", new FashionCnn(), 0.999, 0),
    LENET("lenet", "LeNet-5", new LeNet5(), 0.999, 0);

    private final String cliName;
    private final String displayName;
    private final NetworkFactory factory;
    private final double tunedAdamBeta2;
    private final int tunedSyncWorkers;

    ModelKind(String cliName, String displayName, NetworkFactory factory, double tunedAdamBeta2,
              int tunedSyncWorkers) {
        this.cliName = cliName;
        this.displayName = displayName;
        this.factory = factory;
        this.tunedAdamBeta2 = tunedAdamBeta2;
        this.tunedSyncWorkers = tunedSyncWorkers;
    }

    /** From how many workers on the tuned recipe averages after every minibatch when {@code --sync-workers} is auto. */
    public int tunedSyncWorkers() {
        return tunedSyncWorkers;
    }

    /** Adam's beta2 in the tuned recipe when {@code --adam-beta2} is {@code auto}. */
    public double tunedAdamBeta2() {
        return tunedAdamBeta2;
    }

    public String cliName() {
        return cliName;
    }

    public String displayName() {
        return displayName;
    }

    public NetworkFactory factory() {
        return factory;
    }

    /** Parses a command-line name; the error lists what is accepted. */
    public static ModelKind parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (ModelKind k : values()) {
            if (k.cliName.equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "': choose one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(ModelKind::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
