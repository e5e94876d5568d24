package io.fashionspark.deploy;

import static io.fashionspark.deploy.Scripts.freePort;
import static io.fashionspark.deploy.Scripts.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.IdxFixtures;
import io.fashionspark.RunMetrics;
import io.fashionspark.deploy.Scripts.Proc;
import io.fashionspark.savedmodel.ModelZip;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/slurm/fashion-spark.sbatch} on a real Slurm: a single-node cluster (this machine) started for the
 * test ({@link SingleNodeSlurm}), a job submitted with {@code sbatch} from the repository root as a user would,
 * and one cancelled with {@code scancel} mid-run. Inside each allocation the script starts a standalone master
 * and a worker (under {@code srun}), submits the packaged job jar and stops the cluster. Runs after
 * {@code package} (failsafe); skipped, saying what to install, without slurm-wlm and munge or without root.
 */
class SlurmIT {
    /** Memory a job asks for: the worker gets 1 GiB less, enough for one 2 GB executor. */
    private static final int JOB_MEMORY_MB = 5120;
    private static final Set<String> ENDED = Set.of("COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL",
            "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY");

    @TempDir
    static Path tmp;
    static SingleNodeSlurm slurm;
    static final List<Job> jobs = new ArrayList<>();

    @BeforeAll
    static void startSlurm() throws Exception {
        String why = SingleNodeSlurm.unavailable();
        assumeTrue(why == null, "SlurmIT skipped: " + why);
        slurm = SingleNodeSlurm.start(tmp.resolve("slurm"));
        assumeTrue(slurm.cpus >= 2 && slurm.memoryMb >= JOB_MEMORY_MB, "SlurmIT skipped: the node has "
                + slurm.cpus + " CPUs and " + slurm.memoryMb + " MB; a job needs 2 CPUs and " + JOB_MEMORY_MB + " MB");
    }

