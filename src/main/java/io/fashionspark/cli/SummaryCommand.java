package io.fashionspark.cli;

import io.fashionspark.model.ModelKind;
import io.fashionspark.model.ModelSummary;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code summary}: each layer with its output shape and parameter count. */
@Command(name = SummaryCommand.NAME, mixinStandardHelpOptions = true,
        description = "Prints a model's layers with output shapes and parameter counts.")
final class SummaryCommand implements Callable<Integer> {
    static final String NAME = "summary";
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, converter = ModelConverter.class,
            description = "Architecture: dnn (FashionDNN), cnn (FashionCNN) or lenet (LeNet-5).")
    ModelKind model;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(summarize(model, 42).toTable());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    static ModelSummary summarize(ModelKind kind, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(kind.factory().configuration(seed, 1e-3));
        net.init();
        return ModelSummary.of(kind, net);
    }
}
