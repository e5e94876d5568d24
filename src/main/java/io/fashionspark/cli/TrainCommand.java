package io.fashionspark.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Exchange;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingOptions;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.data.SplitOverlap;
import io.fashionspark.job.TrainingJob;
import io.fashionspark.metrics.ConsoleSink;
import io.fashionspark.metrics.EpochProgress;
import io.fashionspark.model.ModelKind;
import io.fashionspark.model.ModelSummary;
import io.fashionspark.rundir.NoSpaceLeftException;
import io.fashionspark.rundir.OutputException;
import io.fashionspark.rundir.RunDirectory;
import io.fashionspark.rundir.RunSummary;
import io.fashionspark.runtime.BuildInfo;
import io.fashionspark.runtime.NativeDefaults;
import io.fashionspark.runtime.OffHeapCheck;
import io.fashionspark.runtime.RuntimeVersions;
import io.fashionspark.runtime.SparkContexts;
import io.fashionspark.runtime.TaskSlots;
import io.fashionspark.runtime.Versions;
import io.fashionspark.train.ParameterAveragingTrainer;
import io.fashionspark.train.RunCheckpoints;
import io.fashionspark.train.TrainingOutcome;
import io.fashionspark.train.TrainingProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: one model, trained on Spark with parameter averaging, into a run directory. */
@Command(name = TrainCommand.NAME, mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Trains a model on FashionMNIST across Spark executors with parameter averaging.",
            "Defaults come from conf/fashion-spark.properties (bundled in the jar) or --config FILE."})
final class TrainCommand implements Callable<Integer> {
    static final String NAME = "train";
    /** Options of this command alone; the settings a run records are {@link TrainingOptions}. */
    static final String RESUME = "--resume";
    static final String PROGRESS = "--progress";
    static final String DRY_RUN = "--dry-run";

    @Spec
    CommandSpec spec;

    @Option(names = ConfigDefaults.OPTION, paramLabel = "FILE",
            description = "Properties file with option defaults (keys are option names without dashes).")
    Path config;

    @Option(names = TrainingOptions.MODEL, converter = ModelConverter.class,
            description = "Architecture: dnn (FashionDNN, 235k params, fast), cnn (FashionCNN, 1.48M params, "
                    + "~3 points more accurate, ~10x slower) or lenet (LeNet-5, 62k params).")
    ModelKind model;

    @Option(names = TrainingOptions.DATA, paramLabel = "DIR|URI",
            description = "Directory with the four FashionMNIST idx files (gzip'd or raw), a local path or any "
                    + "Hadoop URI (hdfs://...).")
    String data;

    @Option(names = TrainingOptions.OUTPUT, paramLabel = "DIR|URI",
            description = "Run directory for model.zip, metrics.jsonl, metrics.csv, summary.json, report.html; "
                    + "local path or Hadoop URI. Empty: runs/<model>-<date>-<time>.")
    String output;

    @Option(names = TrainingOptions.OVERWRITE, description = "Replace the files of an existing run directory.")
    boolean overwrite;

    @Option(names = TrainingOptions.WORKERS,
            description = "Model replicas trained in parallel (Spark partitions). Match the cluster's task slots: "
                    + "more workers see more images per step but average more often-divergent replicas.")
    Integer workers;

    @Option(names = TrainingOptions.BATCH_SIZE,
            description = "Minibatch size per worker. Larger is faster per image on CPU but takes fewer steps per "
                    + "epoch; the reference uses 100.")
    Integer batchSize;

    @Option(names = TrainingOptions.AVERAGING_FREQUENCY,
            description = "Minibatches each worker fits between parameter averagings. Low: replicas stay close "
                    + "(accuracy like one machine) but every round pays broadcast and aggregation; high: less "
                    + "overhead, replicas drift apart.")
    Integer averagingFrequency;

    @Option(names = TrainingOptions.EPOCHS, description = "Passes over the training set.")
    Integer epochs;

    @Option(names = TrainingOptions.LEARNING_RATE, description = "Adam's learning rate. Too high diverges; too low learns slowly.")
    Double learningRate;

