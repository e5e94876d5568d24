package io.fashionspark.config;

import static io.fashionspark.config.Setting.Concern.RUN;
import static io.fashionspark.config.Setting.Concern.TRAINING;

import io.fashionspark.config.Setting.Type;
import io.fashionspark.config.TrainingRecipe.AdamState;
import io.fashionspark.config.TrainingRecipe.LrDecay;
import io.fashionspark.config.TrainingRecipe.LrScaling;
import io.fashionspark.model.ModelKind;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Every training setting, each declared once, in the order {@code --help} and the defaults file list them. A new
 * setting is a declaration here, a component of the record it belongs to ({@link Setting.Concern}: {@link
 * RunSettings}, {@link TrainingConfig} or {@link TrainingRecipe}), named after its {@link Setting#field()}, with its
 * {@link Setting#require} check in that record's constructor, its use, and its docs; {@code conf/
 * fashion-spark.properties} is then written again with {@code train --print-config}.
 */
public final class Settings {
    private static final Type<ModelKind> MODEL_KIND = new Type<>(ModelKind.class, "one of " + ModelKind.names(),
            ModelKind::parse);
    private static final Type<Exchange> EXCHANGE_KIND = new Type<>(Exchange.class, "one of driver|allreduce",
            text -> {
                try {
                    return Exchange.named(text);
                } catch (ConfigException e) {
                    throw new IllegalArgumentException();
                }
            });
    /** Adam's usual beta2 as text (a constant: reading it does not initialise TrainingRecipe, which reads these). */
    private static final String USUAL_ADAM_BETA2 = String.valueOf(TrainingRecipe.USUAL_ADAM_BETA2);
    /** A run directory, or none where the text is empty. */
    private static final Type<String> PATH_OR_NONE = new Type<>(String.class, "a path", t -> t.isEmpty() ? null : t);

    public static final Setting<ModelKind> MODEL = Setting.of("--model", TRAINING, MODEL_KIND)
            .label("dnn|cnn|lenet").byDefault("cnn").inEstimator()
            .help("Architecture: dnn (FashionDNN, 235k parameters, fast), cnn (FashionCNN, 1.48M parameters, about 3 "
                    + "points more accurate, about 10x slower) or lenet (LeNet-5, 62k parameters).")
            .declare();

    public static final Setting<String> DATA = Setting.of("--data", RUN, Type.TEXT).label("DIR|URI").notEmpty()
            .byDefault("/usr/share/datasets/fashion-mnist")
            .help("Directory with the four FashionMNIST idx files (train-/t10k- images-idx3-ubyte / "
                    + "labels-idx1-ubyte, gzip'd or raw), a local path or any Hadoop URI (hdfs://...). Debian's "
                    + "dataset-fashion-mnist package installs them at the default.")
            .declare();

    public static final Setting<String> OUTPUT = Setting.of("--output", RUN, PATH_OR_NONE).label("DIR|URI")
            .notEmpty().optional().byDefault("")
            .help("Run directory for model.zip, metrics.jsonl, metrics.csv, summary.json, report.html and "
                    + "checkpoints; a local path or Hadoop URI. Empty: runs/<model>-<date>-<time> under the working "
                    + "directory.")
            .declare();

    public static final Setting<Boolean> OVERWRITE = Setting.of("--overwrite", RUN, Type.FLAG).label("true|false")
            .byDefault("false").whenAbsent("false")
            .inEstimator()
            .help("Replace the files of an existing run directory.")
            .declare();

    public static final Setting<Integer> WORKERS = Setting.of("--workers", TRAINING, Type.WHOLE).label("N")
            .byDefault("2").must(v -> v >= 1, "at least 1").what("the number of parallel model replicas")
            .inEstimator()
            .help("Model replicas trained in parallel (one Spark partition, one task each). Match the task slots "
                    + "you have: on one machine, its cores. More workers see more images per step, but the "
                    + "averaged model moves less per image.")
            .declare();

    public static final Setting<Integer> BATCH_SIZE = Setting.of("--batch-size", TRAINING, Type.WHOLE).label("N")
            .byDefault("100").must(v -> v >= 1, "at least 1").what("examples per minibatch on each worker")
            .inEstimator()
            .help("Examples per minibatch on each worker (the reference uses 100). Larger batches use the CPU "
                    + "better per image and need more memory (the FashionCNN's activations grow with it), but make "
                    + "fewer updates per epoch.")
            .declare();

    public static final Setting<Integer> AVERAGING_FREQUENCY = Setting.of("--averaging-frequency", TRAINING,
                    Type.WHOLE).label("N")
            .byDefault("5").must(v -> v >= 1, "at least 1").what("minibatches between parameter averagings")
            .inEstimator()
            .help("Minibatches each worker fits between two parameter averagings. 1 behaves like one machine "
                    + "training with a larger batch but pays a round every step; 20 and above is cheaper, but the "
                    + "replicas drift apart.")
            .declare();

    public static final Setting<Integer> EPOCHS = Setting.of("--epochs", TRAINING, Type.WHOLE).label("N")
            .byDefault("5").must(v -> v >= 1, "at least 1").what("passes over the training set").inEstimator()
            .help("Passes over the 60,000 training images.")
            .declare();

    public static final Setting<Double> LEARNING_RATE = Setting.of("--learning-rate", TRAINING, Type.NUMBER)
            .label("RATE").byDefault("0.002").notes("0.001")
            .must(v -> v > 0 && !v.isInfinite(), "a positive number").hint("the reference uses 0.001").inEstimator()
            .help("Adam's learning rate: the tuned recipe's base rate, scaled by lr-scaling (the reference notes "
                    + "use 0.001, which recipe=notes keeps unless the rate is given on the command line). Higher "
                    + "trains faster until it diverges (a NaN loss stops the run).")
            .declare();

    public static final Setting<Long> SEED = Setting.of("--seed", TRAINING, Type.LONG).label("N").byDefault("42")
            .inEstimator()
            .help("Seeds the initial weights, dropout and each epoch's shuffle: with the same seed and settings a "
                    + "run repeats bit for bit on the same machine, at any worker count with exchange=allreduce "
                    + "and up to 8 workers with exchange=driver (docs/reproducibility.md).")
            .declare();

    public static final Setting<Integer> EVAL_EVERY = Setting.of("--eval-every", RUN, Type.WHOLE)
            .label("ITERATIONS").byDefault("50").whenAbsent("0").must(v -> v >= 0, "0 or more").inEstimator()
            .help("Test the averaged model on all test images every this many iterations (one iteration: every "
                    + "worker fits one minibatch), and at each epoch's end; 0 tests at epoch ends only. The "
                    + "reference tests every 50; each test costs about as much as training 1/6 as many images.")
            .declare();

    public static final Setting<Integer> TRAIN_LIMIT = Setting.of("--train-limit", RUN, Type.WHOLE).label("N")
            .byDefault("0").whenAbsent("0").must(v -> v >= 0, "0 or more")
            .help("Train on the first N images only (0: all); for quick trials.")
            .declare();

    public static final Setting<Integer> TEST_LIMIT = Setting.of("--test-limit", RUN, Type.WHOLE).label("N")
            .byDefault("0").whenAbsent("0").must(v -> v >= 0, "0 or more")
            .help("Test on the first N images only (0: all).")
            .declare();

    public static final Setting<Integer> CHECKPOINT_EVERY_EPOCHS = Setting.of("--checkpoint-every-epochs", RUN,
                    Type.WHOLE).label("EPOCHS")
            .byDefault("1").whenAbsent("0").must(v -> v >= 0, "0 or more")
            .help("Write a checkpoint (model, Adam state, progress, in <run>/checkpoints, for train --resume) at "
                    + "the end of every this many epochs (0: none at epoch ends). Each costs one model write (2.7 "
                    + "MB FashionDNN, 17 MB FashionCNN).")
            .declare();

    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.of("--checkpoint-every", RUN, Type.WHOLE)
            .label("ITERATIONS").byDefault("0").whenAbsent("0").must(v -> v >= 0, "0 or more")
            .help("Also write one every this many iterations, at the end of the averaging round that passes it "
                    + "(0: off). Less work lost to a crash, more writes.")
            .declare();

    public static final Setting<Integer> KEEP_CHECKPOINTS = Setting.of("--keep-checkpoints", RUN, Type.WHOLE)
            .label("N").byDefault("2").whenAbsent("1").must(v -> v >= 1, "at least 1")
            .what("checkpoints kept in the run directory")
            .help("How many of the newest checkpoints to keep; older ones are deleted once a newer one is complete.")
            .declare();

    public static final Setting<String> RECIPE = Setting.of("--recipe", TRAINING, Type.TEXT).label("tuned|notes")
            .byDefault(TrainingRecipe.TUNED).whenAbsent(TrainingRecipe.NOTES_NAME)
            .must(v -> v.equalsIgnoreCase(TrainingRecipe.TUNED) || v.equalsIgnoreCase(TrainingRecipe.NOTES_NAME),
                    TrainingRecipe.TUNED + " (the schedule and averaging settings) or " + TrainingRecipe.NOTES_NAME
                            + " (the reference notes' set-up)")
            .inEstimator()
            .help("tuned: the learning-rate schedule and averaging settings that follow, whose defaults measured "
                    + "best of those tried with 1 to 8 workers (docs/scaling.md); notes: the reference notes' "
                    + "set-up, Adam at a constant rate of 0.001 and plain averaging (the settings that follow must "
                    + "then be left alone).")
            .declare();

    public static final Setting<LrScaling> LR_SCALING = Setting.of("--lr-scaling", Setting.Concern.RECIPE, Type.choice(
                    LrScaling.class)).label("none|linear|sqrt")
            .byDefault("linear").notes("none").inEstimator()
            .help("Peak rate = learning-rate times 1 (none), the worker count (linear) or its square root (sqrt). "
                    + "Each step averages workers x batch images, so it can take a larger step; linear needs a "
                    + "warm-up.")
            .declare();

    public static final Setting<Double> LR_WARMUP_EPOCHS = Setting.of("--lr-warmup-epochs", Setting.Concern.RECIPE,
                    Type.NUMBER)
            .label("EPOCHS").byDefault("1").notes("0")
            .must(v -> v >= 0 && !v.isInfinite(), "0 or more epochs").inEstimator()
            .help("Climb linearly to the peak rate over this many epochs (fractions allowed; 0: none), but over "
                    + "at most a fifth of the run: a run of 1 epoch warms up over 0.2 of it, one of 2 epochs over "
                    + "0.4, one of 5 epochs or more over the epochs given here.")
            .declare();

    public static final Setting<LrDecay> LR_DECAY = Setting.of("--lr-decay", Setting.Concern.RECIPE,
                    Type.choice(LrDecay.class))
            .label("constant|cosine|step").byDefault("cosine").notes("constant").inEstimator()
            .help("After the warm-up: stay at the peak (constant), fall along half a cosine to 0 at the last "
                    + "iteration (cosine), or drop to 1/10 at half the iterations and 1/100 at three quarters "
                    + "(step). A decay depends on epochs: a resumed run that trains longer stretches it.")
            .declare();

    public static final Setting<Double> SYNC_EPOCHS = Setting.of("--sync-epochs", Setting.Concern.RECIPE, Type.NUMBER)
            .label("EPOCHS").byDefault("0").notes("0").must(v -> v >= 0 && !v.isInfinite(), "0 or more epochs")
            .inEstimator()
            .help("Average after every minibatch for this many epochs first, then every averaging-frequency "
                    + "(post-local SGD; 0: off).")
            .declare();

    public static final Setting<Double> BLOCK_MOMENTUM = Setting.of("--block-momentum", Setting.Concern.RECIPE,
                    Type.NUMBER)
            .label("M").byDefault("0").notes("0").must(v -> v >= 0 && v < 1, "at least 0 and below 1")
            .hint("0 is plain averaging; 1 - 1/workers is the usual choice").inEstimator()
            .help("Block momentum on the driver (BMUF): each round's averaged change of the weights is added to M "
                    + "times the last one (0: plain averaging; 1 - 1/workers is usual). Speeds up training with "
                    + "many workers; too high overshoots.")
            .declare();

    public static final Setting<Double> BLOCK_LEARNING_RATE = Setting.of("--block-learning-rate",
                    Setting.Concern.RECIPE, Type.NUMBER).label("R")
            .byDefault("1").notes("1").must(v -> v > 0 && !v.isInfinite(), "a positive number")
            .hint("1 is plain averaging").inEstimator()
            .help("Scale of each round's averaged change in block momentum (1: plain averaging).")
            .declare();

    public static final Setting<Boolean> BLOCK_NESTEROV = Setting.of("--block-nesterov", Setting.Concern.RECIPE,
                    Type.FLAG)
            .label("true|false").byDefault("false").notes("false").inEstimator()
            .help("Start each round from the block momentum's look-ahead point (Nesterov).")
            .declare();

    public static final Setting<AdamState> ADAM_STATE = Setting.of("--adam-state", Setting.Concern.RECIPE, Type.choice(
                    AdamState.class)).label("averaged|reset")
            .byDefault("averaged").notes("averaged").inEstimator()
            .help("Adam's moment estimates travel with the weights and are averaged each round (averaged), or "
                    + "every round's workers start them afresh (reset: a third of the bytes per round).")
            .declare();

    public static final Setting<Double> ADAM_BETA2 = Setting.of("--adam-beta2", Setting.Concern.RECIPE,
                    Type.NUMBER.orAuto("a number between 0 and 1")).label("B|auto")
            .byDefault(TrainingRecipe.AUTO).notes(USUAL_ADAM_BETA2).whenAbsent(USUAL_ADAM_BETA2)
            .must(v -> v > 0 && v < 1, "above 0 and below 1")
            .hint("0.999 is Adam's usual value; " + TrainingRecipe.AUTO + " takes the model's own").inEstimator()
            .help("Decay of Adam's second-moment estimate: 0.999 is Adam's usual value (about 1,000 steps of "
                    + "memory); lower adapts sooner to a rate that moves. auto: the model's own measured value, "
                    + "from conf/recipes.properties.")
            .declare();

    public static final Setting<Integer> MAX_GLOBAL_BATCH = Setting.of("--max-global-batch", Setting.Concern.RECIPE,
                    Type.WHOLE)
            .label("IMAGES").byDefault("200").notes("0").must(v -> v >= 0, "0 (no limit) or more images")
            .inEstimator()
            .help("The most images one averaged step takes in over all workers (workers x batch-size; 0: no "
                    + "limit). Above it each worker's minibatch shrinks to IMAGES / workers (8 workers: 25), "
                    + "keeping the steps per epoch, and the accuracy, as workers grow; smaller minibatches cost "
                    + "images/s (docs/scaling.md).")
            .declare();

    public static final Setting<Integer> SYNC_WORKERS = Setting.of("--sync-workers", Setting.Concern.RECIPE,
                    Type.WHOLE.orAuto("a whole number")).label("N|auto")
            .byDefault(TrainingRecipe.AUTO).notes("0").whenAbsent("0")
            .must(v -> v >= 0, "0 (never) or a number of workers")
            .hint(TrainingRecipe.AUTO + " takes the model's own").inEstimator()
            .help("From this many workers on, average after every minibatch, whatever averaging-frequency says "
                    + "(0: never): with the rate scaled by the workers, replicas that fit several minibatches "
                    + "apart drift further than their average makes up. Every step then pays a round, which costs "
                    + "images/s. auto: the model's own measured value, from conf/recipes.properties.")
            .declare();

    public static final Setting<Exchange> EXCHANGE = Setting.of("--exchange", TRAINING, EXCHANGE_KIND)
            .label("driver|allreduce").byDefault("allreduce").whenAbsent("driver").inEstimator()
            .help("Where the replicas are averaged each round. allreduce: the workers average among themselves "
                    + "with a ring all-reduce over Spark's own transport (authenticated and encrypted as the "
                    + "cluster is), in one Spark barrier stage that runs from one test or checkpoint to the next; "
                    + "the driver sees the model only there. It needs every worker running at once (as many task "
                    + "slots as workers; no dynamic allocation); with fewer slots the driver averages instead, with "
                    + "a warning. driver: dl4j-spark's parameter averaging; every round is one Spark job (a "
                    + "broadcast of the model and Adam's state, one task per worker, every result back to the "
                    + "driver): for clusters that cannot give every worker a slot at once. Both give the same model "
                    + "up to float rounding; allreduce measured faster at 1, 2 and 8 workers for both models "
                    + "(docs/exchange.md).")
            .declare();

    private static final List<Setting<?>> ALL = declared();

    private Settings() {
    }

    /** Every setting, in the order declared. */
    public static List<Setting<?>> all() {
        return ALL;
    }

    /** The setting whose option (or properties key) is {@code name}; null where none is. */
    public static Setting<?> named(String name) {
        for (Setting<?> s : ALL) {
            if (s.option().equals(name) || s.key().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static List<Setting<?>> declared() {
        List<Setting<?>> settings = new ArrayList<>();
        for (Field f : Settings.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers())
                    && f.getType() == Setting.class) {
                try {
                    settings.add((Setting<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return List.copyOf(settings);
    }
}
