package io.fashionspark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.IdxFixtures;
import io.fashionspark.RunMetrics;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.spark.network.util.JavaUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/yarn/submit.sh} run for real: a YARN cluster (a ResourceManager and a NodeManager: Hadoop's
 * MiniYARNCluster) and an HDFS (MiniDFSCluster) started in this JVM, their client configuration written to a
 * HADOOP_CONF_DIR, and the script submitting the packaged job jar on the project's own jars (target/lib, no Spark
 * distribution) in client and in cluster deploy mode. Data and run directory are on the HDFS. While the job runs
 * the test asks the ResourceManager for the application's containers: YARN must have given each executor its heap
 * plus {@code spark.executor.memoryOverhead} of conf/spark-defaults.conf, rounded up to the scheduler's minimum
 * allocation. Runs after {@code package} (failsafe): it needs the real jar and target/lib.
 */
class YarnIT {
    /** Small, so that YARN's rounding up to a multiple of it shows in the containers' sizes. */
    static final int MIN_ALLOCATION_MB = 128;
    /** Executor heap: with the 1536m overhead 2536 MB, which YARN rounds up to 2560. */
    static final String EXECUTOR_MEMORY = "1000m";
    static final int TRAIN_IMAGES = 400;
    static final int BATCH = 20;
    static final Set<YarnApplicationState> FINAL_STATES = EnumSet.of(YarnApplicationState.FINISHED,
            YarnApplicationState.FAILED, YarnApplicationState.KILLED);

    @TempDir
    static Path tmp;
    static MiniDFSCluster dfs;
    static MiniYARNCluster yarn;
    static YarnClient client;
    static Path hadoopConf;
    static String hdfs;