    @Option(names = TrainingOptions.SEED, description = "Seeds weight initialisation, dropout and the per-epoch shuffle.")
    Long seed;

    @Option(names = TrainingOptions.EVAL_EVERY, paramLabel = "ITERATIONS",
            description = "Test the averaged model on the whole test set every this many iterations (and at each "
                    + "epoch's end; 0: epoch ends only). Each test costs about as much as training 1/6 as many "
                    + "images.")
    Integer evalEvery;

    @Option(names = TrainingOptions.TRAIN_LIMIT, paramLabel = "N", description = "Train on the first N images only (0: all).")
    Integer trainLimit;

    @Option(names = TrainingOptions.TEST_LIMIT, paramLabel = "N", description = "Test on the first N images only (0: all).")
    Integer testLimit;

    @Option(names = TrainingOptions.CHECKPOINT_EVERY_EPOCHS, paramLabel = "EPOCHS",
            description = "Write a checkpoint (model, Adam state, progress) at the end of every this many epochs "
                    + "(0: not at epoch ends). Each costs one model write (2.7 MB DNN, 17 MB CNN).")
    Integer checkpointEveryEpochs;

    @Option(names = TrainingOptions.CHECKPOINT_EVERY, paramLabel = "ITERATIONS",
            description = "Also write one every this many iterations, at the end of the averaging round that passes "
                    + "it (0: off). Less work lost to a crash, more writes.")
    Integer checkpointEvery;

    @Option(names = TrainingOptions.KEEP_CHECKPOINTS, paramLabel = "N",
            description = "Newest checkpoints kept in <run>/checkpoints; older ones are deleted once a newer one is "
                    + "complete.")
    Integer keepCheckpoints;

    @Option(names = TrainingOptions.RECIPE, paramLabel = "tuned|notes",
            description = "tuned: the learning-rate schedule and averaging options below (their defaults are the "
                    + "recipe that measured best, docs/scaling.md); notes: the reference notes' set-up, Adam at a "
                    + "constant --learning-rate and plain averaging (the options below must then be left alone).")
    String recipe;

    @Option(names = TrainingOptions.LR_SCALING, paramLabel = "none|linear|sqrt",
            description = "Peak rate = --learning-rate times 1, the worker count, or its square root. Each step "
                    + "averages workers x batch images, so it can take a larger step; linear needs a warm-up.")
    String lrScaling;

    @Option(names = TrainingOptions.LR_WARMUP_EPOCHS, paramLabel = "EPOCHS",
            description = "Climb linearly to the peak rate over this many epochs (fractions allowed; 0: none). "
                    + "Protects the first steps from a scaled-up rate; too long wastes training at a low rate.")
    String lrWarmupEpochs;

    @Option(names = TrainingOptions.LR_DECAY, paramLabel = "constant|cosine|step",
            description = "After the warm-up: stay at the peak, fall along half a cosine to 0 at the last "
                    + "iteration, or drop to 1/10 at half the iterations and 1/100 at three quarters. Decay "
                    + "usually adds accuracy at the end but depends on --epochs: a resumed run that trains longer "
                    + "stretches it.")
    String lrDecay;

    @Option(names = TrainingOptions.SYNC_EPOCHS, paramLabel = "EPOCHS",
            description = "Average after every minibatch for this many epochs first, then every "
                    + "--averaging-frequency (post-local SGD; 0: off). Holds accuracy with many workers; each "
                    + "synchronous round costs a broadcast and an aggregation.")
    String syncEpochs;

    @Option(names = TrainingOptions.BLOCK_MOMENTUM, paramLabel = "M",
            description = "Block momentum on the driver (BMUF): each round's averaged change of the weights is "
                    + "added to M times the last one (0: plain averaging; 1 - 1/workers is usual). Speeds up "
                    + "training with many workers; too high overshoots.")
    String blockMomentum;

    @Option(names = TrainingOptions.BLOCK_LEARNING_RATE, paramLabel = "R",
            description = "Scale of each round's averaged change in block momentum (1: plain averaging).")
    String blockLearningRate;

