package io.fashionspark.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.runtime.BuildInfo;
import io.fashionspark.runtime.NativeDefaults;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point for {@code java -jar} and {@code spark-submit --class io.fashionspark.cli.Main}. */
@Command(name = "fashion-spark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Trains FashionMNIST networks across a Spark cluster with DL4J parameter averaging,",
            "reports on the runs, evaluates models per class and classifies pictures of clothing with them."},
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ReportCommand.class,
            SummaryCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "bin/fashion-spark also runs bench, scaling and round-cost, which measure this program: they are "
            + "in the bench module's jar (bench/target/fashion-spark-bench.jar), not in this one."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        // Spark's YARN application master runs a cluster-mode driver's main in a thread and reports the application
        // as succeeded when main returns: exiting the JVM first makes YARN record it as failed.
        if (code != 0 || !inYarnApplicationMaster()) {
            System.exit(code);
        }
    }

    /** A cluster-mode driver on YARN: the application master has set Spark's configuration as system properties. */
    static boolean inYarnApplicationMaster() {
        return "yarn".equals(System.getProperty("spark.master"))
                && "cluster".equals(System.getProperty("spark.submit.deployMode"));
    }

    /** Runs the command line and returns the exit code; never exits the JVM (tests call this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return execute(new Main(), out, err, args, cli -> {
            ConfigDefaults defaults = ConfigDefaults.load(configFile(args));
            defaults.checkKeys(cli.getSubcommands().get(TrainCommand.NAME).getCommandSpec());
            cli.setDefaultValueProvider(defaults);
            cli.getSubcommands().get(EvaluateCommand.NAME)
                    .setDefaultValueProvider(defaults.only(EvaluateCommand.CONFIG_KEYS));
            cli.getSubcommands().get(PredictCommand.NAME)
                    .setDefaultValueProvider(defaults.only(PredictCommand.CONFIG_KEYS));
        });
    }

    /**
     * Runs {@code command}'s command line as this program runs its own (the bench module's too): ND4J's native
     * build chosen first, {@code configure}'s set-up (a {@link ConfigException} there is a usage error), then
     * one-sentence errors and this program's exit codes.
     */
    public static int execute(Object command, PrintWriter out, PrintWriter err, String[] args,
                              Consumer<CommandLine> configure) {
        // Before any ND4J class loads: choose the native build and enable DL4J's oneDNN helpers.
        try {
            NativeDefaults.apply();
        } catch (NativeDefaults.UnsupportedCpuException e) {
            err.println("fashion-spark: " + e.getMessage());
            return ExitCodes.RUNTIME_FAILURE;
        }
        CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        try {
            configure.accept(cli);
        } catch (ConfigException e) {
            err.println("fashion-spark: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        cli.setExecutionExceptionHandler(new Failures(err));
        cli.setParameterExceptionHandler(Failures::usage);
        return cli.execute(args);
    }

    /** {@code --config FILE} is read before the rest of the command line: it supplies the other options' defaults. */
    static Path configFile(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --version}: this build and what it was built against. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "fashion-spark " + BuildInfo.version(),
                "built against Spark " + BuildInfo.get("spark.version") + " (Scala "
                        + BuildInfo.get("scala.binary.version") + "), DL4J " + BuildInfo.get("dl4j.version")
                        + ", dl4j-spark " + BuildInfo.get("dl4j-spark.version") + ", ND4J backend "
                        + BuildInfo.get("nd4j.backend") + " " + BuildInfo.get("nd4j.classifier"),
                "running on Java " + System.getProperty("java.version")};
        }
    }
}
