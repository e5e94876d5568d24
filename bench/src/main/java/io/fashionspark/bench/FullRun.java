package io.fashionspark.bench;

import io.fashionspark.model.ModelKind;
import java.util.List;
import java.util.Optional;

/**
 * A model trained from scratch for a whole run (5 epochs by default) by DL4J on Spark or by the PyTorch
 * reference, tested on the way: its training speed over the whole run, its accuracy at the end and how long it took
 * to first reach an accuracy. Times are training time; the tests on the way are left out (with them: wall).
 *
 * @param model           what trained
 * @param engine          who trained it
 * @param setup           the configuration in words
 * @param epochs          epochs trained
 * @param images          images trained
 * @param trainSeconds    training time
 * @param wallSeconds     the same, with the tests
 * @param accuracy        test accuracy at the end
 * @param evalEveryImages images trained between two tests
 * @param checkpoints     the tests on the way, in order
 */
public record FullRun(ModelKind model, ScenarioResult.Engine engine, String setup, int epochs, long images,
                      double trainSeconds, double wallSeconds, double accuracy, long evalEveryImages,
                      List<Checkpoint> checkpoints) {

    /** One test on the way, with the images and the training time before it. */
    public record Checkpoint(long images, double trainSeconds, double accuracy) {
    }

    public FullRun {
        checkpoints = List.copyOf(checkpoints);
    }

    public double imagesPerSecond() {
        return images / trainSeconds;
    }

    /** The first test at or above {@code target} (the final one included). */
    public Optional<Checkpoint> firstReaching(double target) {
        Optional<Checkpoint> onTheWay = checkpoints.stream().filter(c -> c.accuracy() >= target).findFirst();
        if (onTheWay.isPresent() || accuracy < target) {
            return onTheWay;
        }
        return Optional.of(new Checkpoint(images, trainSeconds, accuracy));
    }

    /** The best test accuracy seen, the final one included. */
    public double bestAccuracy() {
        return Math.max(accuracy, checkpoints.stream().mapToDouble(Checkpoint::accuracy).max().orElse(accuracy));
    }
}