    @BeforeAll
    static void startClusters() throws Exception {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();
        hdfs = dfs.getURI().toString();
        conf.set(FileSystem.FS_DEFAULT_NAME_KEY, hdfs);

        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, MIN_ALLOCATION_MB);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 8192);
        // Room for the application master and two executors of 2560 MB (client mode 6016 MB, cluster 6528 MB).
        conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, 8192);
        // ND4J reserves far more virtual memory than it uses; the physical memory check stays on.
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.0f);
        // Containers start $JAVA_HOME/bin/java; Maven need not export JAVA_HOME to this JVM.
        conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, "JAVA_HOME=" + System.getProperty("java.home"));
        // hadoop-client-minicluster carries no capacity-scheduler.xml: one queue, all of the cluster.
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);

        yarn = new MiniYARNCluster(YarnIT.class.getSimpleName(), 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        assertTrue(yarn.waitForNodeManagersToConnect(60_000), "the NodeManager did not register");
        // start() can return before the ResourceManager has put its bound port into the configuration.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            assertTrue(System.nanoTime() < deadline, "the ResourceManager's address stayed unbound");
            Thread.sleep(100);
        }

        // What a cluster's /etc/hadoop/conf tells its clients: where HDFS and the ResourceManager are. (Not the whole
        // server configuration: it names test-only classes, MiniDFSCluster's StaticMapping, that clients lack.)
        hadoopConf = Files.createDirectories(tmp.resolve("hadoop-conf"));
        Configuration core = new Configuration(false);
        core.set(FileSystem.FS_DEFAULT_NAME_KEY, hdfs);
        writeXml(core, hadoopConf.resolve("core-site.xml"));
        Configuration yarnSite = new Configuration(false);
        for (Map.Entry<String, String> e : yarn.getConfig()) {
            if (e.getKey().startsWith("yarn.resourcemanager.") && e.getKey().endsWith("address")) {
                yarnSite.set(e.getKey(), e.getValue());
            }
        }
        writeXml(yarnSite, hadoopConf.resolve("yarn-site.xml"));

        client = YarnClient.createYarnClient();
        client.init(new YarnConfiguration(yarn.getConfig()));
        client.start();

        Path local = IdxFixtures.writeDataset(tmp.resolve("data"), TRAIN_IMAGES, 100, 17);
        FileSystem fs = dfs.getFileSystem();
        try (Stream<Path> files = Files.list(local)) {
            for (Path f : files.toList()) {
                fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toString()),
                        new org.apache.hadoop.fs.Path("/datasets/fashion/" + f.getFileName()));
            }
        }
    }

    @AfterAll
    static void stopClusters() throws IOException {
        try {
            if (client != null) {
                client.stop();
            }
            if (yarn != null) {
                yarn.stop();
            }
        } finally {
            if (dfs != null) {
                dfs.shutdown();
            }
            if (yarn != null) {
                // target/test/data/YarnIT: the NodeManager's local and log directories.
                deleteTree(yarn.getTestWorkDir().toPath().getParent());
            }
        }
    }

    @Test
    void clientModeTrainsOnExecutorContainersAndWritesTheRunToHdfs() throws Exception {
        Submission s = submit("client");
        // The driver ran in the submitting process.
        assertTrue(s.output().contains("Spark master yarn, application " + s.app()), s.output());
        checkRun(s);
    }

    @Test
    void clusterModeRunsTheDriverInAContainer() throws Exception {
        Submission s = submit("cluster");
        String driverOut = containerLog(s.app(), s.am(), "stdout");
        assertTrue(driverOut.contains("Spark master yarn, application " + s.app()),
                () -> "the driver's output in the application master's container: " + driverOut + diagnosis(s));
        assertTrue(driverOut.contains("the workers average among themselves (allreduce)"), driverOut);
        checkRun(s);
    }

    record Submission(String mode, ApplicationId app, ContainerId am, Map<ContainerId, Long> memoryMb,
            String output, String run) {
    }

    /**
     * Runs deploy/yarn/submit.sh in {@code mode} and, while it runs, records every container YARN gives the new
     * application with its allocated memory (the ResourceManager lists only running containers).
     */
    private static Submission submit(String mode) throws Exception {
        Set<ApplicationId> before = new HashSet<>();
        client.getApplications().forEach(r -> before.add(r.getApplicationId()));
        String run = hdfs + "/runs/" + mode;
        Path log = tmp.resolve(mode + ".log");
        ProcessBuilder pb = new ProcessBuilder("deploy/yarn/submit.sh", "train", "--model", "dnn", "--data",
                hdfs + "/datasets/fashion", "--output", run, "--workers", "2", "--batch-size",
                Integer.toString(BATCH), "--epochs", "1", "--eval-every", "5", "--seed", "9",
                // Cluster mode trains with the workers averaging among themselves, in YARN's containers.
                "--exchange", mode.equals("cluster") ? "allreduce" : "driver")
                .directory(new File(".")).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("HADOOP_CONF_DIR", hadoopConf.toString(), "DEPLOY_MODE", mode,
                "EXECUTOR_MEMORY", EXECUTOR_MEMORY, "DRIVER_MEMORY", "1g"));
        pb.environment().remove("SPARK_HOME");
        long start = System.nanoTime();
        Process p = pb.start();

        ApplicationId app = null;
        ContainerId am = null;
        Map<ContainerId, Long> memory = new TreeMap<>();
        long deadline = start + TimeUnit.SECONDS.toNanos(480);
        while (!p.waitFor(300, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("submit.sh still running after 480 s: " + Files.readString(log)
                        + (app == null ? "" : containerLogTails(app)));
            }
            if (app == null) {
                app = client.getApplications().stream().map(ApplicationReport::getApplicationId)
                        .filter(id -> !before.contains(id)).findFirst().orElse(null);
            }
            if (app != null) {
                try {
                    for (ApplicationAttemptReport attempt : client.getApplicationAttempts(app)) {
                        am = attempt.getAMContainerId() != null ? attempt.getAMContainerId() : am;
                        for (ContainerReport c : client.getContainers(attempt.getApplicationAttemptId())) {
                            memory.put(c.getContainerId(), c.getAllocatedResource().getMemorySize());
                        }
                    }
                } catch (YarnException e) {
                    // The attempt is gone between the two calls: the application has ended.
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String output = Files.readString(log);
        System.out.printf("%s mode: submit.sh ran %.1f s; containers (MB): %s%n", mode, seconds, memory);
        assertNotNull(app, "no YARN application appeared: " + output);
        Submission s = new Submission(mode, app, am, memory, output, run);
        assertEquals(0, p.exitValue(), () -> "submit.sh failed: " + output + diagnosis(s));
        return s;
    }

    private static void checkRun(Submission s) throws Exception {
        // A client-mode driver exits once it has told the application master to stop; the master unregisters from
        // the ResourceManager a moment later, and only then is the final status known.
        ApplicationReport report = client.getApplicationReport(s.app());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!FINAL_STATES.contains(report.getYarnApplicationState()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            report = client.getApplicationReport(s.app());
        }
        assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus(),
                () -> s.output() + diagnosis(s));

        // Two executors, each given heap + overhead as YARN rounds it; the application master is the other one.
        long expected = roundUp(JavaUtils.byteStringAsMb(EXECUTOR_MEMORY)
                + JavaUtils.byteStringAsMb(sparkDefaults().getProperty("spark.executor.memoryOverhead").trim()));
        assertNotNull(s.am(), "no application master container seen");
        Map<ContainerId, Long> executors = new TreeMap<>(s.memoryMb());
        executors.remove(s.am());
        assertEquals(2, executors.size(), () -> "executor containers " + executors + diagnosis(s));
        for (Map.Entry<ContainerId, Long> e : executors.entrySet()) {
            assertEquals(expected, e.getValue(), "YARN's memory for executor container " + e.getKey());
            // deploy/yarn/submit.sh turns authentication on; YARN handed the executors the application's secret.
            String log = containerLog(s.app(), e.getKey(), "stderr");
            assertTrue(log.contains("SecurityManager: authentication enabled"), () -> log + diagnosis(s));
        }

        // The run directory on HDFS: both workers' loss of every iteration came back to the driver.
        FileSystem fs = dfs.getFileSystem();
        String metrics = read(fs, s.run() + "/metrics.jsonl");
        int iterations = TRAIN_IMAGES / (2 * BATCH);
        assertEquals(2 * iterations, RunMetrics.workerLosses(metrics.lines().toList()).size(), metrics);
        JsonNode summary = new ObjectMapper().readTree(read(fs, s.run() + "/summary.json"));
        assertEquals("yarn", summary.get("sparkMaster").asText());
        assertEquals(s.app().toString(), summary.get("sparkApplicationId").asText());
        assertEquals(iterations, summary.get("iterations").asInt(), summary.toString());
        assertTrue(fs.getFileStatus(new org.apache.hadoop.fs.Path(s.run() + "/model.zip")).getLen() > 0);
    }

    /** YARN's rounding of a container request: up to a multiple of the minimum allocation. */
    static long roundUp(long mb) {
        return (mb + MIN_ALLOCATION_MB - 1) / MIN_ALLOCATION_MB * MIN_ALLOCATION_MB;
    }

    static Properties sparkDefaults() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("conf/spark-defaults.conf"))) {
            p.load(r);
        }
        return p;
    }

    /** The NodeManager's container logs (no log aggregation): logDir/application/container/{stdout,stderr}. */
    private static Path appLogs(ApplicationId app) {
        String dirs = yarn.getNodeManager(0).getConfig().get(YarnConfiguration.NM_LOG_DIRS);
        return Path.of(dirs.split(",")[0]).resolve(app.toString());
    }

    private static String containerLog(ApplicationId app, ContainerId container, String name) throws IOException {
        Path log = appLogs(app).resolve(container.toString()).resolve(name);
        return Files.exists(log) ? Files.readString(log) : "(no " + log + ")";
    }

    /** The last lines of every container's stderr: why an application master or executor failed. */
    private static String containerLogTails(ApplicationId app) {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> containers = Files.list(appLogs(app))) {
            for (Path stderr : containers.map(c -> c.resolve("stderr")).filter(Files::exists).sorted().toList()) {
                List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
                b.append("\n--- ").append(stderr).append(" (last 60 lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
            }
        } catch (IOException e) {
            b.append("\n(container logs of ").append(app).append(" unreadable: ").append(e).append(')');
        }
        return b.toString();
    }

    private static String diagnosis(Submission s) {
        return "\ncontainers (MB): " + s.memoryMb() + ", application master " + s.am() + containerLogTails(s.app());
    }

    private static String read(FileSystem fs, String path) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void writeXml(Configuration conf, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(f);
            }
        }
    }
}
