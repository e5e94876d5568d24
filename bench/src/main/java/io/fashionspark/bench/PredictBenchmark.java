package io.fashionspark.bench;

import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.model.ModelKind;
import io.fashionspark.pictures.ImageConverter;
import io.fashionspark.pictures.InputFiles;
import io.fashionspark.pictures.InputImage;
import io.fashionspark.savedmodel.ModelZip;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Distributed {@code predict} over catalogues of pictures ({@code bin/make-pictures}'s) on a standalone cluster of
 * separate JVMs ({@code deploy/standalone}: a master and one-core workers on 127.0.0.1, each application's executor
 * a JVM of its own), against the same model's bare forward-pass rate on the same cores, measured in the same run.
 * The executors' peak resident set sizes are read from {@code /proc} while each job runs (the kernel's high-water
 * mark of each executor JVM), so they are the executors' alone: the driver, which lists the inputs, is another JVM.
 * Also times, on one thread, what a picture costs before the network sees it: reading, decoding, converting.
 */
public final class PredictBenchmark {
    private static final Pattern RATE =
            Pattern.compile("Classified ([0-9,]+) images, ([0-9,]+) failed.*?([0-9.]+) images/s");
    private static final Pattern BARE = Pattern.compile("images/s: ([0-9.]+)");

    /** What to measure. */
    public record Settings(ModelKind model, List<Integer> pictures, int workers, int repeats, String data, long seed,
                           Path workDirectory, String command) {
    }

    /** One predict run. */
    public record Run(int pictures, int repeat, long classified, long failed, double imagesPerSecond, long peakRssMb,
                      double wallSeconds) {
    }

    /** Per-picture costs on one thread, in milliseconds. */
    public record Costs(double read, double decode, double convert) {
    }

    /**
     * {@code runs}: over pictures; {@code decodedRuns}: over a Parquet table of the same number of images already
     * decoded to grey levels, which leaves out reading, decoding and converting pictures.
     */
    public record Results(Settings settings, String machine, List<Run> runs, List<Run> decodedRuns,
                          List<Double> bareRates, Costs costs, long modelParameters) {
        /** These results as JSON, saved beside the report so that it can be written again from them. */
        public String json() {
            try {
                return BenchResults.JSON.writeValueAsString(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the predict bench's results as JSON: " + e.getMessage(),
                        e);
            }
        }

        /** Reads what {@link #json()} wrote. */
        public static Results read(Path file) throws IOException {
            return BenchResults.JSON.readValue(file.toFile(), Results.class);
        }

        /** Whether {@code file} holds a predict bench's results rather than a training bench's. */
        public static boolean in(Path file) throws IOException {
            return BenchResults.JSON.readTree(file.toFile()).has("bareRates");
        }
    }

    private final Settings settings;
    private final PrintWriter log;

    public PredictBenchmark(Settings settings, PrintWriter log) {
        this.settings = settings;
        this.log = log;
    }

