package io.fashionspark.ml;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Setting;
import io.fashionspark.config.SettingValues;
import io.fashionspark.config.Settings;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingDefaults;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.DataException;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.data.RawImages;
import io.fashionspark.job.TrainingJob;
import io.fashionspark.metrics.ConsoleSink;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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

    /**
     * A parameter for each setting the estimator takes ({@link Setting#inEstimator()}), named after its field; keyed
     * by the setting's option, since an estimator is serialisable and a declaration is not.
     */
    private final Map<String, Param<?>> settings = new LinkedHashMap<>();
    private final Param<String> runDirectory;
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
        for (Setting<?> s : Settings.all()) {
            if (s.inEstimator()) {
                settings.put(s.option(), newParam(s));
            }
        }
        runDirectory = new Param<>(this, "runDirectory", "where to write the run as train "
                + "does (local path or Hadoop URI); empty: write nothing");
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
        allParams = java.util.stream.Stream.concat(settings.values().stream(), java.util.stream.Stream.of(
                runDirectory, labelCol, imageCol, validationIndicatorCol, validationFraction, predictionCol,
                predictedClassCol, probabilityCol)).toArray(Param<?>[]::new);
        SettingValues defaults = TrainingDefaults.values();
        settings.forEach((option, p) -> {
            Setting<?> s = Settings.named(option);
            setDefault(untyped(p), typed(s) ? defaults.get(s) : s.defaultText());
        });
        setDefault(runDirectory, "");
        setDefault(labelCol, "label");
        setDefault(imageCol, "image");
        setDefault(validationIndicatorCol, "");
        setDefault(validationFraction, 0.1);
        setDefault(predictionCol, "prediction");
        setDefault(predictedClassCol, "predictedClass");
        setDefault(probabilityCol, "probability");
    }

    /** All parameters: Spark ML finds a class's own by reflection on its getters, which these derived ones lack. */
    private final Param<?>[] allParams;

    @Override
    public Param<?>[] params() {
        return allParams == null ? new Param<?>[0] : allParams;
    }

    /**
     * The parameter of {@code setting}: typed where its values are plain numbers or a flag, text otherwise (a choice,
     * or a number that may be {@value TrainingRecipe#AUTO}). Its validator is the setting's own check.
     */
    private Param<?> newParam(Setting<?> setting) {
        String name = setting.field();
        String doc = setting.help();
        scala.Function1<Object, Object> valid = validator(setting.option());
        Class<?> type = setting.type().javaType();
        if (!typed(setting)) {
            return new Param<String>(this, name, doc, untypedValidator(valid));
        } else if (type == Integer.class) {
            return new IntParam(this, name, doc, valid);
        } else if (type == Double.class) {
            return new DoubleParam(this, name, doc, valid);
        } else if (type == Long.class) {
            return new LongParam(this, name, doc, valid);
        } else {
            return new BooleanParam(this, name, doc);
        }
    }

    /** Whether {@code setting}'s parameter holds its value (a number or a flag) rather than its text. */
    private static boolean typed(Setting<?> setting) {
        Class<?> type = setting.type().javaType();
        return !setting.type().auto() && (type == Integer.class || type == Double.class || type == Long.class
                || type == Boolean.class);
    }

    @SuppressWarnings("unchecked")
    private static Param<Object> untyped(Param<?> p) {
        return (Param<Object>) p;
    }

    @SuppressWarnings("unchecked")
    private static <T> scala.Function1<T, Object> untypedValidator(scala.Function1<Object, Object> f) {
        return (scala.Function1<T, Object>) (scala.Function1<?, Object>) f;
    }

    /** {@code train}'s own check of a setting's value; its message in parameter names. */
    private static scala.Function1<Object, Object> validator(String option) {
        return MlParams.validator(v -> {
            try {
                Settings.named(option).parse(String.valueOf(v));
                return true;
            } catch (ConfigException e) {
                throw new IllegalArgumentException(inParamNames(e.getMessage()), e);
            }
        });
    }

    private static String inParamNames(String message) {
        String m = message;
        for (Setting<?> s : Settings.all()) {
            m = m.replace(s.option(), s.field());
        }
        return m;
    }

    /**
     * Sets a setting the estimator takes (any of {@code train}'s but the data, the run directory, the limits and the
     * checkpoints) from its text, as {@code train} reads it: {@code setSetting(Settings.LR_DECAY, "step")}. A bad
     * value fails here, with {@code train}'s message in parameter names.
     */
    public FashionClassifier setSetting(Setting<?> setting, String text) {
        Param<?> p = param(setting);
        Object value;
        try {
            value = typed(setting) ? setting.parse(text) : text;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(inParamNames(e.getMessage()), e);
        }
        set(untyped(p), value);
        return this;
    }

    /** The parameter of a setting the estimator takes, to read it ({@code getOrDefault}) or put it in a ParamMap. */
    public Param<?> param(Setting<?> setting) {
        Param<?> p = settings.get(setting.option());
        if (p == null) {
            throw new IllegalArgumentException(setting + " is not a parameter of the estimator");
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private <P extends Param<?>> P typedParam(Setting<?> setting) {
        return (P) param(setting);
    }

    @Override
    public String uid() {
        return uid;
    }

    // Parameters, with setters that return this estimator.
    // The settings' parameters most set, with setters that return this estimator; the others through param().
    public Param<String> model() { return typedParam(Settings.MODEL); }
    public IntParam workers() { return typedParam(Settings.WORKERS); }
    public IntParam batchSize() { return typedParam(Settings.BATCH_SIZE); }
    public IntParam averagingFrequency() { return typedParam(Settings.AVERAGING_FREQUENCY); }
    public IntParam epochs() { return typedParam(Settings.EPOCHS); }
    public DoubleParam learningRate() { return typedParam(Settings.LEARNING_RATE); }
    public LongParam seed() { return typedParam(Settings.SEED); }
    public IntParam evalEvery() { return typedParam(Settings.EVAL_EVERY); }
    public Param<String> recipe() { return typedParam(Settings.RECIPE); }
    public Param<String> exchange() { return typedParam(Settings.EXCHANGE); }
    public BooleanParam overwrite() { return typedParam(Settings.OVERWRITE); }
    public Param<String> runDirectory() { return runDirectory; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> imageCol() { return imageCol; }
    public Param<String> validationIndicatorCol() { return validationIndicatorCol; }
    public DoubleParam validationFraction() { return validationFraction; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> predictedClassCol() { return predictedClassCol; }
    public Param<String> probabilityCol() { return probabilityCol; }

    public FashionClassifier setModel(String value) { set(model(), value); return this; }
    public FashionClassifier setWorkers(int value) { set(workers(), value); return this; }
    public FashionClassifier setBatchSize(int value) { set(batchSize(), value); return this; }
    public FashionClassifier setAveragingFrequency(int value) { set(averagingFrequency(), value); return this; }
    public FashionClassifier setEpochs(int value) { set(epochs(), value); return this; }
    public FashionClassifier setLearningRate(double value) { set(learningRate(), value); return this; }
    public FashionClassifier setSeed(long value) { set(seed(), value); return this; }
    public FashionClassifier setEvalEvery(int value) { set(evalEvery(), value); return this; }
    public FashionClassifier setRecipe(String value) { set(recipe(), value); return this; }
    public FashionClassifier setExchange(String value) { set(exchange(), value); return this; }
    public FashionClassifier setRunDirectory(String value) { set(runDirectory, value); return this; }
    public FashionClassifier setOverwrite(boolean value) { set(overwrite(), value); return this; }
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

    /**
     * The training settings these parameters give, validated as {@code train} validates them: a parameter set here is
     * given as on {@code train}'s command line, the others take {@code train}'s defaults. The estimator reads no
     * files: no limits; checkpoints only where it writes a run directory.
     */
    TrainingConfig config(String data) {
        String dir = $(runDirectory);
        try {
            SettingValues values = SettingValues.read(s -> s == Settings.DATA ? data
                    : s == Settings.OUTPUT ? dir
                    : settings.containsKey(s.option()) ? String.valueOf($(param(s)))
                    : s == Settings.CHECKPOINT_EVERY_EPOCHS && dir.isBlank() ? "0"
                    : s.defaultText(), s -> settings.containsKey(s.option()) && isSet(param(s)));
            return new TrainingConfig.Builder(values).build();
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
