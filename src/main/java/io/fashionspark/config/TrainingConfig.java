package io.fashionspark.config;

import static io.fashionspark.config.TrainingOptions.AVERAGING_FREQUENCY;
import static io.fashionspark.config.TrainingOptions.BATCH_SIZE;
import static io.fashionspark.config.TrainingOptions.EPOCHS;
import static io.fashionspark.config.TrainingOptions.LEARNING_RATE;
import static io.fashionspark.config.TrainingOptions.WORKERS;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fashionspark.model.ModelKind;
import java.util.Objects;

/**
 * The resolved settings of one training run: defaults from {@code conf/fashion-spark.properties},
 * overridden by flags, validated here and frozen. Two concerns: what is trained (the model, the workers, the
 * minibatch, the epochs, the rates, the seed, the recipe and the exchange: this record's own values) and the job
 * around it ({@link #run()}: where the data and the run directory are, how much data, how often to test and
 * checkpoint). Written verbatim into the run's {@code config.json} (read back by {@code --resume}), {@code
 * summary.json} and the provenance of its {@code model.zip}, as one flat object. Build one with {@link #builder()}.
 *
 * @param model            architecture to train
 * @param workers          parallel model replicas (Spark partitions / tasks per averaging round)
 * @param batchSize        examples per minibatch on each worker
 * @param averagingFrequency minibatches each worker fits between two parameter averagings (1 where the recipe's
 *                           {@code syncWorkers} is reached)
 * @param epochs           passes over the training set
 * @param learningRate     Adam's learning rate
 * @param seed             seeds weight initialisation, dropout and the per-epoch shuffle
 * @param recipe           the learning-rate schedule and how the replicas are combined
 * @param exchange         where the replicas are averaged: on the driver, or among the workers
 * @param asked            the minibatch and averaging period asked for, where the recipe trains with others
 *                         ({@code --max-global-batch}, {@code --sync-workers}); null where it trains as asked
 * @param run              the job around the training: data, run directory, limits, test and checkpoint cadence
 */
@JsonPropertyOrder({"model", "data", "output", "overwrite", "workers", "batchSize", "averagingFrequency", "epochs",
    "learningRate", "seed", "evalEvery", "trainLimit", "testLimit", "checkpointEveryEpochs", "checkpointEvery",
    "keepCheckpoints", "recipe", "exchange", "asked"})
