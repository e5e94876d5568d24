package io.fashionspark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.model.ModelKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reference PyTorch code ({@code bench/pytorch_reference.py}, carried in the jar) as a subprocess with the
 * given number of threads and reads the JSON line it prints. Debian's {@code python3-torch} lives in the system
 * Python, so {@code auto} tries {@code python3} on the PATH and then {@code /usr/bin/python3}.
 */
final class PyTorchReference {
    static final String SCRIPT_RESOURCE = "/io/fashionspark/bench/pytorch_reference.py";
    static final String SKIPPED_NOT_INSTALLED = "PyTorch reference skipped: python3-torch not installed "
            + "(apt-get install python3-torch libopenblas0-pthread)";
    private static final List<String> AUTO_PYTHONS = List.of("python3", "/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Python that has torch, and what it reports about itself (versions, BLAS, threads, matmul GFLOP/s). */
    record Environment(String python, Path script, JsonNode info) {
        String torchVersion() {
            return info.path("torch").asText("?");
        }

        boolean openBlas() {
            return info.path("openblas").asBoolean(false);
        }

        String blas() {
            List<String> libs = new ArrayList<>();
            info.path("blas").forEach(n -> libs.add(n.asText()));
            return libs.isEmpty() ? "none found" : String.join(", ", libs);
        }

        double matmulGflops() {
            return info.path("matmul_gflops").asDouble(Double.NaN);
        }
    }

    private PyTorchReference() {
    }

    /** The first Python that imports torch, or null (with the reason printed to {@code log}). */
    static Environment find(String pythonOption, int threads) throws IOException {
        Path script = extractScript();
        List<String> candidates = "auto".equals(pythonOption) ? AUTO_PYTHONS : List.of(pythonOption);
        for (String python : candidates) {
            Result r = exec(List.of(python, script.toString(), "--info", "--threads", Integer.toString(threads)),
                    threads, 120);
            if (r.code == 0 && r.json != null) {
                return new Environment(python, script, r.json);
            }
        }
        return null;
    }

    /**
     * Trains one model on the first {@code trainLimit} images for {@code epochs} epochs, tested every
     * {@code evalEveryImages} (0: at the end only); the script's JSON.
     */
    static JsonNode train(Environment env, ModelKind kind, String data, int trainLimit, int testLimit, int epochs,
                          int batchSize, double learningRate, long seed, int threads, long evalEveryImages,
                          long timeoutSeconds, PrintWriter log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(env.python(), env.script().toString(), "--data", data,
                "--model", kind.cliName(), "--train-limit", Integer.toString(trainLimit), "--test-limit",
                Integer.toString(testLimit), "--epochs", Integer.toString(epochs), "--batch-size",
                Integer.toString(batchSize), "--learning-rate", Double.toString(learningRate), "--seed",
                Long.toString(seed), "--threads", Integer.toString(threads)));
        if (evalEveryImages > 0) {
            cmd.addAll(List.of("--eval-every-images", Long.toString(evalEveryImages)));
        }
        Result r = exec(cmd, threads, timeoutSeconds);
        if (r.code != 0 || r.json == null) {
            log.println("PyTorch reference failed (exit " + r.code + "): " + String.join(" ", cmd));
            log.println(r.stderrTail());
            log.flush();
            return null;
        }
        return r.json;
    }

    static boolean supports(ModelKind kind) {
        return kind == ModelKind.DNN || kind == ModelKind.CNN;
    }

    private record Result(int code, JsonNode json, List<String> stderr) {
        String stderrTail() {
            return String.join("\n", stderr.subList(Math.max(0, stderr.size() - 20), stderr.size()));
        }
    }

    private static Result exec(List<String> command, int threads, long timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        // One thread count for every pool the libraries have: OpenMP (torch, oneDNN) and OpenBLAS's pthreads.
        for (String key : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            env.put(key, Integer.toString(threads));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            // No such interpreter.
            return new Result(127, null, List.of(e.getMessage()));
        }
        List<String> err = new ArrayList<>();
        Thread errReader = new Thread(() -> readLines(p.getErrorStream(), err), "pytorch-stderr");
        errReader.setDaemon(true);
        errReader.start();
        List<String> out = new ArrayList<>();
        readLines(p.getInputStream(), out);
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, null, List.of("timed out after " + timeoutSeconds + " s"));
            }
            errReader.join(2000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(130, null, List.of("interrupted"));
        }
        JsonNode json = null;
        for (int i = out.size() - 1; i >= 0 && json == null; i--) {
            String line = out.get(i).trim();
            if (line.startsWith("{")) {
                json = JSON.readTree(line);
            }
        }
        synchronized (err) {
            return new Result(p.exitValue(), json, List.copyOf(err));
        }
    }

    private static void readLines(InputStream in, List<String> into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (into) {
                    into.add(line);
                }
            }
        } catch (IOException e) {
            // The process went away; what was read is kept.
        }
    }

    /** The script the jar carries, as a temporary file (deleted when the JVM exits). */
    static Path extractScript() throws IOException {
        try (InputStream in = PyTorchReference.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IOException("the jar lacks " + SCRIPT_RESOURCE);
            }
            Path tmp = Files.createTempFile("fashion-spark-pytorch-reference", ".py");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }
}
