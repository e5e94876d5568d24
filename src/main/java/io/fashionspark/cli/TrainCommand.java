package io.fashionspark.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Exchange;
import io.fashionspark.config.Setting;
import io.fashionspark.config.SettingValues;
import io.fashionspark.config.Settings;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingDefaults;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.data.SplitOverlap;
import io.fashionspark.job.TrainingJob;
import io.fashionspark.metrics.ConsoleSink;
import io.fashionspark.metrics.EpochProgress;
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
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code train}: one model, trained on Spark with parameter averaging, into a run directory. */
@Command(name = TrainCommand.NAME, mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        modelTransformer = TrainCommand.SettingOptions.class,
        description = {"Trains a model on FashionMNIST across Spark executors with parameter averaging.",
            "Defaults are the settings' own, as conf/fashion-spark.properties lists them (--print-config writes it);",
            "--config FILE lays a file of settings over them, and options given here override both."})
final class TrainCommand implements Callable<Integer> {
    static final String NAME = "train";
    /** Options of this command alone; the settings a run records are {@link Settings}. */
    static final String RESUME = "--resume";
    static final String PROGRESS = "--progress";
    static final String DRY_RUN = "--dry-run";
    static final String PRINT_CONFIG = "--print-config";

    @Spec
    CommandSpec spec;

    @Option(names = ConfigDefaults.OPTION, paramLabel = "FILE",
            description = "Properties file with option defaults (keys are option names without dashes).")
    Path config;

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

    @Option(names = PRINT_CONFIG, description = "Print the settings as a properties file for --config, each with "
            + "its help, and train nothing: with no other options, conf/fashion-spark.properties.")
    boolean printConfig;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    /** Every setting's option, as its declaration gives it ({@link Settings}): its value is read from the parse. */
    static final class SettingOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            for (Setting<?> s : Settings.all()) {
                OptionSpec.Builder option = OptionSpec.builder(s.option()).description(s.help());
                option.type(String.class).paramLabel(s.label());
                if (s.type() == Setting.Type.FLAG) {
                    // A switch: given alone it is true; its text stays the setting's, for --config and --print-config.
                    option.arity("0..1").fallbackValue("true");
                }
                command.addOption(option.build());
            }
            return command;
        }
    }

    /**
     * Options that cannot go with --resume: every setting but --epochs (a resumed run keeps its own), and --config
     * and --dry-run.
     */
    private static final List<String> RUN_DEFINING = Stream.concat(
            Settings.all().stream().filter(o -> o != Settings.EPOCHS).map(Setting::option),
            Stream.of(ConfigDefaults.OPTION, DRY_RUN)).toList();

    @Override
    public Integer call() throws Exception {
        if (printConfig) {
            spec.commandLine().getOut().print(TrainingDefaults.file(this::text));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
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

    /** A new run's settings, from the command line, --config and the defaults. */
    private TrainingConfig newConfig() {
        SettingValues values = SettingValues.read(this::text, this::given);
        if (values.get(Settings.OUTPUT) == null) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            values.with(Settings.OUTPUT, "runs/" + values.get(Settings.MODEL).cliName() + "-" + stamp);
        }
        return new TrainingConfig.Builder(values).build();
    }

    /** A setting's text as this command line, --config and the defaults give it. */
    private String text(Setting<?> setting) {
        Object value = spec.findOption(setting.option()).getValue();
        return value == null ? null : value.toString();
    }

    /** Whether a setting was given on the command line (not by --config or the defaults). */
    private boolean given(Setting<?> setting) {
        return spec.commandLine().getParseResult().hasMatchedOption(setting.option());
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
                    Settings.BATCH_SIZE, asked.batchSize(), Settings.MAX_GLOBAL_BATCH,
                    cfg.recipe().maxGlobalBatch());
        }
        if (cfg.averagingFrequency() < asked.averagingFrequency()) {
            out.printf("Averaging after every minibatch: %d workers reach %s %d%n", cfg.workers(),
                    Settings.SYNC_WORKERS, cfg.recipe().syncWorkers());
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
            ParameterAveragingTrainer.requireRunnable(cfg.exchange(), sc.getConf());
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
        String averaging = cfg.workers() == 1 ? "one replica, nothing to average"
                : (cfg.exchange() == Exchange.DRIVER ? "the driver averages the replicas (driver)"
                : "the workers average among themselves (allreduce)") + " every "
                + (cfg.averagingFrequency() == 1 ? "minibatch" : cfg.averagingFrequency() + " minibatches");
        out.printf("Training %s on %d images (testing on %d): %s, batch %d, %s; %s; run directory %s%n",
                cfg.model().displayName(), images.train().size(), images.test().size(),
                count(cfg.workers(), "worker", "workers"), cfg.batchSize(), count(cfg.epochs(), "epoch", "epochs"),
                averaging, run.location());
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
                        + RunDirectory.CONFIG + "); " + option + " cannot be changed, only " + Settings.EPOCHS);
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
        return given(Settings.EPOCHS) ? stored.withEpochs(Settings.EPOCHS.parse(text(Settings.EPOCHS))) : stored;
    }

    /** The last complete checkpoint, checked against what is left to train. */
    private static RunCheckpoints.Loaded resumePoint(RunDirectory run, TrainingConfig cfg, int trainImages) {
        RunCheckpoints.Loaded from = new RunCheckpoints(run, cfg.run().keepCheckpoints()).latest()
                .orElseThrow(() -> new OutputException(run.location() + ": has no complete checkpoint to resume from"
                        + " (checkpoints are written every " + Settings.CHECKPOINT_EVERY_EPOCHS + " epochs and "
                        + Settings.CHECKPOINT_EVERY + " iterations)"));
        int steps = ParameterAveragingTrainer.stepsPerEpoch(cfg, trainImages);
        TrainingProgress p = from.progress();
        boolean finished = p.epoch() > cfg.epochs() || (p.epoch() == cfg.epochs() && p.stepsDoneInEpoch() >= steps);
        if (finished) {
            throw new ConfigException(run.location() + " has already trained " + p.epoch() + " epochs (iteration "
                    + p.iteration() + "); give " + Settings.EPOCHS + " with more than " + p.epoch() + " to train longer");
        }
        return from;
    }

    private void warn(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("fashion-spark: warning: " + message);
        err.flush();
    }

    /** "1 epoch", "5 epochs": the count with its noun. */
    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
