package io.fashionspark.bench.cli;

import io.fashionspark.cli.Main;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The workshop's commands, which measure the product: {@code bin/fashion-spark bench|scaling|round-cost} runs them
 * from {@code bench/target/fashion-spark-bench.jar}, and {@code deploy/standalone/submit.sh} submits them with the
 * job jar. Their options are their own: the training defaults of {@code conf/} do not apply.
 */
@Command(name = "fashion-spark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Measures fashion-spark: the bench against one JVM and PyTorch, the scaling study, and a",
            "round's cost on either exchange with its model."},
        subcommands = {BenchCommand.class, ScalingCommand.class, RoundCostCommand.class,
            CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line and returns the exit code; never exits the JVM (tests call this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return Main.execute(new BenchMain(), out, err, args, cli -> { });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