    @AfterAll
    static void stopSlurm() throws Exception {
        if (slurm == null) {
            return;
        }
        List<Long> daemons = slurm.daemonPids();
        slurm.close();
        for (Job job : jobs) {
            deleteTree(job.stateDir());
        }
        for (long pid : daemons) {
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true),
                    "a Slurm or munge daemon still runs: pid " + pid);
        }
    }

    /** 800 images / (2 workers x 20) = 20 iterations; each worker's loss of each came back from the executor. */
    @Test
    void sbatchTrainsOnTheAllocationsClusterAndStopsIt() throws Exception {
        Path data = IdxFixtures.writeDataset(tmp.resolve("data"), 800, 200, 5);
        Path run = tmp.resolve("run");
        Job job = submit("sbatch-run", "train", "--model", "dnn", "--data", data.toString(), "--output",
                run.toString(), "--workers", "2", "--batch-size", "20", "--averaging-frequency", "2", "--epochs", "1",
                "--eval-every", "0", "--seed", "9", "--exchange", "allreduce");
        assertEquals("COMPLETED", job.waitUntilEnded(600), job.output());

        String out = job.output();
        assertTrue(out.contains("Spark master spark://" + slurm.node + ":" + job.masterPort()), out);
        assertTrue(out.contains("Final test accuracy") && out.contains("stopped master"), out);
        assertTrue(out.contains("the workers average among themselves (allreduce)"), out);
        assertTrue(Files.size(run.resolve("model.zip")) > 0, out);
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals("spark://" + slurm.node + ":" + job.masterPort(), summary.get("sparkMaster").asText());
        assertEquals(20, summary.get("iterations").asLong());
        assertEquals(2 * 20, RunMetrics.workerLosses(Files.readAllLines(run.resolve("metrics.jsonl"))).size(), out);
        job.assertNothingLeftBehind();
    }

    /**
     * scancel while the job trains: Slurm signals the batch script, whose EXIT trap stops the standalone cluster;
     * no Spark process outlives the job, the checkpoints written before the cancel read back, and {@code train
     * --resume} finishes the run from the newest. 400 images / (2 x 20) = 10 iterations an epoch, 60 in all.
     */
    @Test
    void scancelMidRunLeavesNoSparkProcessAndTheRunResumes() throws Exception {
        Path data = IdxFixtures.writeDataset(tmp.resolve("data-cancelled"), 400, 100, 6);
        Path run = tmp.resolve("cancelled");
        Job job = submit("scancel-run", "train", "--model", "dnn", "--data", data.toString(), "--output",
                run.toString(), "--workers", "2", "--batch-size", "20", "--averaging-frequency", "2", "--epochs", "6",
                "--eval-every", "0", "--checkpoint-every", "2", "--checkpoint-every-epochs", "0", "--seed", "4");
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (checkpoints(run).isEmpty() && System.nanoTime() < deadline) {
            assertTrue(!ENDED.contains(job.state()), "the job ended before its first checkpoint: " + job.output());
            Thread.sleep(100);
        }
        assertTrue(!checkpoints(run).isEmpty(), "no checkpoint in 10 minutes: " + job.output());
        Proc cancelled = script(List.of(SingleNodeSlurm.which("scancel"), job.id()), slurm.env(), 30);
        assertEquals(0, cancelled.code(), cancelled.output());
        assertEquals("CANCELLED", job.waitUntilEnded(120), job.output());
        assertTrue(!Files.exists(run.resolve("model.zip")), "cancelled before the end: " + job.output());
        job.assertNothingLeftBehind();

        List<Path> written = checkpoints(run);
        for (Path json : written) {
            Path zip = Path.of(json.toString().replace(".json", ".zip"));
            MultiLayerNetwork model = ModelZip.read(Files.readAllBytes(zip), true);
            assertTrue(model.numParams() > 0 && model.getUpdater().getStateViewArray() != null, zip.toString());
        }
        String newest = written.get(written.size() - 1).getFileName().toString().replace(".json", ".zip");

        Proc resumed = script(List.of("bin/fashion-spark", "train", "--resume", run.toString()), Map.of(), 600);
        assertEquals(0, resumed.code(), resumed.output());
        assertTrue(resumed.output().contains("Resuming from ") && resumed.output().contains(newest),
                newest + " expected: " + resumed.output());
        assertTrue(Files.size(run.resolve("model.zip")) > 0, resumed.output());
        assertEquals(2 * 60, RunMetrics.workerLosses(Files.readAllLines(run.resolve("metrics.jsonl"))).size(),
                "every iteration's losses once, across the cancel");
    }

    /** The complete checkpoints (a progress file beside the model), oldest first. */
    private static List<Path> checkpoints(Path run) throws IOException {
        Path dir = run.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("checkpoint-\\d+\\.json")).sorted().toList();
        }
    }

    /** sbatch from the repository root with the sizes of this node; the job's Slurm output goes to tmp. */
    private static Job submit(String name, String... programArgs) throws Exception {
        int masterPort = freePort();
        Path out = tmp.resolve(name + ".out");
        List<String> command = new ArrayList<>(List.of(SingleNodeSlurm.which("sbatch"), "--parsable", "--nodes=1",
                "--cpus-per-task=2", "--mem=" + JOB_MEMORY_MB + "M", "--time=15", "--output=" + out,
                "deploy/slurm/fashion-spark.sbatch"));
        command.addAll(List.of(programArgs));
        Map<String, String> env = new java.util.HashMap<>(slurm.env());
        env.put("SPARK_MASTER_PORT", Integer.toString(masterPort));
        Proc submitted = script(command, env, 60);
        assertEquals(0, submitted.code(), submitted.output() + slurm.logs());
        Job job = new Job(submitted.output().strip().split(";")[0], masterPort, out);
        assertTrue(job.id().matches("\\d+"), submitted.output());
        jobs.add(job);
        return job;
    }

    record Job(String id, int masterPort, Path out) {
        /** Where the sbatch script keeps the job's standalone cluster: its pid files, logs and secret. */
        Path stateDir() {
            return Path.of(".spark-slurm-" + id).toAbsolutePath();
        }

        String state() throws Exception {
            Proc shown = slurm.scontrol("show", "job", "-o", id);
            Matcher m = Pattern.compile("JobState=(\\S+)").matcher(shown.output());
            if (shown.code() != 0 || !m.find()) {
                throw new AssertionError("scontrol show job " + id + ": " + shown.output());
            }
            return m.group(1);
        }

        String waitUntilEnded(int seconds) throws Exception {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            String state = state();
            while (!ENDED.contains(state) && System.nanoTime() < deadline) {
                Thread.sleep(250);
                state = state();
            }
            return state;
        }

        /** The job's Slurm output file (its batch script's output and the Spark logs), for failure messages. */
        String output() throws IOException {
            String out = Files.exists(this.out) ? Files.readString(this.out) : "(no output file " + this.out + ")";
            Path logs = stateDir().resolve("logs");
            if (Files.isDirectory(logs)) {
                try (Stream<Path> files = Files.list(logs)) {
                    for (Path log : files.sorted(Comparator.naturalOrder()).toList()) {
                        out += "\n--- " + log + ":\n" + Files.readString(log);
                    }
                }
            }
            return out;
        }

        /**
         * Within 30 s of the job's end, no process from it: none with the job's id in its environment (everything
         * started in the allocation inherits SLURM_JOB_ID), none naming its cluster's state directory or master.
         */
        void assertNothingLeftBehind() throws Exception {
            long deadline = System.nanoTime() + 30_000_000_000L;
            List<String> left = leftBehind();
            while (!left.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                left = leftBehind();
            }
            assertTrue(left.isEmpty(), "still running after job " + id + " ended:\n" + String.join("\n", left)
                    + "\n" + output());
        }

        private List<String> leftBehind() throws IOException {
            String master = "spark://" + slurm.node + ":" + masterPort;
            String masterDaemon = "org.apache.spark.deploy.master.Master --host " + slurm.node + " --port "
                    + masterPort;
            List<String> left = new ArrayList<>();
            try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
                for (Path p : proc.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    String cmdline;
                    String environ;
                    try {
                        cmdline = read(p.resolve("cmdline"));
                        environ = "\0" + read(p.resolve("environ"));
                    } catch (IOException gone) {
                        continue;
                    }
                    if (environ.contains("\0SLURM_JOB_ID=" + id + "\0") || cmdline.contains(stateDir().toString())
                            || cmdline.contains(master) || cmdline.contains(masterDaemon.replace(' ', '\0'))) {
                        left.add(p.getFileName() + ": " + cmdline.replace('\0', ' '));
                    }
                }
            }
            return left;
        }

        private static String read(Path file) throws IOException {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
