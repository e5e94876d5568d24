package io.fashionspark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.IdxFixtures;
import io.fashionspark.RunMetrics;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-process run a cluster engineer does: {@code deploy/standalone/start-cluster.sh} starts a standalone
 * master and two workers as separate JVMs on 127.0.0.1, {@code deploy/standalone/submit.sh} submits the packaged job
 * jar through {@code org.apache.spark.deploy.SparkSubmit}, the executors (JVMs the workers launch) train, and
 * {@code stop-cluster.sh} stops it all. Runs after {@code package} (failsafe): it needs the real jar.
 */
class StandaloneClusterIT {
    @TempDir
    static Path tmp;
    static Path state;
    static int masterPort;

    @BeforeAll
    static void startCluster() throws Exception {
        state = tmp.resolve("state");
        masterPort = freePort();
        Proc started = script(List.of("deploy/standalone/start-cluster.sh", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--ui-port", Integer.toString(freePort()), "--workers", "2",
                "--worker-cores", "1", "--worker-memory", "3g", "--state-dir", state.toString()), Map.of(), 180);
        assertEquals(0, started.code(), started.output());
        assertTrue(started.output().contains("cluster up: 2 worker(s) x 1 core(s) at spark://127.0.0.1:" + masterPort),
                started.output());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        List<String> pids = new ArrayList<>();
        try (Stream<Path> files = Files.list(state)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                pids.add(Files.readString(p).trim());
            }
        }
        Proc stopped = script(List.of("deploy/standalone/stop-cluster.sh", "--state-dir", state.toString()),
                Map.of(), 60);
        assertEquals(0, stopped.code(), stopped.output());
        for (String pid : pids) {
            assertTrue(ProcessHandle.of(Long.parseLong(pid)).map(h -> !h.isAlive()).orElse(true),
                    "still running after stop-cluster.sh: pid " + pid);
        }
    }

    @Test
    void submittedJobTrainsOnExecutorsInOtherJvmsAndWritesItsRun() throws Exception {
        Path data = IdxFixtures.writeDataset(tmp.resolve("data"), 800, 200, 5);
        Path run = tmp.resolve("run");
        Proc submitted = script(List.of("deploy/standalone/submit.sh", "train", "--model", "dnn", "--data",
                data.toString(), "--output", run.toString(), "--workers", "2", "--batch-size", "20",
                "--averaging-frequency", "2", "--epochs", "2", "--eval-every", "5", "--seed", "9"),
                Map.of("SPARK_MASTER", "spark://127.0.0.1:" + masterPort, "SPARK_LOCAL_IP", "127.0.0.1"), 600);
        assertEquals(0, submitted.code(), submitted.output());
        assertTrue(submitted.output().contains("Spark master spark://127.0.0.1:" + masterPort), submitted.output());

        for (String f : List.of("model.zip", "metrics.jsonl", "metrics.csv", "summary.json")) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode summary = json.readTree(run.resolve("summary.json").toFile());
        assertEquals("spark://127.0.0.1:" + masterPort, summary.get("sparkMaster").asText());
        // 800 images / (2 workers x 20) = 20 iterations an epoch; both workers' losses came back from the executors.
        assertEquals(2 * 40, RunMetrics.workerLosses(Files.readAllLines(run.resolve("metrics.jsonl"))).size());
        assertTrue(summary.get("finalTestAccuracy").asDouble() > 0.5, summary.toString());

        // Each worker launched its own executor JVM for the application (Spark's work dir per application).
        String appId = summary.get("sparkApplicationId").asText();
        for (int w = 1; w <= 2; w++) {
            assertTrue(Files.isDirectory(state.resolve("work-" + w).resolve(appId)), "worker " + w + " ran " + appId);
        }
    }

    /**
     * An executor JVM killed with SIGKILL mid-epoch: Spark retries its task on a new executor and the run completes,
     * every iteration logged once, and a final test accuracy within 2 points of an undisturbed run's (the retried
     * task redoes the same minibatches with the same dropout masks).
     */
    @Test
    void aKilledExecutorsTaskIsRetriedAndTrainingCompletes() throws Exception {
        Path data = IdxFixtures.writeDataset(tmp.resolve("data-kill"), 800, 200, 5);
        Path killedRun = tmp.resolve("killed-executor");
        Path undisturbed = tmp.resolve("undisturbed");
        List<String> train = List.of("train", "--model", "dnn", "--data", data.toString(), "--workers", "2",
                "--batch-size", "20", "--averaging-frequency", "2", "--epochs", "3", "--eval-every", "2", "--seed",
                "9");
        Map<String, String> env = Map.of("SPARK_MASTER", "spark://127.0.0.1:" + masterPort, "SPARK_LOCAL_IP",
                "127.0.0.1");

        List<String> submit = new ArrayList<>(List.of("deploy/standalone/submit.sh"));
        submit.addAll(train);
        submit.addAll(List.of("--output", killedRun.toString()));
        Path log = tmp.resolve("killed-executor.log");
        ProcessBuilder pb = new ProcessBuilder(submit).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process job = pb.start();

        // Wait until training is under way (iteration 10 of 60 logged), then SIGKILL worker 1's executor JVM.
        long workerPid = Long.parseLong(Files.readString(state.resolve("worker-1.pid")).trim());
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (job.isAlive() && System.nanoTime() < deadline && loggedIterations(killedRun) < 10) {
            Thread.sleep(50);
        }
        List<ProcessHandle> executors = ProcessHandle.of(workerPid).orElseThrow().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).toList();
        assertEquals(1, executors.size(), "worker 1's executor: " + executors + "\n" + Files.readString(log));
        long killedAt = loggedIterations(killedRun);
        executors.get(0).destroyForcibly();
        assertTrue(job.waitFor(300, TimeUnit.SECONDS), "the job did not finish: " + Files.readString(log));
        assertEquals(0, job.exitValue(), Files.readString(log));
        assertTrue(killedAt < 60, "killed after training ended (" + killedAt + ")");

        List<String> again = new ArrayList<>(List.of("deploy/standalone/submit.sh"));
        again.addAll(train);
        again.addAll(List.of("--output", undisturbed.toString()));
        Proc reference = script(again, env, 600);
        assertEquals(0, reference.code(), reference.output());

        ObjectMapper json = new ObjectMapper();
        JsonNode killed = json.readTree(killedRun.resolve("summary.json").toFile());
        JsonNode clean = json.readTree(undisturbed.resolve("summary.json").toFile());
        assertEquals(clean.get("iterations").asLong(), killed.get("iterations").asLong());
        assertEquals(clean.get("finalTestAccuracy").asDouble(), killed.get("finalTestAccuracy").asDouble(), 0.02,
                "killed at iteration " + killedAt);
        assertEquals(2 * 60, RunMetrics.workerLosses(Files.readAllLines(killedRun.resolve("metrics.jsonl"))).size());
        // Spark saw the executor go and started another.
        assertTrue(Files.readString(state.resolve("logs/master.log")).contains("Removing executor"),
                "the master log shows the lost executor");
    }

    private static long loggedIterations(Path run) throws IOException {
        Path metrics = run.resolve("metrics.jsonl");
        if (!Files.exists(metrics)) {
            return 0;
        }
        return Files.readAllLines(metrics).stream().filter(l -> l.contains("\"train_loss\"")).count() / 2;
    }

    record Proc(int code, String output) {
    }

    static Proc script(List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "script", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(new File(".")).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Proc(-1, "timed out after " + timeoutSeconds + " s: " + Files.readString(log));
        }
        return new Proc(p.exitValue(), Files.readString(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
