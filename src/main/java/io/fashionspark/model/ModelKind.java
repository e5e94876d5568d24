package io.fashionspark.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The architectures this project trains, by their command-line names. */
public enum ModelKind {
    DNN("dnn", "FashionDNN", new FashionDnn()),
    CNN("cnn", "FashionCNN", new FashionCnn()),
    LENET("lenet", "LeNet-5", new LeNet5());

    private final String cliName;
    private final String displayName;
    private final NetworkFactory factory;

    ModelKind(String cliName, String displayName, NetworkFactory factory) {
        this.cliName = cliName;
        this.displayName = displayName;
        this.factory = factory;
    }

    /**
     * From how many workers on the tuned recipe averages after every minibatch when {@code --sync-workers} is auto
     * ({@code conf/recipes.properties}, where the measurement that chose it is named).
     */
    public int tunedSyncWorkers() {
        return TunedConstants.INSTANCE.syncWorkers(this);
    }

    /** Adam's beta2 in the tuned recipe when {@code --adam-beta2} is {@code auto} ({@code conf/recipes.properties}). */
    public double tunedAdamBeta2() {
        return TunedConstants.INSTANCE.adamBeta2(this);
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