    @Option(names = TrainingOptions.BLOCK_NESTEROV, paramLabel = "true|false",
            description = "Start each round from the block momentum's look-ahead point (Nesterov).")
    String blockNesterov;

    @Option(names = TrainingOptions.ADAM_STATE, paramLabel = "averaged|reset",
            description = "Adam's moment estimates travel with the weights and are averaged (averaged), or every "
                    + "round's workers start them afresh (reset: a third of the bytes per round).")
    String adamState;

    @Option(names = TrainingOptions.ADAM_BETA2, paramLabel = "B|auto",
            description = "Decay of Adam's second-moment estimate (0.999: Adam's usual value, about 1,000 steps of "
                    + "memory; lower adapts sooner to a moving rate). auto: the model's own measured value, in "
                    + "conf/recipes.properties.")
    String adamBeta2;

    @Option(names = TrainingOptions.MAX_GLOBAL_BATCH, paramLabel = "IMAGES",
            description = "The most images one averaged step takes in over all workers (workers x --batch-size); "
                    + "above it each worker's minibatch shrinks to IMAGES / workers (0: no limit). Keeps the "
                    + "steps per epoch, and so the accuracy, as workers grow; smaller minibatches cost images/s.")
    String maxGlobalBatch;

    @Option(names = TrainingOptions.EXCHANGE, paramLabel = "driver|allreduce",
            description = "Where the replicas are averaged each round: driver (dl4j-spark's parameter averaging, "
                    + "one Spark job a round) or allreduce (the workers average among themselves in a Spark barrier "
                    + "stage; the driver gets the model only to test or checkpoint it). Needs every worker running "
                    + "at once.")
    String exchange;

    @Option(names = TrainingOptions.SYNC_WORKERS, paramLabel = "N|auto",
            description = "From N workers on, average after every minibatch, whatever --averaging-frequency says "
                    + "(0: never). The worker-scaled rate makes replicas that fit several minibatches apart drift "
                    + "further than their average makes up; every step's round costs images/s. auto: the model's "
                    + "own measured value, in conf/recipes.properties.")
    String syncWorkers;

    @Option(names = RESUME, paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its last complete checkpoint, with its own settings "
                    + "(config.json); only --epochs may be given, to train longer. Metrics logged after that "
                    + "checkpoint are dropped and logged again as training redoes them.")
    String resume;

    @Option(names = PROGRESS, paramLabel = "auto|bar|lines|none",
            description = "Progress through each epoch: a bar redrawn in place (bar), a line every tenth of an epoch "
                    + "(lines), or none; auto: bar on a terminal, lines otherwise (logs, CI).")
    String progress;

    @Option(names = DRY_RUN, description = "Print the resolved configuration and the model summary; train nothing.")
    boolean dryRun;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    /**
     * Options that cannot go with --resume: every setting but --epochs (a resumed run keeps its own), and --config
     * and --dry-run.
     */
    private static final List<String> RUN_DEFINING = Stream.concat(
            TrainingOptions.all().stream().filter(o -> !o.equals(TrainingOptions.EPOCHS)),
            Stream.of(ConfigDefaults.OPTION, DRY_RUN)).toList();

