package io.fashionspark.bench;

import io.fashionspark.model.ModelKind;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Floating-point work per image of a model, counted from its layer configuration: the multiply-adds (MACs) of the
 * convolutions ({@code out_h * out_w * out_c * k_h * k_w * in_c}) and of the dense layers ({@code in * out}).
 * Batch norm, activations, pooling, dropout, softmax and the optimiser step are left out (under 1% of the work of
 * these models). One MAC is 2 FLOPs; a training step costs about 3 forward passes (the forward pass, and the
 * backward pass's gradients for the layer inputs and for the weights).
 */
public final class FlopCounter {
    /** Training work per image, in forward passes. */
    public static final int TRAINING_PASSES = 3;

    private FlopCounter() {
    }

    /** One counted layer. */
    public record LayerMacs(String name, String type, long macs) {
    }

    /** The counted layers of one model. */
    public record Count(String model, List<LayerMacs> layers) {
        public long forwardMacs() {
            return layers.stream().mapToLong(LayerMacs::macs).sum();
        }

        public long forwardFlops() {
            return 2 * forwardMacs();
        }

        /** FLOPs to train on one image: forward plus backward. */
        public long trainingFlops() {
            return TRAINING_PASSES * forwardFlops();
        }
    }

    public static Count count(ModelKind kind) {
        MultiLayerConfiguration conf = kind.factory().configuration(1, 1e-3);
        List<InputType> outputs = conf.getLayerActivationTypes(kind.factory().inputType());
        List<LayerMacs> layers = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            long macs = macs(layer, outputs.get(i));
            if (macs > 0) {
                layers.add(new LayerMacs(layer.getLayerName(), layer.getClass().getSimpleName(), macs));
            }
        }
        return new Count(kind.displayName(), List.copyOf(layers));
    }

    /** Multiply-adds of one layer for one image, given the layer's output type; 0 for layers not counted. */
    static long macs(Layer layer, InputType output) {
        if (layer instanceof ConvolutionLayer conv) {
            if (!(output instanceof InputType.InputTypeConvolutional out)) {
                throw new IllegalArgumentException("convolution " + layer.getLayerName() + " outputs " + output);
            }
            int[] k = conv.getKernelSize();
            return out.getHeight() * out.getWidth() * conv.getNOut() * k[0] * k[1] * conv.getNIn();
        }
        if (layer instanceof DenseLayer dense) {
            return dense.getNIn() * dense.getNOut();
        }
        if (layer instanceof BaseOutputLayer outputLayer) {
            return outputLayer.getNIn() * outputLayer.getNOut();
        }
        return 0;
    }
}