    public Results run() throws IOException, InterruptedException {
        Path repo = repository();
        Path work = Files.createDirectories(settings.workDirectory());
        Path model = work.resolve("model.zip");
        // The rate does not depend on the weights: the model as initialised with the seed.
        MultiLayerNetwork net = new MultiLayerNetwork(settings.model().factory().configuration(settings.seed(), 1e-3));
        net.init();
        try (OutputStream o = Files.newOutputStream(model)) {
            ModelZip.write(net, null, o);
        }
        LabelledImages test = FashionMnistFiles.loadTest(settings.data(), new Configuration());
        int most = settings.pictures().stream().mapToInt(Integer::intValue).max().orElseThrow();
        Path pictures = work.resolve("pictures");
        log.printf("bench: drawing %,d pictures into %s%n", most, pictures);
        log.flush();
        CataloguePictures.write(test, pictures, most);
        Costs costs = costs(pictures, 2000);
        Path table = work.resolve("decoded.parquet");
        writeDecodedTable(test, table, most);
        log.printf(Locale.ROOT, "bench: per picture on one thread: read %.3f ms, decode %.3f ms, convert %.3f ms%n",
                costs.read(), costs.decode(), costs.convert());
        List<Run> runs = new ArrayList<>();
        List<Run> decoded = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        Path state = work.resolve("cluster");
        int port = freePort();
        String started = runChild(repo, List.of("deploy/standalone/start-cluster.sh", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--ui-port", String.valueOf(freePort()), "--workers",
                String.valueOf(settings.workers()), "--worker-cores", "1", "--worker-memory", "4g", "--state-dir",
                state.toString()), java.util.Map.of());
        log.print(started);
        try {
            for (int r = 1; r <= settings.repeats(); r++) {
                bare.add(bareRate(model));
                log.printf(Locale.ROOT, "bench: bare forward pass, repeat %d: %.0f images/s%n", r,
                        bare.get(bare.size() - 1));
                for (int n : settings.pictures()) {
                    Run run = predict(repo, "spark://127.0.0.1:" + port, state, model, folders(pictures, n), n, r,
                            work.resolve("out-" + n + "-" + r));
                    runs.add(run);
                    log.printf(Locale.ROOT, "bench: predict over %,d pictures, repeat %d: %.0f images/s, executors' "
                            + "peak RSS %,d MB%n", n, r, run.imagesPerSecond(), run.peakRssMb());
                    log.flush();
                }
                Run run = predict(repo, "spark://127.0.0.1:" + port, state, model, List.of(table.toString()), most, r,
                        work.resolve("out-decoded-" + r));
                decoded.add(run);
                log.printf(Locale.ROOT, "bench: predict over %,d decoded images (Parquet), repeat %d: %.0f images/s, "
                        + "executors' peak RSS %,d MB%n", most, r, run.imagesPerSecond(), run.peakRssMb());
                log.flush();
            }
        } finally {
            log.print(runChild(repo, List.of("deploy/standalone/stop-cluster.sh", "--state-dir", state.toString()),
                    java.util.Map.of()));
            log.flush();
        }
        deleteTree(work);
        return new Results(settings, MachineFacts.describe(), runs, decoded, bare, costs, net.numParams());
    }

    /** The catalogue's folders hold 1,000 pictures each: the first n/1000 of them. */
    private static List<String> folders(Path pictures, int n) {
        List<String> folders = new ArrayList<>();
        for (int folder = 0; folder * 1000 < n; folder++) {
            folders.add(pictures.resolve(String.format(Locale.ROOT, "%04d", folder)).toString());
        }
        return folders;
    }

