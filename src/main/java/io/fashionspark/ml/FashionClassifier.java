package io.fashionspark.ml;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Exchange;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingDefaults;
import io.fashionspark.config.TrainingOptions;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.DataException;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.data.RawImages;
import io.fashionspark.job.TrainingJob;
import io.fashionspark.metrics.ConsoleSink;
import io.fashionspark.model.ModelKind;
import io.fashionspark.model.ModelSummary;
import io.fashionspark.rundir.RunDirectory;
import io.fashionspark.rundir.RunSummary;
import io.fashionspark.runtime.NativeThreads;
import io.fashionspark.runtime.RuntimeVersions;
import io.fashionspark.runtime.TaskSlots;
import io.fashionspark.runtime.Versions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a fashion-spark network on a DataFrame of labelled images, as a Spark ML {@code Estimator}: the same
 * parameter-averaging training as {@code train}, with the same settings (named like {@code train}'s options, in
 * camel case: {@code averagingFrequency} for {@code --averaging-frequency}), the same defaults
 * ({@code conf/fashion-spark.properties}) and the same validation.
 *
 * <p>{@code fit} takes a numeric label column (0 to 9) and an image column in any form {@link ImageInput} reads.
 * Images are decoded on the executors and gathered on the driver as 8-bit grey levels (784 bytes each, 47 MB for
 * 60,000), which the trainer shards to the workers as it does idx files. Like {@code train}, it tests the model as
 * it trains: on the rows marked by {@code validationIndicatorCol}, or else on a seeded random
 * {@code validationFraction} of the rows, which it does not train on. Given a {@code runDirectory}, it writes
 * there what {@code train} writes (metrics, checkpoints, {@code model.zip}, {@code summary.json}, the report).
 */
