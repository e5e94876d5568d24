package io.fashionspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fashionspark.IdxFixtures;
import io.fashionspark.model.ModelKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch reference as the bench runs it. Without torch, only that it is found missing; with Debian's
 * python3-torch installed, a few hundred images of each model through the script that the jar carries.
 */
class PyTorchReferenceTest {
    @TempDir
    Path tmp;

    @Test
    void aPythonThatIsNotThereIsNoEnvironment() throws Exception {
        assertNull(PyTorchReference.find(tmp.resolve("no-such-python3").toString(), 1));
    }

    @Test
    void trainsBothModelsOnTheSameImagesAndReportsItsBlas() throws Exception {
        PyTorchReference.Environment env = PyTorchReference.find("auto", 2);
        assumeTrue(env != null, "python3-torch is not installed");
        assertTrue(env.matmulGflops() > 0, env.info().toString());
        Path data = IdxFixtures.writeDataset(tmp.resolve("data"), 300, 100, 5);
        StringWriter log = new StringWriter();
        for (ModelKind m : new ModelKind[] {ModelKind.DNN, ModelKind.CNN}) {
            JsonNode r = PyTorchReference.train(env, m, data.toString(), 200, 0, 1, 50, 1e-3, 42, 2, 0, 0, 120,
                    new PrintWriter(log));
            assertNotNull(r, log.toString());
            assertEquals(200, r.get("images").asLong());
            assertEquals(2, r.get("threads").asInt());
            assertTrue(r.get("images_per_second").asDouble() > 0, r.toString());
            double acc = r.get("accuracy").asDouble();
            assertTrue(acc >= 0 && acc <= 1, r.toString());
        }
        // Time to accuracy on the synthetic data, which is easy: reached at an evaluation every 100 images.
        JsonNode r = PyTorchReference.train(env, ModelKind.DNN, data.toString(), 0, 0, 3, 50, 1e-3, 42, 2, 0.5,
                100, 120, new PrintWriter(log));
        assertNotNull(r, log.toString());
        JsonNode t = r.get("time_to_accuracy");
        assertTrue(t.get("reached").asBoolean(), r.toString());
        assertEquals(0, t.get("images").asLong() % 100, r.toString());
    }
}