    /** The test images repeated to {@code rows} rows of label and 784 grey levels, as a Parquet table. */
    private static void writeDecodedTable(LabelledImages test, Path table, int rows) {
        try (org.apache.spark.sql.SparkSession spark = io.fashionspark.runtime.SparkContexts.session(
                "fashion-spark bench: decoded images", 1)) {
            List<org.apache.spark.sql.Row> data = new ArrayList<>(rows);
            byte[] pixels = test.images().pixels();
            for (int n = 0; n < rows; n++) {
                int i = n % test.size();
                data.add(org.apache.spark.sql.RowFactory.create((double) test.label(i),
                        java.util.Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784)));
            }
            org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                    .add("label", org.apache.spark.sql.types.DataTypes.DoubleType)
                    .add("image", org.apache.spark.sql.types.DataTypes.BinaryType);
            spark.createDataFrame(data, schema).repartition(8).write().parquet(table.toString());
        }
    }

    /** One {@code predict --output} on the cluster at {@code master}, started with the state directory {@code state}. */
    private Run predict(Path repo, String master, Path state, Path model, List<String> inputs, int n, int repeat,
                        Path output) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("deploy/standalone/submit.sh", "predict", "--model",
                model.toString(), "--output", output.toString(), "--workers", String.valueOf(settings.workers())));
        cmd.addAll(inputs);
        long start = System.nanoTime();
        String out;
        long peak;
        ExecutorMemory executors = new ExecutorMemory();
        try {
            // The cluster is closed (authenticated, encrypted): submit.sh takes its secret from the state directory.
            out = runChild(repo, cmd, java.util.Map.of("SPARK_MASTER", master, "SPARK_LOCAL_IP", "127.0.0.1",
                    "STATE_DIR", state.toString()));
        } finally {
            executors.close();
        }
        peak = executors.peakBytes();
        double wall = (System.nanoTime() - start) / 1e9;
        Matcher rate = RATE.matcher(out);
        if (!rate.find() || peak <= 0) {
            throw new IllegalStateException("predict did not report its rate, or no executor was seen:\n" + out);
        }
        return new Run(n, repeat, Long.parseLong(rate.group(1).replace(",", "")),
                Long.parseLong(rate.group(2).replace(",", "")), Double.parseDouble(rate.group(3)), peak >> 20, wall);
    }

    private double bareRate(Path model) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("-cp", jar(), ForwardRate.class.getName(), model.toString(), settings.data(), "20"));
        Matcher m = BARE.matcher(runChild(null, cmd, java.util.Map.of()));
        if (!m.find()) {
            throw new IllegalStateException("the forward-pass run did not report its rate");
        }
        return Double.parseDouble(m.group(1));
    }

    /** Reading, decoding and converting {@code count} catalogue pictures on this thread, after a warm-up. */
    static Costs costs(Path pictures, int count) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(pictures)) {
            files = s.filter(Files::isRegularFile).sorted().limit(count).toList();
        }
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (int pass = 0; pass < 3; pass++) {
            long read = 0;
            long decode = 0;
            long convert = 0;
            for (Path f : files) {
                long t0 = System.nanoTime();
                byte[] bytes = Files.readAllBytes(f);
                long t1 = System.nanoTime();
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
                long t2 = System.nanoTime();
                ImageConverter.toFashionMnist(img);
                long t3 = System.nanoTime();
                read += t1 - t0;
                decode += t2 - t1;
                convert += t3 - t2;
            }
            best[0] = Math.min(best[0], read / 1e6 / files.size());
            best[1] = Math.min(best[1], decode / 1e6 / files.size());
            best[2] = Math.min(best[2], convert / 1e6 / files.size());
        }
        // The same path predict takes gives the same grey levels (checked, not timed).
        InputImage check = InputFiles.parse(files.get(0).toString(), Files.readAllBytes(files.get(0))).get(0);
        if (check.pixels().length != 784) {
            throw new IllegalStateException("unexpected conversion");
        }
        return new Costs(best[0], best[1], best[2]);
    }

    private static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xmx") || arg.startsWith("-Dorg.bytedeco") || arg.startsWith("-Dlog4j2")) {
                cmd.add(arg);
            }
        }
        return cmd;
    }

    /**
     * The checkout the bench jar was built in ({@code bench/target/..}/..): its deploy/ scripts start the cluster and
     * submit the product's jar.
     */
    private static Path repository() {
        Path jarDirectory = Path.of(jar()).toAbsolutePath().getParent();
        for (Path dir = jarDirectory; dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("deploy/standalone/start-cluster.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the predict benchmark runs from a checkout's bench/target/ jar (it starts "
                + "deploy/standalone's cluster); no directory above " + jarDirectory + " has "
                + "deploy/standalone/start-cluster.sh");
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String jar() {
        try {
            return Path.of(PredictBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String runChild(Path dir, List<String> cmd, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + code + ":\n" + out);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The report: a markdown section with the command, the machine, the measurements and the targets. */
    public static String markdown(Results r) {
        Settings s = r.settings();
        StringBuilder md = new StringBuilder();
        md.append("# Distributed predict\n\n");
        md.append("Measured by `").append(s.command()).append("` on ").append(java.time.LocalDate.now())
                .append(", on ").append(r.machine()).append(".\n\n");
        md.append(String.format(Locale.ROOT, "%s (%,d parameters, as initialised with seed %d: the rates do not depend "
                        + "on the weights) on a standalone cluster on this machine (`deploy/standalone`): %d one-core "
                        + "executors, each its own JVM, and the driver in another; pictures from `bin/make-pictures` "
                        + "(100x140, PNG and JPEG in turn); %d repeats.%n%n", s.model().displayName(),
                r.modelParameters(), s.seed(), s.workers(), s.repeats()));
        double bareMean = r.bareRates().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        md.append(String.format(Locale.ROOT, "Bare forward pass (decoded test images, batches of 256, all cores): "
                + "%s images/s.%n%n", spread(r.bareRates())));
        md.append("| pictures | images/s (each repeat) | of the bare forward pass "
                + "| executor peak RSS, MB (each repeat) | "
                + "failed |\n|---|---|---|---|---|\n");
        for (int n : s.pictures()) {
            List<Run> runs = r.runs().stream().filter(x -> x.pictures() == n).toList();
            List<Double> rates = runs.stream().map(Run::imagesPerSecond).toList();
            double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %,d | %s | %.2f | %s | %d |%n", n, spread(rates), mean / bareMean,
                    runs.stream().map(x -> String.format(Locale.ROOT, "%,d", x.peakRssMb()))
                            .reduce((a, b) -> a + ", " + b).orElse(""),
                    runs.stream().mapToLong(Run::failed).sum()));
        }
        if (!r.decodedRuns().isEmpty()) {
            List<Double> rates = r.decodedRuns().stream().map(Run::imagesPerSecond).toList();
            double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %,d decoded (Parquet of grey levels) | %s | %.2f | %s | %d |%n",
                    r.decodedRuns().get(0).pictures(), spread(rates), mean / bareMean,
                    r.decodedRuns().stream().map(x -> String.format(Locale.ROOT, "%,d", x.peakRssMb()))
                            .reduce((a, b) -> a + ", " + b).orElse(""),
                    r.decodedRuns().stream().mapToLong(Run::failed).sum()));
        }
        int least = s.pictures().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int most = s.pictures().stream().mapToInt(Integer::intValue).max().orElseThrow();
        double rssLeast = r.runs().stream().filter(x -> x.pictures() == least).mapToLong(Run::peakRssMb).max()
                .orElse(0);
        double rssMost = r.runs().stream().filter(x -> x.pictures() == most).mapToLong(Run::peakRssMb).max()
                .orElse(0);
        double rateMost = r.runs().stream().filter(x -> x.pictures() == most).mapToDouble(Run::imagesPerSecond)
                .average().orElse(Double.NaN);
        md.append(String.format(Locale.ROOT, "%nTargets: distributed predict over %,d pictures at %.2f of the bare "
                        + "forward-pass rate (target: at least 0.5): %s. Executor peak RSS with %,d pictures "
                        + "against %,d: "
                        + "%+.1f%% (target: within 10%%): %s.%n%n", most, rateMost / bareMean,
                rateMost / bareMean >= 0.5 ? "met" : "not met", most, least, 100 * (rssMost / rssLeast - 1),
                Math.abs(rssMost / rssLeast - 1) < 0.10 ? "met" : "not met"));
        Costs c = r.costs();
        double forwardCoreMs = 1000.0 * Runtime.getRuntime().availableProcessors() / bareMean;
        double total = c.read() + c.decode() + c.convert() + forwardCoreMs;
        md.append("Where a picture's time goes (one thread; the forward pass as core-milliseconds of the bare "
                + "rate):\n\n");
        md.append("| step | ms per picture | share |\n|---|---|---|\n");
        md.append(row("read the file", c.read(), total));
        md.append(row("decode PNG/JPEG (ImageIO)", c.decode(), total));
        md.append(row("convert to 28x28 (grey, crop, resize)", c.convert(), total));
        md.append(row("forward pass", forwardCoreMs, total));
        md.append(String.format(Locale.ROOT, "%nOn %d cores these alone allow at most %.0f images/s, %.2f of the bare "
                        + "forward pass; the rest of the gap is Spark's: starting the application and its executors, "
                        + "planning, each executor loading the network, rows in and out of Spark's format, writing "
                        + "Parquet. The decoded row runs the same job over images stored as grey levels: no reading, "
                        + "decoding or converting of pictures, so the gap left there is Spark's alone.%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors() * 1000.0 / total,
                Runtime.getRuntime().availableProcessors() * 1000.0 / total / bareMean));
        return md.toString();
    }

    private static String row(String step, double ms, double total) {
        return String.format(Locale.ROOT, "| %s | %.3f | %.0f%% |%n", step, ms, 100 * ms / total);
    }

    private static String spread(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).reduce((a, b) -> a + ", " + b)
                .orElse("");
    }
}