    @Override
    public Integer call() throws Exception {
        EpochProgress.Mode progressMode = progressMode();
        TrainingConfig cfg = resume != null ? resumedConfig() : newConfig();
        ModelSummary modelSummary = ModelSummary.of(cfg.model(), cfg.seed());
        sayWhatTheRecipeChanged(cfg);
        if (dryRun) {
            return showConfiguration(cfg, modelSummary);
        }
        long wallStart = System.nanoTime();
        Versions built = checkRuntime();
        if (SparkContexts.embedded()) {
            TaskSlots.requireEmbeddedRoom(modelSummary, cfg.batchSize(), cfg.workers());
        }
        try (JavaSparkContext sc = startSpark(cfg, modelSummary)) {
            FashionMnistFiles.Splits images = loadImages(cfg, sc);
            RunDirectory run = resume != null ? RunDirectory.existing(resume, sc.hadoopConfiguration())
                    : RunDirectory.prepare(cfg.run().output(), cfg.run().overwrite(), sc.hadoopConfiguration());
            RunCheckpoints.Loaded from = resume != null ? resumePoint(run, cfg, images.train().size()) : null;
            run.writeAtomically(RunDirectory.CONFIG, o -> RunSummary.mapper().writeValue(o, cfg));
            announce(cfg, images, run, from);
            TrainingOutcome outcome = train(sc, cfg, built, run, from, images, progressMode, modelSummary, wallStart);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Final test accuracy %.2f%% after %d iterations; %.0f images/s; wrote %s%n",
                    100 * outcome.finalEvaluation().accuracy(), outcome.iterations(), outcome.imagesPerSecond(),
                    run.location());
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** A new run's settings, from the command line and conf/. */
    private TrainingConfig newConfig() {
        return TrainingConfig.builder().model(model).data(data).output(resolveOutput()).overwrite(overwrite)
                .workers(workers).batchSize(batchSize).averagingFrequency(averagingFrequency).epochs(epochs)
                .learningRate(baseLearningRate()).seed(seed).evalEvery(evalEvery).trainLimit(trainLimit)
                .testLimit(testLimit).checkpointEveryEpochs(checkpointEveryEpochs)
                .checkpointEvery(checkpointEvery).keepCheckpoints(keepCheckpoints).recipe(recipe())
                .exchange(Exchange.named(exchange)).build();
    }

    /** Where the recipe runs other than as asked (a smaller batch, averaging after every minibatch), says so. */
    private void sayWhatTheRecipeChanged(TrainingConfig cfg) {
        TrainingConfig.Asked asked = cfg.asked();
        if (resume != null || asked == null) {
            return;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (cfg.batchSize() < asked.batchSize()) {
            out.printf("Batch %d per worker: %d workers x %s %d exceed %s %d%n", cfg.batchSize(), cfg.workers(),
                    TrainingOptions.BATCH_SIZE, asked.batchSize(), TrainingOptions.MAX_GLOBAL_BATCH,
                    cfg.recipe().maxGlobalBatch());
        }
        if (cfg.averagingFrequency() < asked.averagingFrequency()) {
            out.printf("Averaging after every minibatch: %d workers reach %s %d%n", cfg.workers(),
                    TrainingOptions.SYNC_WORKERS, cfg.recipe().syncWorkers());
        }
    }

    /** {@code --dry-run}: the resolved settings and the layer table, and nothing trained. */
    private int showConfiguration(TrainingConfig cfg, ModelSummary modelSummary) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Configuration: " + RunSummary.mapper().writeValueAsString(cfg));
        out.print(modelSummary.toTable());
        out.flush();
        return ExitCodes.OK;
    }

    /** The versions this runs on, said once and refused where they cannot work. */
    private Versions checkRuntime() {
        RuntimeVersions versions = RuntimeVersions.detect();
        // The same versions go to the console, summary.json and the model's provenance.
        Versions built = Versions.of(versions);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("fashion-spark %s on Spark %s, Scala %s, Java %s; DL4J %s, dl4j-spark %s, ND4J backend %s%n",
                built.fashionSpark(), built.spark(), built.scala(), built.java(), built.dl4j(), built.dl4jSpark(),
                built.nd4jBackend());
        out.flush();
        versions.requireCompatible();
        if (!versions.isTestedSpark()) {
            warn("built and tested against Spark " + BuildInfo.get("spark.version") + "; this is Spark "
                    + versions.spark());
        }
        return built;
    }

    /** The Spark context, once the cluster has the task slots the workers need. */
    private JavaSparkContext startSpark(TrainingConfig cfg, ModelSummary modelSummary) {
        JavaSparkContext sc = SparkContexts.create("fashion-spark " + cfg.model().cliName(), cfg.workers());
        try {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Spark master %s, application %s; ND4J %s%n", sc.master(), sc.sc().applicationId(),
                    Nd4j.getBackend().getClass().getSimpleName());
            out.flush();
            TaskSlots.awaitCluster(sc, cfg.workers());
            for (String warning : OffHeapCheck.warnings(sc.getConf(), modelSummary, cfg.batchSize(), cfg.workers(),
                    Runtime.getRuntime().maxMemory(), System.getProperty(NativeDefaults.MAX_PHYSICAL_BYTES))) {
                warn(warning);
            }
            return sc;
        } catch (RuntimeException e) {
            sc.close();
            throw e;
        }
    }

