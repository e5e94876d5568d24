package io.fashionspark.deploy;

import static io.fashionspark.deploy.Scripts.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.IdxFixtures;
import io.fashionspark.RunMetrics;
import io.fashionspark.deploy.Scripts.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow network, for real: the master and the driver in one network namespace and each of two one-core workers in
 * one of its own, every namespace behind its own veth pair into a bridge, and what each worker sends shaped by tc's
 * token bucket to {@value #RATE_MBIT} Mbit/s (every byte of the all-reduce leaves a worker; the driver's link is
 * left fast, so that the executors fetch the 245 MB job jar in seconds). The workers' all-reduce crosses those
 * links every round; a slow peer is not a dead one, so the run ends as on a fast network, with no stage run
 * twice. Needs root and iproute2
 * (skipped otherwise); traffic stays inside the namespaces the test makes (10.79.0.0/24), removed at the end.
 */
class SlowNetworkIT {
    static final int RATE_MBIT = 20;
    private static final String PREFIX = "fsn";
    private static final String MASTER_IP = "10.79.0.1";
    private static final List<String> NODES = List.of("d", "w1", "w2");

    @TempDir
    static Path tmp;
    static boolean made;

    @BeforeAll
    static void makeTheNamespacesAndTheCluster() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "makes network namespaces: needs root");
        assumeTrue(run("ip", "-V").code() == 0 && run("tc", "-V").code() == 0, "needs iproute2 (ip, tc)");
        tearDownNamespaces();
        Proc hub = run("ip", "netns", "add", PREFIX + "-hub");
        assumeTrue(hub.code() == 0, "cannot make a network namespace here: " + hub.output());
        made = true;
        must("ip", "-n", PREFIX + "-hub", "link", "add", "br0", "type", "bridge");
        must("ip", "-n", PREFIX + "-hub", "link", "set", "br0", "up");
        for (String node : NODES) {
            String ns = PREFIX + "-" + node;
            must("ip", "netns", "add", ns);
            must("ip", "-n", ns, "link", "set", "lo", "up");
            must("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", "v-" + node, "netns",
                    PREFIX + "-hub");
            must("ip", "-n", ns, "addr", "add", address(node) + "/24", "dev", "eth0");
            must("ip", "-n", ns, "link", "set", "eth0", "up");
            must("ip", "-n", PREFIX + "-hub", "link", "set", "v-" + node, "master", "br0", "up");
            if (!node.equals("d")) {
                must("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate",
                        RATE_MBIT + "mbit", "burst", "64kb", "latency", "50ms");
            }
        }
        Proc master = script(inNamespace("d", "deploy/standalone/start-cluster.sh", "--host", MASTER_IP, "--port",
                "7477", "--ui-port", "8480", "--workers", "0", "--state-dir", state("d").toString()), Map.of(), 120);
        assertEquals(0, master.code(), master.output());
        for (String worker : List.of("w1", "w2")) {
            Files.createDirectories(state(worker));
            Files.copy(state("d").resolve("secret"), state(worker).resolve("secret"));
            Proc started = script(inNamespace(worker, "deploy/standalone/start-cluster.sh", "--worker-only",
                    "--master", "spark://" + MASTER_IP + ":7477", "--host", address(worker), "--workers", "1",
                    "--worker-cores", "1", "--worker-memory", "3g", "--state-dir", state(worker).toString()),
                    Map.of(), 120);
            assertEquals(0, started.code(), started.output());
        }
    }

    @AfterAll
    static void removeTheClusterAndTheNamespaces() throws Exception {
        if (!made) {
            return;
        }
        for (String node : NODES) {
            if (Files.isDirectory(state(node))) {
                script(List.of("deploy/standalone/stop-cluster.sh", "--state-dir", state(node).toString()), Map.of(),
                        60);
            }
        }
        tearDownNamespaces();
    }

    @Test
    void theWorkersAllReduceOverSlowLinksAndTheRunEndsAsOnAFastOne() throws Exception {
        Path data = IdxFixtures.writeDataset(tmp.resolve("data"), 2000, 200, 5);
        Path run = tmp.resolve("run");
        // 2 workers x 50 steps an epoch, averaging every 5: 20 rounds, each moving the FashionDNN's parameters and
        // Adam's moments (2.8 MB) both ways across a link of 2.5 MB/s. The peers' timeout, 5 s, is longer than one
        // message takes (half the vector, 0.6 s) but far shorter than the run.
        Proc submitted = script(inNamespace("d", "env", "SPARK_MASTER=spark://" + MASTER_IP + ":7477",
                "SPARK_LOCAL_IP=" + MASTER_IP, "STATE_DIR=" + state("d"),
                "JAVA_TOOL_OPTIONS=-Dspark.fashionspark.exchange.timeout=5s", "deploy/standalone/submit.sh", "train",
                "--model", "dnn", "--data", data.toString(), "--workers", "2", "--batch-size", "20",
                "--averaging-frequency", "5", "--epochs", "2", "--eval-every", "0", "--seed", "9", "--exchange",
                "allreduce", "--output", run.toString()), Map.of(), 600);
        assertEquals(0, submitted.code(), submitted.output());
        assertTrue(submitted.output().contains("the workers average among themselves (allreduce)"), submitted.output());
        assertFalse(submitted.output().contains("again from their start"), "a stage ran twice: "
                + submitted.output());
        assertFalse(submitted.output().contains("the driver averages iterations"), submitted.output());
        assertEquals(2 * 100, RunMetrics.workerLosses(Files.readAllLines(run.resolve("metrics.jsonl"))).size(),
                "every worker's loss on every minibatch, once");
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertTrue(summary.get("finalTestAccuracy").asDouble() > 0.5, summary.toString());
        // The rounds crossed the shaped links: each worker sent its half of the vector and the other's sum back
        // (the vector once in all) each round, at 2.5 MB/s at most.
        double vectorBytes = 3.0 * 235_146 * 4;
        double wireSeconds = 20 * vectorBytes / (RATE_MBIT * 1e6 / 8);
        double trained = summary.get("timings").get("trainingSeconds").asDouble();
        assertTrue(trained > 0.9 * wireSeconds, "trained in " + trained + " s, less than the " + wireSeconds
                + " s the links allow");
    }

    private static String address(String node) {
        return node.equals("d") ? MASTER_IP : "10.79.0." + (10 + Integer.parseInt(node.substring(1)));
    }

    private static Path state(String node) {
        return tmp.resolve("state-" + node);
    }

    private static List<String> inNamespace(String node, String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", PREFIX + "-" + node));
        all.addAll(List.of(command));
        return all;
    }

    private static Proc run(String... command) throws Exception {
        try {
            return script(List.of(command), Map.of(), 30);
        } catch (java.io.IOException e) {
            return new Proc(-1, e.getMessage());
        }
    }

    private static void must(String... command) throws Exception {
        Proc p = run(command);
        assertEquals(0, p.code(), String.join(" ", command) + ": " + p.output());
    }

    private static void tearDownNamespaces() throws Exception {
        for (String node : List.of("d", "w1", "w2", "hub")) {
            run("ip", "netns", "del", PREFIX + "-" + node);
        }
    }
}
