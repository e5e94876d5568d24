package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fashionspark.model.ModelKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The project's FashionDNN and FashionCNN compute the reference PyTorch models: with the same weights and minibatch
 * (dropout off on both sides), the loss and every parameter's gradient agree with what the PyTorch reference script's
 * own model classes compute. Needs python3-torch; skipped without it.
 */
class ReferenceGradientsTest {
    private static final int EXAMPLES = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A DL4J parameter, the name PyTorch gives it and the layout change between the two. */
    private record Mapping(String dl4j, String torch, UnaryOperator<INDArray> toTorch, UnaryOperator<INDArray> back) {
        static Mapping same(String dl4j, String torch) {
            return new Mapping(dl4j, torch, a -> a, a -> a);
        }

        /** Biases and batch norm's gamma and beta: DL4J's [1, n], PyTorch's [n]. */
        static Mapping vector(String dl4j, String torch) {
            return new Mapping(dl4j, torch, a -> a.reshape(a.length()), a -> a);
        }

        /** DL4J keeps dense weights as [in, out], PyTorch as [out, in]. */
        static Mapping transposed(String dl4j, String torch) {
            return new Mapping(dl4j, torch, INDArray::transpose, INDArray::transpose);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"DNN", "CNN"})
    void lossAndGradientsAreThoseOfTheReferencePyTorchModel(ModelKind kind) throws Exception {
        PyTorchReference.Environment env = PyTorchReference.find("auto", 1);
        assumeTrue(env != null, "python3-torch is not installed");

        MultiLayerNetwork net = kind.factory().create(42, 1e-3);
        net.getLayer("drop").conf().getLayer().setIDropout(null); // the same function on both sides
        Nd4j.getRandom().setSeed(7);
        long[] shape = kind.factory().exampleShape();
        long[] batchShape = new long[shape.length + 1];
        batchShape[0] = EXAMPLES;
        System.arraycopy(shape, 0, batchShape, 1, shape.length);
        INDArray x = Nd4j.rand(DataType.FLOAT, batchShape);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, EXAMPLES, 10);
        float[] classes = new float[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            classes[i] = (i * 3) % 10;
            labels.putScalar(i, (int) classes[i], 1.0);
        }
        net.setInput(x);
        net.setLabels(labels);
        net.computeGradientAndScore();
        Map<String, INDArray> dl4jGradients = net.gradient().gradientForVariable();

        List<Mapping> mappings = kind == ModelKind.DNN ? dnnMappings() : cnnMappings();
        ObjectNode params = JSON.createObjectNode();
        for (Mapping m : mappings) {
            INDArray p = m.toTorch().apply(net.getParam(m.dl4j())).dup('c');
            write(m.torch(), p);
            params.set(m.torch(), JSON.valueToTree(p.shape()));
        }
        // For one input channel DL4J's NHWC images and PyTorch's NCHW ones are the same bytes.
        long[] torchShape = kind == ModelKind.CNN ? new long[] {EXAMPLES, 1, 28, 28} : new long[] {EXAMPLES, 784};
        write("x", x);
        write("labels", Nd4j.createFromArray(classes));
        ObjectNode manifest = JSON.createObjectNode();
        manifest.set("params", params);
        manifest.set("x", JSON.valueToTree(torchShape));
        Files.writeString(dir.resolve("manifest.json"), manifest.toString());

        JsonNode result = runReference(env, kind);
        // DL4J's score is the mean loss; its gradients are sums over the minibatch (its updater divides).
        assertEquals(result.get("loss").asDouble(), net.score(), 1e-5, "loss");
        for (Mapping m : mappings) {
            INDArray torchGrad = read("grad_" + m.torch(), m.toTorch().apply(net.getParam(m.dl4j())).shape());
            INDArray ours = dl4jGradients.get(m.dl4j()).div(EXAMPLES);
            INDArray theirs = m.back().apply(torchGrad).reshape(ours.shape());
            double scale = theirs.amaxNumber().doubleValue();
            double diff = ours.sub(theirs).amaxNumber().doubleValue();
            // Relative to the gradient's size; the floor is for biases in front of batch norm, whose gradients are
            // rounding noise on both sides.
            assertTrue(diff <= 1e-4 * scale + 1e-6,
                    kind + " " + m.dl4j() + " (" + m.torch() + "): max difference " + diff + " at scale " + scale);
        }
    }

    private static List<Mapping> dnnMappings() {
        return List.of(Mapping.transposed("0_W", "fc1.weight"), Mapping.vector("0_b", "fc1.bias"),
                Mapping.transposed("2_W", "fc2.weight"), Mapping.vector("2_b", "fc2.bias"),
                Mapping.transposed("3_W", "fc3.weight"), Mapping.vector("3_b", "fc3.bias"));
    }

    /**
     * FashionCNN's layers: 0 conv1, 1 bn1, 4 conv2, 5 bn2, 8 fc1, 10 fc2, 11 fc3. Convolution weights share the
     * [out, in, kH, kW] layout; fc1's inputs are the flattened 6 x 6 x 64 activations, in (h, w, c) order in DL4J's
     * channels-last layout and (c, h, w) order in PyTorch's.
     */
    private static List<Mapping> cnnMappings() {
        UnaryOperator<INDArray> fc1ToTorch = w -> w.reshape('c', 6, 6, 64, 600).permute(2, 0, 1, 3).dup('c')
                .reshape('c', 2304, 600).transpose();
        UnaryOperator<INDArray> fc1Back = w -> w.transpose().dup('c').reshape('c', 64, 6, 6, 600).permute(1, 2, 0, 3)
                .dup('c').reshape('c', 2304, 600);
        return List.of(Mapping.same("0_W", "layer1.0.weight"), Mapping.vector("0_b", "layer1.0.bias"),
                Mapping.vector("1_gamma", "layer1.1.weight"), Mapping.vector("1_beta", "layer1.1.bias"),
                Mapping.same("4_W", "layer2.0.weight"), Mapping.vector("4_b", "layer2.0.bias"),
                Mapping.vector("5_gamma", "layer2.1.weight"), Mapping.vector("5_beta", "layer2.1.bias"),
                new Mapping("8_W", "fc1.weight", fc1ToTorch, fc1Back), Mapping.vector("8_b", "fc1.bias"),
                Mapping.transposed("10_W", "fc2.weight"), Mapping.vector("10_b", "fc2.bias"),
                Mapping.transposed("11_W", "fc3.weight"), Mapping.vector("11_b", "fc3.bias"));
    }

    private JsonNode runReference(PyTorchReference.Environment env, ModelKind kind) throws Exception {
        Path script = Path.of(ReferenceGradientsTest.class.getResource("/reference_gradients.py").toURI());
        Process p = new ProcessBuilder(env.python(), script.toString(), env.script().toString(), kind.cliName(),
                dir.toString()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "reference_gradients.py timed out");
        assertEquals(0, p.exitValue(), err);
        String[] lines = new String(out, StandardCharsets.UTF_8).strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    private void write(String name, INDArray a) throws IOException {
        float[] values = a.dup('c').reshape(a.length()).toFloatVector();
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.write(dir.resolve(name + ".f32"), bytes.array());
    }

    private INDArray read(String name, long[] shape) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name + ".f32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return Nd4j.create(values, shape, 'c');
    }

}
