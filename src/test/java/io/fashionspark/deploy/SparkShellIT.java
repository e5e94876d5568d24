package io.fashionspark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code spark-shell} session, typed into {@code bin/spark-shell} as a user would paste it: it trains
 * a FashionClassifier in a Pipeline on the real FashionMNIST, saves and loads the fitted pipeline and scores the
 * test set; typed in, and as a script given with {@code -i}. Needs the real data set (bin/install-dataset) and the
 * packaged jar (runs after {@code package}).
 */
class SparkShellIT {
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path tmp;

    @Test
    void theReadmeSessionTrainsSavesLoadsAndScores() throws Exception {
        String session = readmeSession();
        Path input = tmp.resolve("session.scala");
        Files.writeString(input, session + "\n:quit\n");
        String out = run(new ProcessBuilder("bin/spark-shell").redirectInput(input.toFile()));
        checkTrainedSavedLoadedAndScored(out);
    }

    /** The same session as a script given with {@code -i}, as Spark's own spark-shell takes it. */
    @Test
    void theReadmeSessionRunsAsAScriptGivenWithDashI() throws Exception {
        String session = readmeSession();
        // A script run with -i echoes nothing of its own: it says what the checks read.
        Path script = tmp.resolve("session.scala");
        Files.writeString(script, session + "\nprintln(s\"accuracy: Double = $accuracy\")\nprintln(classifier.uid)\n");
        String out = run(new ProcessBuilder("bin/spark-shell", "-i", script.toString(), "--conf",
                "spark.ui.enabled=false").redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))));
        checkTrainedSavedLoadedAndScored(out);
    }

    private String readmeSession() throws Exception {
        assumeTrue(Files.exists(DATA.resolve("t10k-images-idx3-ubyte.gz")), "needs the real FashionMNIST "
                + "(bin/install-dataset)");
        String readme = Files.readString(Path.of("README.md"));
        Matcher block = Pattern.compile("```scala\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "README.md has a scala block");
        return block.group(1).replace("/tmp/fashion-pipeline", tmp.resolve("pipeline").toString());
    }

    private String run(ProcessBuilder shell) throws Exception {
        Path log = tmp.resolve("shell.log");
        Process p = shell.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "spark-shell still running after 10 minutes");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private void checkTrainedSavedLoadedAndScored(String out) throws Exception {
        assertTrue(!out.contains("error:") && !out.contains("Exception"), out);
        Path modelZip = tmp.resolve("pipeline/stages/0_" + uid(out) + "/data/model.zip");
        assertTrue(Files.isRegularFile(modelZip), out);
        Matcher accuracy = Pattern.compile("accuracy: Double = (0\\.[0-9]+)").matcher(out);
        assertTrue(accuracy.find(), out);
        double shellAccuracy = Double.parseDouble(accuracy.group(1));
        assertTrue(shellAccuracy > 0.80, "test accuracy " + shellAccuracy);
        assertTrue(out.contains("predictedClass"), out);

        // The saved pipeline's network is a model.zip that evaluate reads: the same accuracy on the 10,000 images.
        Path json = tmp.resolve("evaluation.json");
        Process evaluate = new ProcessBuilder("bin/fashion-spark", "evaluate", "--model", modelZip.toString(),
                "--json", json.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("eval.log").toFile())
                .start();
        assertTrue(evaluate.waitFor(5, TimeUnit.MINUTES), "evaluate still running");
        assertEquals(0, evaluate.exitValue(), Files.readString(tmp.resolve("eval.log")));
        JsonNode evaluation = new ObjectMapper().readTree(json.toFile());
        assertEquals(10_000, evaluation.get("images").asInt());
        assertEquals(evaluation.get("accuracy").asDouble(), shellAccuracy, 0.0,
                "Transformer and evaluate on the same model and test set");
    }

    private static String uid(String out) {
        Matcher m = Pattern.compile("(fashionClassifier_[0-9a-f]+)").matcher(out);
        return m.find() ? m.group(1) : "fashionClassifier_?";
    }
}