public final class FashionClassifier extends Estimator<FashionClassifierModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;

    private final Param<String> model;
    private final IntParam workers;
    private final IntParam batchSize;
    private final IntParam averagingFrequency;
    private final IntParam epochs;
    private final DoubleParam learningRate;
    private final LongParam seed;
    private final IntParam evalEvery;
    private final Param<String> recipe;
    private final Param<String> exchange;
    private final Param<String> runDirectory;
    private final BooleanParam overwrite;
    private final Param<String> labelCol;
    private final Param<String> imageCol;
    private final Param<String> validationIndicatorCol;
    private final DoubleParam validationFraction;
    private final Param<String> predictionCol;
    private final Param<String> predictedClassCol;
    private final Param<String> probabilityCol;

    public FashionClassifier() {
        this(Identifiable$.MODULE$.randomUID("fashionClassifier"));
    }

    public FashionClassifier(String uid) {
        this.uid = uid;
        // Created here, not where declared: a Param takes its owner's uid when it is made.
        model = new Param<>(this, name(TrainingOptions.MODEL),
                "architecture: " + ModelKind.names(),
                setting(TrainingOptions.MODEL, (b, v) -> b.model(ModelKind.parse(v))));
        workers = new IntParam(this, name(TrainingOptions.WORKERS),
                "model replicas trained in parallel (Spark partitions)", intSetting(TrainingOptions.WORKERS,
                TrainingConfig.Builder::workers));
        batchSize = new IntParam(this, name(TrainingOptions.BATCH_SIZE),
                "minibatch size per worker",
                intSetting(TrainingOptions.BATCH_SIZE, TrainingConfig.Builder::batchSize));
        averagingFrequency = new IntParam(this, name(TrainingOptions.AVERAGING_FREQUENCY),
                "minibatches each worker fits between parameter averagings",
                intSetting(TrainingOptions.AVERAGING_FREQUENCY, TrainingConfig.Builder::averagingFrequency));
        epochs = new IntParam(this, name(TrainingOptions.EPOCHS), "passes over the training rows",
                intSetting(TrainingOptions.EPOCHS, TrainingConfig.Builder::epochs));
        learningRate = new DoubleParam(this, name(TrainingOptions.LEARNING_RATE),
                "Adam's learning rate (the base rate of the recipe, as in train)",
                MlParams.validator(v -> check(TrainingOptions.LEARNING_RATE,
                        b -> b.learningRate(((Number) v).doubleValue()))));
        seed = new LongParam(this, name(TrainingOptions.SEED),
                "seeds weight initialisation, dropout, the shuffle and the validation split",
                MlParams.validator(v -> check(TrainingOptions.SEED, b -> b.seed(((Number) v).longValue()))));
        evalEvery = new IntParam(this, name(TrainingOptions.EVAL_EVERY),
                "test on the validation rows every this many iterations (0: at epoch ends only)",
                intSetting(TrainingOptions.EVAL_EVERY, TrainingConfig.Builder::evalEvery));
        recipe = new Param<>(this, name(TrainingOptions.RECIPE), "tuned: train's default recipe "
                + "(conf/fashion-spark.properties: learning-rate schedule, averaging schedule, block momentum); notes: "
                + "the reference notes' set-up, Adam at a constant learningRate and plain averaging",
                MlParams.validator(v -> check(TrainingOptions.RECIPE, b -> b.recipe(namedRecipe((String) v)))));
        exchange = new Param<>(this, name(TrainingOptions.EXCHANGE), "where the replicas are averaged each round: "
                + "driver (one Spark job a round) or allreduce (the workers among themselves, in a barrier stage)",
                MlParams.validator(v -> check(TrainingOptions.EXCHANGE, b -> b.exchange(Exchange.named((String) v)))));
        runDirectory = new Param<>(this, "runDirectory", "where to write the run as train "
                + "does (local path or Hadoop URI); empty: write nothing");
        overwrite = new BooleanParam(this, name(TrainingOptions.OVERWRITE),
                "replace the files of an existing run directory");
        labelCol = new Param<>(this, "labelCol", "column of labels, 0 to 9");
        imageCol = new Param<>(this, "imageCol", "column of images: an image struct "
                + "(Spark's image source), binary (a picture's bytes or 784 grey levels) or 784 numbers");
        validationIndicatorCol = new Param<>(this, "validationIndicatorCol", "boolean "
                + "column: true marks the rows to test on instead of training on; empty: use validationFraction");
        validationFraction = new DoubleParam(this, "validationFraction", "share of the rows, "
                + "drawn with the seed, held out to test on when there is no validationIndicatorCol",
                MlParams.validator(v -> ((Number) v).doubleValue() > 0 && ((Number) v).doubleValue() < 1));
        predictionCol = new Param<>(this, "predictionCol", "the model's label index column");
        predictedClassCol = new Param<>(this, "predictedClassCol", "the model's class "
                + "name column");
        probabilityCol = new Param<>(this, "probabilityCol", "the model's probability "
                + "vector column");
        TrainingConfig d = TrainingDefaults.builder().build();
        setDefault(model, d.model().cliName());
        setDefault(workers, d.workers());
        setDefault(batchSize, d.batchSize());
        setDefault(averagingFrequency, d.averagingFrequency());
        setDefault(epochs, d.epochs());
        setDefault(learningRate, d.learningRate());
        setDefault(seed, d.seed());
        setDefault(evalEvery, d.run().evalEvery());
        setDefault(recipe, TrainingDefaults.of(TrainingOptions.RECIPE));
        setDefault(exchange, d.exchange().cliName());
        setDefault(runDirectory, "");
        setDefault(overwrite, false);
        setDefault(labelCol, "label");
        setDefault(imageCol, "image");
        setDefault(validationIndicatorCol, "");
        setDefault(validationFraction, 0.1);
        setDefault(predictionCol, "prediction");
        setDefault(predictedClassCol, "predictedClass");
        setDefault(probabilityCol, "probability");
    }

    /** The recipe {@code name} stands for, its settings (when tuned) from the bundled defaults. */
    private static TrainingRecipe namedRecipe(String name) {
        return TrainingRecipe.named(name, TrainingDefaults::of);
    }

    /** The parameter name of a {@code train} option: {@code --batch-size} is {@code batchSize}. */
    static String name(String option) {
        String key = TrainingOptions.key(option);
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    private interface Setter<T> extends java.io.Serializable {
        TrainingConfig.Builder apply(TrainingConfig.Builder builder, T value);
    }

    private static scala.Function1<String, Object> setting(String option, Setter<String> setter) {
        return MlParams.validator(v -> check(option, b -> {
            try {
                return setter.apply(b, v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(option + ": " + e.getMessage());
            }
        }));
    }

    private static scala.Function1<Object, Object> intSetting(String option, Setter<Integer> setter) {
        return MlParams.validator(v -> check(option, b -> setter.apply(b, ((Number) v).intValue())));
    }

    /** train's own validation of one setting, the others at their defaults; its message, in parameter names. */
    private static boolean check(String option, UnaryOperator<TrainingConfig.Builder> change) {
        try {
            change.apply(TrainingDefaults.builder()).build();
            return true;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(inParamNames(e.getMessage()), e);
        }
    }

    private static String inParamNames(String message) {
        String m = message;
        for (java.lang.reflect.Field f : TrainingOptions.class.getFields()) {
            try {
                if (f.getType() == String.class) {
                    String option = (String) f.get(null);
                    m = m.replace(option, name(option));
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    @Override
    public String uid() {
        return uid;
    }

    // Parameters, with setters that return this estimator.
    public Param<String> model() { return model; }
    public IntParam workers() { return workers; }
    public IntParam batchSize() { return batchSize; }
    public IntParam averagingFrequency() { return averagingFrequency; }
    public IntParam epochs() { return epochs; }
    public DoubleParam learningRate() { return learningRate; }
    public LongParam seed() { return seed; }
    public IntParam evalEvery() { return evalEvery; }
    public Param<String> recipe() { return recipe; }
    public Param<String> exchange() { return exchange; }
    public Param<String> runDirectory() { return runDirectory; }
    public BooleanParam overwrite() { return overwrite; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> imageCol() { return imageCol; }
    public Param<String> validationIndicatorCol() { return validationIndicatorCol; }
    public DoubleParam validationFraction() { return validationFraction; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> predictedClassCol() { return predictedClassCol; }
    public Param<String> probabilityCol() { return probabilityCol; }

    public FashionClassifier setModel(String value) { set(model, value); return this; }
    public FashionClassifier setWorkers(int value) { set(workers, value); return this; }
    public FashionClassifier setBatchSize(int value) { set(batchSize, value); return this; }
    public FashionClassifier setAveragingFrequency(int value) { set(averagingFrequency, value); return this; }
    public FashionClassifier setEpochs(int value) { set(epochs, value); return this; }
    public FashionClassifier setLearningRate(double value) { set(learningRate, value); return this; }
    public FashionClassifier setSeed(long value) { set(seed, value); return this; }
    public FashionClassifier setEvalEvery(int value) { set(evalEvery, value); return this; }
    public FashionClassifier setRecipe(String value) { set(recipe, value); return this; }
    public FashionClassifier setExchange(String value) { set(exchange, value); return this; }
    public FashionClassifier setRunDirectory(String value) { set(runDirectory, value); return this; }
    public FashionClassifier setOverwrite(boolean value) { set(overwrite, value); return this; }
    public FashionClassifier setLabelCol(String value) { set(labelCol, value); return this; }
    public FashionClassifier setImageCol(String value) { set(imageCol, value); return this; }
    public FashionClassifier setValidationIndicatorCol(String value) {
        set(validationIndicatorCol, value);
        return this;
    }
    public FashionClassifier setValidationFraction(double value) { set(validationFraction, value); return this; }
    public FashionClassifier setPredictionCol(String value) { set(predictionCol, value); return this; }
    public FashionClassifier setPredictedClassCol(String value) { set(predictedClassCol, value); return this; }
    public FashionClassifier setProbabilityCol(String value) { set(probabilityCol, value); return this; }

    /** The training settings these parameters give, validated as {@code train} validates them. */
    TrainingConfig config(String data) {
        String dir = $(runDirectory);
        try {
            return TrainingDefaults.builder()
                    .model(ModelKind.parse($(model)))
                    .data(data)
                    .output(dir.isBlank() ? null : dir)
                    .overwrite((Boolean) $(overwrite))
                    .workers((Integer) $(workers))
                    .batchSize((Integer) $(batchSize))
                    .averagingFrequency((Integer) $(averagingFrequency))
                    .epochs((Integer) $(epochs))
                    .learningRate(isSet(learningRate) || !TrainingRecipe.isNotes($(recipe))
                            ? (Double) $(learningRate) : TrainingRecipe.NOTES_LEARNING_RATE)
                    .seed((Long) $(seed))
                    .evalEvery((Integer) $(evalEvery))
                    .recipe(namedRecipe($(recipe)))
                    .exchange(Exchange.named($(exchange)))
                    .trainLimit(0)
                    .testLimit(0)
                    .checkpointEveryEpochs(dir.isBlank() ? 0 : Integer.parseInt(
                            TrainingDefaults.of(TrainingOptions.CHECKPOINT_EVERY_EPOCHS)))
                    .build();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(inParamNames(e.getMessage()), e);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        List<String> fields = List.of(schema.fieldNames());
        String label = $(labelCol);
        if (!fields.contains(label) || !(schema.apply(label).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("label column '" + label + "' must be a numeric column of labels 0 to "
                    + "9; the columns are " + schema.simpleString() + " (set labelCol)");
        }
        String image = $(imageCol);
        if (!fields.contains(image)) {
            throw new IllegalArgumentException("no image column '" + image + "' among " + String.join(", ", fields)
                    + " (set imageCol)");
        }
        ImageInput.of(image, schema.apply(image).dataType());
        String indicator = $(validationIndicatorCol);
        if (!indicator.isBlank() && (!fields.contains(indicator)
                || !(schema.apply(indicator).dataType() instanceof BooleanType))) {
            throw new IllegalArgumentException("validationIndicatorCol '" + indicator + "' must be a boolean column");
        }
        return new FashionClassifierModel("schema", new byte[0]).setImageCol(image)
                .setPredictionCol($(predictionCol)).setPredictedClassCol($(predictedClassCol))
                .setProbabilityCol($(probabilityCol)).transformSchema(schema);
    }

    @Override
    public FashionClassifierModel fit(Dataset<?> dataset) {
        long wallStart = System.nanoTime();
        transformSchema(dataset.schema(), true);
        String label = $(labelCol);
        String image = $(imageCol);
        String indicator = $(validationIndicatorCol);
        TrainingConfig cfg = config("Spark DataFrame (label column '" + label + "', image column '" + image + "')");
        RuntimeVersions runtime = RuntimeVersions.detect();
        runtime.requireCompatible();

        Dataset<Row> df = dataset.toDF();
        List<Row> examples = df.select(df.col(label), df.col(image), (indicator.isBlank() ? functions.lit(false)
                        : df.col(indicator).equalTo(true)).as("validation"))
                .mapPartitions(new ToExamples(image, ImageInput.of(image, dataset.schema().apply(image).dataType())),
                        Encoders.row(new StructType().add("label", DataTypes.IntegerType)
                                .add("pixels", DataTypes.BinaryType).add("validation", DataTypes.BooleanType)))
                .collectAsList();
        LabelledImages[] split = split(examples, !indicator.isBlank(), cfg);
        if (split[0].size() < cfg.imagesPerStep()) {
            throw new IllegalArgumentException(split[0].size() + " training rows are fewer than one step needs ("
                    + cfg.workers() + " workers x batch " + cfg.batchSize() + ")");
        }
        if (split[1].size() == 0) {
            throw new IllegalArgumentException("no rows to test on: mark some with validationIndicatorCol, or raise "
                    + "validationFraction");
        }

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        if (sc.master().startsWith("local")) {
            // As for train's embedded master: the workers are threads of this JVM and share its cores.
            NativeThreads.useBlasThreads(NativeThreads.perWorker(cfg.workers()));
        }
        TaskSlots.awaitCluster(sc, cfg.workers());
        TrainingJob job = new TrainingJob(sc, cfg, Versions.of(runtime));
        List<ConsoleSink> console = List.of(new ConsoleSink(System.out));
        TrainingJob.Trained trained;
        try {
            if ($(runDirectory).isBlank()) {
                trained = job.inMemory(split[0], split[1], console);
            } else {
                RunDirectory run = RunDirectory.prepare(cfg.run().output(), cfg.run().overwrite(), sc.hadoopConfiguration());
                run.writeAtomically(RunDirectory.CONFIG, o -> RunSummary.mapper().writeValue(o, cfg));
                trained = job.intoRunDirectory(run, null, split[0], split[1], console,
                        ModelSummary.of(cfg.model(), cfg.seed()), wallStart,
                        message -> System.err.println("fashion-spark: warning: " + message));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        FashionClassifierModel fitted = FashionClassifierModel.of(uid, trained.modelZip(), "the fitted model")
                .setImageCol(image).setPredictionCol($(predictionCol)).setPredictedClassCol($(predictedClassCol))
                .setProbabilityCol($(probabilityCol));
        fitted.setParent(this);
        return fitted;
    }

    /** Training and validation images, in the rows' order; without an indicator, a seeded random share. */
    private LabelledImages[] split(List<Row> rows, boolean byIndicator, TrainingConfig cfg) {
        SplittableRandom random = new SplittableRandom(cfg.seed());
        double fraction = (Double) $(validationFraction);
        ByteArrayOutputStream[] pixels = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        ByteArrayOutputStream[] labels = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        for (Row row : rows) {
            boolean validation = byIndicator ? row.getBoolean(2) : random.nextDouble() < fraction;
            int k = validation ? 1 : 0;
            pixels[k].writeBytes((byte[]) row.get(1));
            labels[k].write(row.getInt(0));
        }
        LabelledImages[] out = new LabelledImages[2];
        String[] names = {"DataFrame training rows", "DataFrame validation rows"};
        for (int k = 0; k < 2; k++) {
            byte[] l = labels[k].toByteArray();
            out[k] = new LabelledImages(names[k], new RawImages(l.length, FashionMnistFiles.ROWS,
                    FashionMnistFiles.COLS, pixels[k].toByteArray()), l);
        }
        return out;
    }

    /** Decodes the images on the executors into 784 grey levels; a label outside 0 to 9 or a bad image fails. */
    private static final class ToExamples implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final String imageColumn;
        private final ImageInput form;

        ToExamples(String imageColumn, ImageInput form) {
            this.imageColumn = imageColumn;
            this.form = form;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            List<Row> out = new ArrayList<>();
            while (rows.hasNext()) {
                Row row = rows.next();
                if (row.isNullAt(0)) {
                    throw new DataException("a row has no label (null)");
                }
                double label = ((Number) row.get(0)).doubleValue();
                if (label != Math.rint(label) || label < 0 || label >= FashionMnistFiles.NUM_CLASSES) {
                    throw new DataException("label " + label + " is not a class of FashionMNIST (0 to 9)");
                }
                byte[] pixels;
                try {
                    pixels = form.pixels(row.get(1));
                } catch (DataException | ClassCastException e) {
                    throw new DataException("image column '" + imageColumn + "': " + e.getMessage(), e);
                }
                out.add(RowFactory.create((int) label, pixels, !row.isNullAt(2) && row.getBoolean(2)));
            }
            return out.iterator();
        }
    }

    @Override
    public FashionClassifier copy(ParamMap extra) {
        return (FashionClassifier) defaultCopy(extra);
    }

    /** Reads an estimator saved with {@code write().save(path)} (or inside a Pipeline). */
    public static MLReader<FashionClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static FashionClassifier load(String path) {
        return read().load(path);
    }
}
