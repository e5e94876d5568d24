package io.fashionspark.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.model.ModelKind;
import io.fashionspark.model.ModelSummary;
import io.fashionspark.savedmodel.SavedModel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code summary}: an architecture's layers, or a saved model's provenance and layers. */
@Command(name = SummaryCommand.NAME, mixinStandardHelpOptions = true,
        description = {"Prints an architecture's layers with output shapes and parameter counts, or, for a saved",
            "model.zip, where it came from (settings, versions, git commit, data digests, final test accuracy)",
            "and its layers."})
final class SummaryCommand implements Callable<Integer> {
    static final String NAME = "summary";
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "dnn|cnn|lenet|FILE",
            description = "An architecture (dnn: FashionDNN, cnn: FashionCNN, lenet: LeNet-5) or a model.zip that "
                    + "train wrote (local path or Hadoop URI).")
    String model;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelKind kind = architecture(model);
        if (kind != null) {
            out.print(ModelSummary.of(kind, 42).toTable());
        } else {
            SavedModel saved = SavedModel.load(model, new Configuration());
            out.printf("%s: %s, %,d parameters%n", model, saved.architecture(), saved.parameters());
            out.print(saved.provenance().map(p -> p.toText())
                    .orElse("No provenance: this model.zip was written before models recorded where they came "
                            + "from.%n".formatted()));
            saved.kind().ifPresent(k -> out.print(ModelSummary.of(k, saved.network()).toTable()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The architecture {@code value} names, or null when it names a file. */
    private static ModelKind architecture(String value) {
        try {
            return ModelKind.parse(value);
        } catch (IllegalArgumentException e) {
            if (!value.contains("/") && !value.contains(".")) {
                // A mistyped architecture, not a file: say what the choices are.
                throw new ConfigException(e.getMessage() + ", or give a model.zip file");
            }
            return null;
        }
    }
}