    /** The training and test images, cut to --train-limit and --test-limit. */
    private FashionMnistFiles.Splits loadImages(TrainingConfig cfg, JavaSparkContext sc) {
        FashionMnistFiles.Splits splits = FashionMnistFiles.load(cfg.run().data(), sc.hadoopConfiguration());
        LabelledImages train = cfg.run().trainLimit() > 0 ? splits.train().head(cfg.run().trainLimit()) : splits.train();
        LabelledImages test = cfg.run().testLimit() > 0 ? splits.test().head(cfg.run().testLimit()) : splits.test();
        String overlap = SplitOverlap.warning(train, test);
        if (overlap != null) {
            warn(overlap);
        }
        return new FashionMnistFiles.Splits(train, test);
    }

    private void announce(TrainingConfig cfg, FashionMnistFiles.Splits images, RunDirectory run,
                          RunCheckpoints.Loaded from) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Training %s on %d images (testing on %d) with %d workers, batch %d, averaging every %d, "
                + "%d epochs, averaging %s; run directory %s%n", cfg.model().displayName(), images.train().size(),
                images.test().size(), cfg.workers(), cfg.batchSize(), cfg.averagingFrequency(), cfg.epochs(),
                cfg.exchange() == Exchange.DRIVER ? "on the driver" : "among the workers (allreduce)",
                run.location());
        out.printf("Recipe: Adam %s, peak %s; %s%n", cfg.learningRate(), cfg.peakLearningRate(),
                cfg.recipe().describe());
        if (from != null) {
            out.printf("Resuming from %s: epoch %d, iteration %d%n", from.file(), from.progress().epoch(),
                    from.progress().iteration());
        }
        out.flush();
    }

    /** Trains into the run directory; a full disk ends in a sentence that says how to go on. */
    private TrainingOutcome train(JavaSparkContext sc, TrainingConfig cfg, Versions built, RunDirectory run,
                                  RunCheckpoints.Loaded from, FashionMnistFiles.Splits images,
                                  EpochProgress.Mode progressMode, ModelSummary modelSummary, long wallStart)
            throws IOException {
        try {
            return new TrainingJob(sc, cfg, built).intoRunDirectory(run, from, images.train(), images.test(),
                    List.of(new EpochProgress(System.out, progressMode,
                                    ParameterAveragingTrainer.stepsPerEpoch(cfg, images.train().size()), cfg.epochs(),
                                    cfg.imagesPerStep()),
                            new ConsoleSink(System.out)),
                    modelSummary, wallStart, this::warn).outcome();
        } catch (NoSpaceLeftException e) {
            boolean resumable = new RunCheckpoints(run, cfg.run().keepCheckpoints()).latest().isPresent();
            throw e.withAdvice(resumable
                    ? "free some space, then continue the run with " + RESUME + " " + run.location()
                    : "free some space and run it again (no checkpoint was complete yet)");
        }
    }

    /**
     * The notes' set-up is Adam at the notes' rate: the tuned recipe's default rate applies to it only when given on
     * the command line.
     */
    private double baseLearningRate() {
        return TrainingRecipe.isNotes(recipe) && !spec.commandLine().getParseResult().hasMatchedOption(TrainingOptions.LEARNING_RATE)
                ? TrainingRecipe.NOTES_LEARNING_RATE : learningRate;
    }

    /** The recipe --recipe names; the notes' set-up refuses the tuned recipe's options rather than ignore them. */
    private TrainingRecipe recipe() {
        if (TrainingRecipe.isNotes(recipe)) {
            for (String option : TrainingRecipe.OPTIONS) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new ConfigException(option + " is part of the tuned recipe; " + TrainingOptions.RECIPE + " "
                            + TrainingRecipe.NOTES_NAME + " trains with a constant rate and plain averaging");
                }
            }
        }
        return TrainingRecipe.named(recipe, option -> switch (option) {
            case TrainingOptions.LR_SCALING -> lrScaling;
            case TrainingOptions.LR_WARMUP_EPOCHS -> lrWarmupEpochs;
            case TrainingOptions.LR_DECAY -> lrDecay;
            case TrainingOptions.SYNC_EPOCHS -> syncEpochs;
            case TrainingOptions.BLOCK_MOMENTUM -> blockMomentum;
            case TrainingOptions.BLOCK_LEARNING_RATE -> blockLearningRate;
            case TrainingOptions.BLOCK_NESTEROV -> blockNesterov;
            case TrainingOptions.ADAM_STATE -> adamState;
            case TrainingOptions.ADAM_BETA2 -> adamBeta2;
            case TrainingOptions.MAX_GLOBAL_BATCH -> maxGlobalBatch;
            case TrainingOptions.SYNC_WORKERS -> syncWorkers;
            default -> throw new IllegalArgumentException(option);
        });
    }

    private EpochProgress.Mode progressMode() {
        String mode = progress == null ? "auto" : progress.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (mode) {
            case "auto" -> EpochProgress.detect();
            case "bar" -> EpochProgress.Mode.BAR;
            case "lines" -> EpochProgress.Mode.LINES;
            case "none" -> EpochProgress.Mode.NONE;
            default -> throw new ConfigException(PROGRESS + " must be auto, bar, lines or none, got '" + progress + "'");
        };
    }

    /** The resumed run's own settings; --epochs alone may change (to train longer). */
    private TrainingConfig resumedConfig() {
        for (String option : RUN_DEFINING) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new ConfigException(RESUME + " continues " + resume + " with its own settings (its "
                        + RunDirectory.CONFIG + "); " + option + " cannot be changed, only " + TrainingOptions.EPOCHS);
            }
        }
        RunDirectory run = RunDirectory.existing(resume, new Configuration());
        TrainingConfig stored;
        try {
            stored = RunSummary.mapper().readValue(run.read(RunDirectory.CONFIG), TrainingConfig.class);
        } catch (java.io.IOException e) {
            throw new OutputException(run.path(RunDirectory.CONFIG) + ": cannot be read as a run configuration: "
                    + e.getMessage(), e);
        }
        boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption(TrainingOptions.EPOCHS);
        return epochsGiven ? stored.withEpochs(epochs) : stored;
    }

    /** The last complete checkpoint, checked against what is left to train. */
    private static RunCheckpoints.Loaded resumePoint(RunDirectory run, TrainingConfig cfg, int trainImages) {
        RunCheckpoints.Loaded from = new RunCheckpoints(run, cfg.run().keepCheckpoints()).latest()
                .orElseThrow(() -> new OutputException(run.location() + ": has no complete checkpoint to resume from"
                        + " (checkpoints are written every " + TrainingOptions.CHECKPOINT_EVERY_EPOCHS + " epochs and "
                        + TrainingOptions.CHECKPOINT_EVERY + " iterations)"));
        int steps = ParameterAveragingTrainer.stepsPerEpoch(cfg, trainImages);
        TrainingProgress p = from.progress();
        boolean finished = p.epoch() > cfg.epochs() || (p.epoch() == cfg.epochs() && p.stepsDoneInEpoch() >= steps);
        if (finished) {
            throw new ConfigException(run.location() + " has already trained " + p.epoch() + " epochs (iteration "
                    + p.iteration() + "); give " + TrainingOptions.EPOCHS + " with more than " + p.epoch() + " to train longer");
        }
        return from;
    }

    private void warn(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("fashion-spark: warning: " + message);
        err.flush();
    }

    private String resolveOutput() {
        if (output != null && !output.isBlank()) {
            return output;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return "runs/" + model.cliName() + "-" + stamp;
    }
}
