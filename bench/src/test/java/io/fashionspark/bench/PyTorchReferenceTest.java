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
            JsonNode r = PyTorchReference.train(env, m, data.toString(), 200, 0, 1, 50, 1e-3, 42, 2, 0, 120,
                    new PrintWriter(log));
            assertNotNull(r, log.toString());
            assertEquals(200, r.get("images").asLong());
            assertEquals(2, r.get("threads").asInt());
            assertTrue(r.get("images_per_second").asDouble() > 0, r.toString());
            double acc = r.get("accuracy").asDouble();
            assertTrue(acc >= 0 && acc <= 1, r.toString());
        }
        // A full run: 3 epochs of 300 images, tested every 100 on the way, with the training time before each test.
        JsonNode r = PyTorchReference.train(env, ModelKind.DNN, data.toString(), 0, 0, 3, 50, 1e-3, 42, 2, 100, 120,
                new PrintWriter(log));
        assertNotNull(r, log.toString());
        JsonNode evals = r.get("evaluations");
        assertEquals(9, evals.size(), r.toString());
        double before = 0;
        for (int i = 0; i < evals.size(); i++) {
            assertEquals(100L * (i + 1), evals.get(i).get("images").asLong(), r.toString());
            assertTrue(evals.get(i).get("train_seconds").asDouble() >= before, r.toString());
            before = evals.get(i).get("train_seconds").asDouble();
        }
    }
}