public record TrainingConfig(
        ModelKind model,
        int workers,
        int batchSize,
        int averagingFrequency,
        int epochs,
        double learningRate,
        long seed,
        TrainingRecipe recipe,
        Exchange exchange,
        @JsonInclude(JsonInclude.Include.NON_NULL) Asked asked,
        @JsonIgnore RunSettings run) implements java.io.Serializable {

    /** What was asked for where the recipe changed it: config.json keeps both, the effective values above. */
    public record Asked(int batchSize, int averagingFrequency) implements java.io.Serializable {
    }

    public TrainingConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(run, "run");
        // Settings are built with the model known: config.json holds the beta2 the run trains with.
        recipe = recipe.forModel(model);
        requirePositive(workers, WORKERS, "the number of parallel model replicas");
        requirePositive(batchSize, BATCH_SIZE, "examples per minibatch on each worker");
        requirePositive(averagingFrequency, AVERAGING_FREQUENCY, "minibatches between parameter averagings");
        requirePositive(epochs, EPOCHS, "passes over the training set");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new ConfigException(LEARNING_RATE + " must be a positive number, got " + learningRate
                    + " (the reference uses 0.001)");
        }
        // The minibatch and period the run trains with, so that config.json holds them and a resumed run keeps
        // them; applying the recipe again to them changes nothing.
        int askedBatch = batchSize;
        int askedPeriod = averagingFrequency;
        batchSize = recipe.workerBatch(batchSize, workers);
        averagingFrequency = recipe.averagingPeriod(averagingFrequency, workers);
        if (asked == null && (batchSize != askedBatch || averagingFrequency != askedPeriod)) {
            asked = new Asked(askedBatch, askedPeriod);
        }
    }

    /**
     * Reads the settings as {@code config.json} and {@code summary.json} hold them. Runs written before checkpoints
     * existed have no checkpoint settings: they read as no checkpoints, the newest one kept. Runs written before
     * recipes existed trained with the notes' set-up, and read as such; runs written before the exchange was a
     * setting averaged on the driver.
     */
    @JsonCreator
    static TrainingConfig fromJson(@JsonProperty("model") ModelKind model, @JsonProperty("data") String data,
                                   @JsonProperty("output") String output, @JsonProperty("overwrite") boolean overwrite,
                                   @JsonProperty("workers") int workers, @JsonProperty("batchSize") int batchSize,
                                   @JsonProperty("averagingFrequency") int averagingFrequency,
                                   @JsonProperty("epochs") int epochs,
                                   @JsonProperty("learningRate") double learningRate, @JsonProperty("seed") long seed,
                                   @JsonProperty("evalEvery") int evalEvery,
                                   @JsonProperty("trainLimit") int trainLimit,
                                   @JsonProperty("testLimit") int testLimit,
                                   @JsonProperty("checkpointEveryEpochs") Integer checkpointEveryEpochs,
                                   @JsonProperty("checkpointEvery") Integer checkpointEvery,
                                   @JsonProperty("keepCheckpoints") Integer keepCheckpoints,
                                   @JsonProperty("recipe") TrainingRecipe recipe,
                                   @JsonProperty("exchange") Exchange exchange,
                                   @JsonProperty("asked") Asked asked) {
        RunSettings run = new RunSettings(data, output, overwrite, trainLimit, testLimit, evalEvery,
                checkpointEveryEpochs == null ? 0 : checkpointEveryEpochs, checkpointEvery == null ? 0 : checkpointEvery,
                keepCheckpoints == null ? 1 : keepCheckpoints);
        return new TrainingConfig(model, workers, batchSize, averagingFrequency, epochs, learningRate, seed,
                recipe == null ? TrainingRecipe.NOTES : recipe, exchange == null ? Exchange.DRIVER : exchange, asked,
                run);
    }

    // config.json is one flat object, as it was before the run's settings had a record of their own: the run's
    // values are written beside the training's (and read back by fromJson).

    @JsonProperty("data")
    private String jsonData() {
        return run.data();
    }

    @JsonProperty("output")
    private String jsonOutput() {
        return run.output();
    }

    @JsonProperty("overwrite")
    private boolean jsonOverwrite() {
        return run.overwrite();
    }

    @JsonProperty("evalEvery")
    private int jsonEvalEvery() {
        return run.evalEvery();
    }

    @JsonProperty("trainLimit")
    private int jsonTrainLimit() {
        return run.trainLimit();
    }

    @JsonProperty("testLimit")
    private int jsonTestLimit() {
        return run.testLimit();
    }

    @JsonProperty("checkpointEveryEpochs")
    private int jsonCheckpointEveryEpochs() {
        return run.checkpointEveryEpochs();
    }

    @JsonProperty("checkpointEvery")
    private int jsonCheckpointEvery() {
        return run.checkpointEvery();
    }

    @JsonProperty("keepCheckpoints")
    private int jsonKeepCheckpoints() {
        return run.keepCheckpoints();
    }

    /** A builder with nothing set: every value a run needs must be given (zero counts fail validation). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings as they were asked for, to change some of them. */
    public Builder toBuilder() {
        return new Builder().model(model).data(run.data()).output(run.output()).overwrite(run.overwrite())
                .workers(workers).batchSize(asked == null ? batchSize : asked.batchSize())
                .averagingFrequency(asked == null ? averagingFrequency : asked.averagingFrequency()).epochs(epochs)
                .learningRate(learningRate).seed(seed).evalEvery(run.evalEvery()).trainLimit(run.trainLimit())
                .testLimit(run.testLimit()).checkpointEveryEpochs(run.checkpointEveryEpochs())
                .checkpointEvery(run.checkpointEvery()).keepCheckpoints(run.keepCheckpoints()).recipe(recipe)
                .exchange(exchange);
    }

    /** The same run trained for a different number of epochs (resuming to train longer). */
    public TrainingConfig withEpochs(int newEpochs) {
        return toBuilder().epochs(newEpochs).build();
    }

    private static void requirePositive(int value, String option, String what) {
        if (value < 1) {
            throw new ConfigException(option + " (" + what + ") must be at least 1, got " + value);
        }
    }

    /** The learning rate after the warm-up: {@code learningRate} scaled for the worker count by the recipe. */
    public double peakLearningRate() {
        return learningRate * recipe.lrScaling().factor(workers);
    }

    /** Images all workers fit in one synchronous step. */
    public int imagesPerStep() {
        return workers * batchSize;
    }

    /** Named setters for {@link TrainingConfig}; {@link #build()} validates. The options' defaults live in conf/. */
    public static final class Builder {
        private ModelKind model;
        private String data;
        private String output;
        private boolean overwrite;
        private int workers;
        private int batchSize;
        private int averagingFrequency;
        private int epochs;
        private double learningRate;
        private long seed;
        private int evalEvery;
        private int trainLimit;
        private int testLimit;
        private int checkpointEveryEpochs;
        private int checkpointEvery;
        private int keepCheckpoints;
        private TrainingRecipe recipe = TrainingRecipe.NOTES;
        private Exchange exchange = Exchange.DRIVER;

        private Builder() {
        }

        public Builder model(ModelKind value) {
            model = value;
            return this;
        }

        public Builder data(String value) {
            data = value;
            return this;
        }

        public Builder output(String value) {
            output = value;
            return this;
        }

        public Builder overwrite(boolean value) {
            overwrite = value;
            return this;
        }

        public Builder workers(int value) {
            workers = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder averagingFrequency(int value) {
            averagingFrequency = value;
            return this;
        }

        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder evalEvery(int value) {
            evalEvery = value;
            return this;
        }

        public Builder trainLimit(int value) {
            trainLimit = value;
            return this;
        }

        public Builder testLimit(int value) {
            testLimit = value;
            return this;
        }

        public Builder checkpointEveryEpochs(int value) {
            checkpointEveryEpochs = value;
            return this;
        }

        public Builder checkpointEvery(int value) {
            checkpointEvery = value;
            return this;
        }

        public Builder keepCheckpoints(int value) {
            keepCheckpoints = value;
            return this;
        }

        /** The schedule and the way replicas combine; the notes' set-up unless given. */
        public Builder recipe(TrainingRecipe value) {
            recipe = value;
            return this;
        }

        /** Where the replicas are averaged; on the driver unless given. */
        public Builder exchange(Exchange value) {
            exchange = value;
            return this;
        }

        /**
         * The validated settings; a {@link ConfigException} names the first option that is wrong. The minibatch is
         * each worker's as the recipe allows it ({@link TrainingRecipe#workerBatch}), so the run's config.json holds
         * what was trained and a resumed run fits the same minibatches.
         */
        public TrainingConfig build() {
            RunSettings run = new RunSettings(data, output, overwrite, trainLimit, testLimit, evalEvery,
                    checkpointEveryEpochs, checkpointEvery, keepCheckpoints);
            return new TrainingConfig(model, workers, batchSize, averagingFrequency, epochs, learningRate, seed,
                    recipe, exchange, null, run);
        }
    }
}
