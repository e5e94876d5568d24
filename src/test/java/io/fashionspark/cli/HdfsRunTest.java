package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.IdxFixtures;
import io.fashionspark.cli.CommandLineTest.Result;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data read from and a run written to {@code hdfs://} URIs, against a real HDFS (NameNode and DataNode of the
 * Hadoop minicluster) started in this JVM: nothing about the file system is mocked.
 */
class HdfsRunTest {
    @TempDir
    static Path tmp;
    static MiniDFSCluster cluster;
    static FileSystem hdfs;
    static String base;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
        base = "hdfs://127.0.0.1:" + cluster.getNameNodePort();

        Path local = IdxFixtures.writeDataset(tmp.resolve("data"), 400, 100, 11);
        try (Stream<Path> files = Files.list(local)) {
            for (Path f : files.toList()) {
                hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toString()),
                        new org.apache.hadoop.fs.Path("/fashion/" + f.getFileName()));
            }
        }
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void trainsFromHdfsDataIntoAnHdfsRunDirectory() throws Exception {
        Result result = CommandLineTest.run("train", "--model", "dnn", "--data", base + "/fashion", "--output",
                base + "/runs/first", "--workers", "2", "--batch-size", "20", "--averaging-frequency", "2",
                "--epochs", "1", "--eval-every", "5", "--seed", "5");
        assertEquals(0, result.code(), result.err());

        org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path("/runs/first");
        for (String name : new String[] {"model.zip", "metrics.jsonl", "metrics.csv", "summary.json"}) {
            assertTrue(hdfs.getFileStatus(new org.apache.hadoop.fs.Path(run, name)).getLen() > 0, name);
        }
        // Nothing left aside from the atomic writes: the outputs, checkpoints, report.html and its charts/.
        assertEquals(List.of("charts", "checkpoints", "config.json", "metrics.csv", "metrics.jsonl", "model.zip",
                "report.html", "summary.json"), names(run));
        assertEquals(List.of("checkpoint-000000010.json", "checkpoint-000000010.zip"),
                names(new org.apache.hadoop.fs.Path(run, "checkpoints")));
        String report;
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(run, "report.html"))) {
            report = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // The report read the model and the test images back from HDFS: the grid of test images is there.
        assertTrue(report.contains("data-chart=\"samples.png\"") && !report.contains("No image grid"), report);
        assertEquals(6, hdfs.listStatus(new org.apache.hadoop.fs.Path(run, "charts")).length);
        String metrics;
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(run, "metrics.jsonl"))) {
            metrics = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // 400 images / (2 workers x 20) = 10 iterations, each worker's loss logged.
        assertEquals(20, metrics.lines().filter(l -> l.contains("\"" + io.fashionspark.metrics.EventNames.TRAIN_LOSS + "\"")).count(), metrics);
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(run, "model.zip"))) {
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(in, false);
            assertEquals(235_146, net.numParams());
        }
    }

    private static List<String> names(org.apache.hadoop.fs.Path dir) throws java.io.IOException {
        return java.util.Arrays.stream(hdfs.listStatus(dir)).map(f -> f.getPath().getName()).sorted().toList();
    }

    @Test
    void resumesAnHdfsRunToTrainLonger() throws Exception {
        Result first = CommandLineTest.run("train", "--model", "dnn", "--data", base + "/fashion", "--output",
                base + "/runs/resumed", "--workers", "2", "--batch-size", "20", "--epochs", "1", "--eval-every", "5");
        assertEquals(0, first.code(), first.err());
        Result resumed = CommandLineTest.run("train", "--resume", base + "/runs/resumed", "--epochs", "2");
        assertEquals(0, resumed.code(), resumed.err());
        org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path("/runs/resumed");
        String metrics;
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(run, "metrics.jsonl"))) {
            metrics = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(2 * 20, metrics.lines().filter(l -> l.contains("\"train_loss\"")).count(), metrics);
        assertEquals(2, metrics.lines().filter(l -> l.contains("\"epoch\",")).count(), metrics);
        assertEquals(List.of("checkpoint-000000010.json", "checkpoint-000000010.zip", "checkpoint-000000020.json",
                "checkpoint-000000020.zip"), names(new org.apache.hadoop.fs.Path(run, "checkpoints")));
    }

    @Test
    void refusesAnHdfsRunDirectoryThatHoldsARun() throws Exception {
        hdfs.mkdirs(new org.apache.hadoop.fs.Path("/runs/taken"));
        hdfs.create(new org.apache.hadoop.fs.Path("/runs/taken/model.zip")).close();
        Result result = CommandLineTest.run("train", "--model", "dnn", "--data", base + "/fashion", "--output",
                base + "/runs/taken", "--epochs", "1", "--batch-size", "20");
        assertEquals(ExitCodes.OUTPUT, result.code(), result.err());
        assertTrue(result.err().contains(base + "/runs/taken"), result.err());
        assertTrue(result.err().contains("--overwrite"), result.err());
        assertEquals(0, hdfs.getFileStatus(new org.apache.hadoop.fs.Path("/runs/taken/model.zip")).getLen());
    }

    @Test
    void predictOnHdfsReportsADirectoryItCannotListAsARowAndClassifiesTheRest() throws Exception {
        // Pictures on HDFS, one folder locked (0700, the superuser's): a real permission denial for another user.
        org.apache.hadoop.fs.Path catalogue = new org.apache.hadoop.fs.Path("/catalogue");
        byte[][] images = IdxFixtures.synthetic(3, 5);
        for (int i = 0; i < 3; i++) {
            String folder = i == 2 ? "locked" : "open";
            try (var out = hdfs.create(new org.apache.hadoop.fs.Path(catalogue, folder + "/item-" + i + ".png"))) {
                out.write(io.fashionspark.Pictures.encode(io.fashionspark.Pictures.blackOnWhite(
                        io.fashionspark.Pictures.image(images[0], i), 100, 140), "png"));
            }
        }
        hdfs.setPermission(new org.apache.hadoop.fs.Path(catalogue, "locked"),
                new org.apache.hadoop.fs.permission.FsPermission((short) 0700));
        hdfs.mkdirs(new org.apache.hadoop.fs.Path("/shared"));
        hdfs.setPermission(new org.apache.hadoop.fs.Path("/shared"),
                new org.apache.hadoop.fs.permission.FsPermission((short) 0777));

        Result result = org.apache.hadoop.security.UserGroupInformation.createRemoteUser("alice").doAs(
                (java.security.PrivilegedExceptionAction<Result>) () -> CommandLineTest.run("predict", "--model",
                        TrainedModel.model().toString(), "--workers", "2", "--output", base + "/shared/labels",
                        "--format", "csv", base + "/catalogue"));
        assertEquals(ExitCodes.DATA, result.code(), result.out() + result.err());
        assertTrue(result.err().contains("/catalogue/locked: directory cannot be listed (Permission denied"),
                result.err());
        assertTrue(result.out().contains("Classified 2 images, 1 failed"), result.out());
        StringBuilder csv = new StringBuilder();
        for (var status : hdfs.listStatus(new org.apache.hadoop.fs.Path("/shared/labels"))) {
            if (status.getPath().getName().endsWith(".csv")) {
                try (var in = hdfs.open(status.getPath())) {
                    csv.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        assertTrue(csv.toString().contains("/catalogue/open/item-0.png,"), csv.toString());
        assertTrue(csv.toString().contains("/catalogue/locked,"), csv.toString());
    }
}
