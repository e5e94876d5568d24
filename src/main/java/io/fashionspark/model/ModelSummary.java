package io.fashionspark.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Layer-by-layer shapes and parameter counts of a network, as MODELS.md tabulates them. */
public record ModelSummary(String model, List<Row> rows, long trainableParams, long totalParams,
                           long activationsPerImage) {

    /** One layer: output shape without the minibatch dimension, (channels, height, width) for images. */
    public record Row(int index, String name, String type, String outputShape, long trainableParams) {
    }

    /** Batch norm's running mean and variance live in DL4J's parameter vector but are not trained by gradient. */
    private static boolean isTrainable(String paramKey) {
        return !(paramKey.equals(BatchNormalizationParamInitializer.GLOBAL_MEAN)
                || paramKey.equals(BatchNormalizationParamInitializer.GLOBAL_VAR)
                || paramKey.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
    }

    /** The summary of {@code kind} as initialised with {@code seed} (what a run of that architecture trains). */
    public static ModelSummary of(ModelKind kind, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(kind.factory().configuration(seed, 1e-3));
        net.init();
        return of(kind, net);
    }

    public static ModelSummary of(ModelKind kind, MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        List<InputType> outputs = conf.getLayerActivationTypes(kind.factory().inputType());
        List<Row> rows = new ArrayList<>();
        long trainable = 0;
        long activations = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            activations += outputs.get(i).arrayElementsPerExample();
            long layerTrainable = 0;
            for (Map.Entry<String, INDArray> p : net.getLayer(i).paramTable().entrySet()) {
                if (isTrainable(p.getKey())) {
                    layerTrainable += p.getValue().length();
                }
            }
            trainable += layerTrainable;
            var layerConf = conf.getConf(i).getLayer();
            rows.add(new Row(i, layerConf.getLayerName(), layerConf.getClass().getSimpleName(),
                    shape(outputs.get(i)), layerTrainable));
        }
        return new ModelSummary(kind.displayName(), List.copyOf(rows), trainable, net.numParams(), activations);
    }

    private static String shape(InputType t) {
        long[] s = t.getShape(false);
        if (t instanceof InputType.InputTypeConvolutional c) {
            s = new long[] {c.getChannels(), c.getHeight(), c.getWidth()};
        }
        return Arrays.stream(s).mapToObj(Long::toString).reduce((a, b) -> a + "x" + b).orElse("");
    }

    /** The table a person reads on the console. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s%n", model));
        // Columns as wide as their longest entry: the kernels' layer types are longer than DL4J's.
        int typeWidth = Math.max("type".length(), rows.stream().mapToInt(r -> r.type().length()).max().orElse(0));
        String header = "%-3s %-8s %-" + typeWidth + "s %-12s %12s%n";
        String row = "%-3d %-8s %-" + typeWidth + "s %-12s %,12d%n";
        sb.append(String.format(header, "#", "name", "type", "output", "params"));
        for (Row r : rows) {
            sb.append(String.format(row, r.index(), r.name(), r.type(), r.outputShape(), r.trainableParams()));
        }
        sb.append(String.format("Trainable parameters: %,d%n", trainableParams));
        if (totalParams != trainableParams) {
            sb.append(String.format("(DL4J also stores %,d batch-norm running statistics: %,d values in all)%n",
                    totalParams - trainableParams, totalParams));
        }
        return sb.toString();
    }
}
