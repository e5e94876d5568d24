package io.fashionspark.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.fashionspark.model.ModelKind;
import java.io.IOException;
import java.util.Objects;

/**
 * The resolved settings of one training run: declared in {@link Settings}, read from the defaults, a config file and
 * the command line ({@link SettingValues#read}), validated here and frozen. Two concerns: what is trained (the
 * model, the workers, the minibatch, the epochs, the rates, the seed, the recipe and the exchange: this record's own
 * values) and the job around it ({@link #run()}: where the data and the run directory are, how much data, how often
 * to test and checkpoint). Each component named after a setting is that setting. Written into the run's {@code
 * config.json} (read back by {@code --resume}), {@code summary.json} and the provenance of its {@code model.zip}, as
 * one flat object. Build one with {@link #builder()}.
 *
 * @param batchSize          examples per minibatch on each worker, as trained (the recipe may shrink the one asked)
 * @param averagingFrequency minibatches between two averagings, as trained (1 where the recipe's
 *                           {@code syncWorkers} is reached)
 * @param recipe             the learning-rate schedule and how the replicas are combined
 * @param asked              the minibatch and averaging period asked for, where the recipe trains with others
 *                           ({@code --max-global-batch}, {@code --sync-workers}); null where it trains as asked
 * @param run                the job around the training: data, run directory, limits, test and checkpoint cadence
 */
@JsonSerialize(using = TrainingConfig.ToJson.class)
@JsonDeserialize(using = TrainingConfig.FromJson.class)
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
        Asked asked,
        RunSettings run) implements java.io.Serializable {

    /** What was asked for where the recipe changed it: config.json keeps both, the effective values above. */
    public record Asked(int batchSize, int averagingFrequency) implements java.io.Serializable {
    }

    public TrainingConfig {
        Settings.MODEL.require(model);
        Settings.EXCHANGE.require(exchange);
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(run, "run");
        // Settings are built with the model known: config.json holds the beta2 the run trains with.
        recipe = recipe.forModel(model);
        Settings.WORKERS.require(workers);
        Settings.BATCH_SIZE.require(batchSize);
        Settings.AVERAGING_FREQUENCY.require(averagingFrequency);
        Settings.EPOCHS.require(epochs);
        Settings.LEARNING_RATE.require(learningRate);
        Settings.SEED.require(seed);
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
     * Reads the settings as {@code config.json}, {@code summary.json} and a model's provenance hold them, including
     * those written before some settings existed ({@link SettingValues#read(JsonNode)}).
     */
    static TrainingConfig fromJson(JsonNode json) {
        JsonNode asked = json.get("asked");
        SettingValues values = SettingValues.read(json);
        return values.config(values.recipe(), asked == null || asked.isNull()
                ? null : new Asked(asked.path("batchSize").asInt(), asked.path("averagingFrequency").asInt()));
    }

    /**
     * Writes one flat object, the settings in the order declared, the recipe's in its {@code recipe} object where
     * {@code --recipe} is declared, then what was asked where the recipe changed it.
     */
    static final class ToJson extends StdSerializer<TrainingConfig> {
        private static final long serialVersionUID = 1L;

        ToJson() {
            super(TrainingConfig.class);
        }

        @Override
        public void serialize(TrainingConfig config, JsonGenerator out, SerializerProvider provider)
                throws IOException {
            SettingValues values = SettingValues.of(config);
            out.writeStartObject();
            for (Setting<?> s : Settings.all()) {
                if (s == Settings.RECIPE) {
                    out.writeObjectField(s.field(), config.recipe());
                } else if (s.concern() != Setting.Concern.RECIPE) {
                    out.writeObjectField(s.field(), values.get(s));
                }
            }
            if (config.asked() != null) {
                out.writeObjectField("asked", config.asked());
            }
            out.writeEndObject();
        }
    }

    /**
     * Reads with {@link #fromJson}, which knows what a file written before a setting existed stands for.
     */
    static final class FromJson extends StdDeserializer<TrainingConfig> {
        private static final long serialVersionUID = 1L;

        FromJson() {
            super(TrainingConfig.class);
        }

        @Override
        public TrainingConfig deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return fromJson(parser.readValueAsTree());
        }
    }

    /**
     * A builder holding, for the settings added since the first runs, what a run from before them trained with (no
     * checkpoints, no limits, tests at epoch ends, the driver exchange, the notes' recipe), and nothing else: the
     * model, data, output, workers, minibatch, period, epochs, rate and seed must be given.
     */
    public static Builder builder() {
        return new Builder(SettingValues.parse(Settings.all().stream().filter(s -> s.whenAbsent() != null
                && s != Settings.RECIPE && s.concern() != Setting.Concern.RECIPE).toList(), Setting::whenAbsent))
                .recipe(TrainingRecipe.NOTES);
    }

    /** A builder holding these settings as they were asked for, to change some of them. */
    public Builder toBuilder() {
        SettingValues values = SettingValues.of(this);
        if (asked != null) {
            values.with(Settings.BATCH_SIZE, asked.batchSize()).with(Settings.AVERAGING_FREQUENCY,
                    asked.averagingFrequency());
        }
        return new Builder(values).recipe(recipe);
    }

    /** The same run trained for a different number of epochs (resuming to train longer). */
    public TrainingConfig withEpochs(int newEpochs) {
        return toBuilder().with(Settings.EPOCHS, newEpochs).build();
    }

    /** The learning rate after the warm-up: {@code learningRate} scaled for the worker count by the recipe. */
    public double peakLearningRate() {
        return learningRate * recipe.lrScaling().factor(workers);
    }

    /** Images all workers fit in one synchronous step. */
    public int imagesPerStep() {
        return workers * batchSize;
    }

    /** Settings by their declaration; {@link #build()} validates. */
    public static final class Builder {
        private final SettingValues values;
        private TrainingRecipe recipe;

        /** A builder over {@code values} ({@link SettingValues#read}, {@link TrainingDefaults#values()}). */
        public Builder(SettingValues values) {
            this.values = values;
        }

        /** {@code setting} set to {@code value}. */
        public <T> Builder with(Setting<T> setting, T value) {
            values.with(setting, value);
            return this;
        }

        /** A whole recipe, in place of the recipe's settings. */
        public Builder recipe(TrainingRecipe value) {
            recipe = value;
            return this;
        }

        /**
         * The validated settings; a {@link ConfigException} names the first setting that is wrong. The minibatch is
         * each worker's as the recipe allows it ({@link TrainingRecipe#workerBatch}), so the run's config.json holds
         * what was trained and a resumed run fits the same minibatches.
         */
        public TrainingConfig build() {
            return values.config(recipe != null ? recipe : values.recipe(), null);
        }
    }
}
