package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fashionspark.runtime.BuildInfo;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Keeps deploy/, conf/ and the README in step with the code: the main class, the jar name, the Spark version, the
 * Spark settings and every option passed to {@code train} must be what the build and the CLI actually have.
 */
class DeployFilesTest {
    static final Path DEPLOY = Path.of("deploy");
    static final String JAR = BuildInfo.get("jar.name");
    static final Pattern CLASS_ARG = Pattern.compile("--class\\s+(\\S+)");

    private static Set<String> trainOptions() {
        return new CommandLine(new Main()).getSubcommands().get("train").getCommandSpec().optionsMap().keySet();
    }

    private static List<Path> deployFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static Map<String, String> sparkDefaults() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("conf/spark-defaults.conf"))) {
            p.load(r);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }

    @Test
    void theSparkOperatorManifestRunsThisJarMainClassAndValidArguments() throws Exception {
        JsonNode spec = new ObjectMapper(new YAMLFactory())
                .readTree(DEPLOY.resolve("k8s/spark-application.yaml").toFile()).get("spec");
        assertEquals(Main.class.getName(), spec.get("mainClass").asText());
        assertEquals("local:///opt/fashion-spark/" + JAR, spec.get("mainApplicationFile").asText());
        assertEquals(BuildInfo.get("spark.version"), spec.get("sparkVersion").asText());
        assertEquals("Java", spec.get("type").asText());

        List<String> args = new ArrayList<>();
        spec.get("arguments").forEach(a -> args.add(a.asText()));
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
        CommandLine.ParseResult train = parsed.subcommand();
        assertEquals("train", train.commandSpec().name());
        int workers = io.fashionspark.config.Settings.WORKERS.parse(train.matchedOptionValue("--workers", "-1"));
        JsonNode executor = spec.get("executor");
        assertEquals(executor.get("instances").asInt() * executor.get("cores").asInt(), workers,
                "--workers must equal executor instances x cores");

        // sparkConf repeats conf/spark-defaults.conf: the same value for every key both have, and all of ours.
        JsonNode conf = spec.get("sparkConf");
        for (Map.Entry<String, String> e : sparkDefaults().entrySet()) {
            assertTrue(conf.has(e.getKey()), "manifest lacks " + e.getKey());
            assertEquals(e.getValue(), conf.get(e.getKey()).asText(), e.getKey());
        }
        assertEquals(sparkDefaults().get("spark.executor.memoryOverhead"), executor.get("memoryOverhead").asText());
        assertEquals(sparkDefaults().get("spark.executor.memory"), executor.get("memory").asText());
        assertEquals(sparkDefaults().get("spark.driver.memory"), spec.get("driver").get("memory").asText());
        // Each of an executor's cores runs a replica at once: one native thread each, never cores x cores.
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS").asText());
        // Closed like every cluster deploy/ starts.
        for (String setting : SECURE_SETTINGS) {
            String[] kv = setting.split("=", 2);
            assertEquals(kv[1], conf.path(kv[0]).asText(), kv[0]);
        }
    }

    /** What deploy/common.sh turns on for every cluster: authentication, RPC and local-disk encryption. */
    static final List<String> SECURE_SETTINGS = List.of("spark.authenticate=true",
            "spark.network.crypto.enabled=true", "spark.io.encryption.enabled=true");

    @Test
    void everySchedulersSubmitScriptAuthenticatesAndEncrypts() throws IOException {
        String common = Files.readString(DEPLOY.resolve("common.sh"));
        assertTrue(common.contains("SECURE_SPARK_SETTINGS=(" + String.join(" ", SECURE_SETTINGS) + ")"), common);
        for (String script : List.of("standalone/submit.sh", "standalone/start-cluster.sh", "k8s/submit.sh",
                "yarn/submit.sh")) {
            String text = Files.readString(DEPLOY.resolve(script));
            assertTrue(text.contains("SECURE_SUBMIT_CONF[@]") || text.contains("SECURE_SPARK_SETTINGS[@]"),
                    script + " does not use deploy/common.sh's security settings");
        }
    }

    /**
     * Every Spark version named in deploy/, the README and the stack notes is the build's. The one exception is
     * the REPL's own line in docs/stack.md (its 3.5.9 is not on the registry the build uses).
     */
    @Test
    void everyPlaceThatNamesASparkVersionNamesTheBuildsVersion() throws IOException {
        Pattern sparkVersion = Pattern.compile("(?i)spark[^\\n|]{0,40}?\\b(3\\.\\d+\\.\\d+)\\b");
        List<Path> files = new ArrayList<>(deployFiles());
        files.addAll(List.of(Path.of("README.md"), Path.of("docs/stack.md"), Path.of("docs/commands.md")));
        List<String> wrong = new ArrayList<>();
        int seen = 0;
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                if (line.contains("REPL")) {
                    continue;
                }
                Matcher m = sparkVersion.matcher(line);
                while (m.find()) {
                    seen++;
                    if (!m.group(1).equals(BuildInfo.get("spark.version"))) {
                        wrong.add(file + ": " + line.trim());
                    }
                }
            }
        }
        assertTrue(seen >= 6, "expected the version in the k8s, yarn and docker files and the README, found " + seen);
        assertEquals(List.of(), wrong);
    }

    @Test
    void theDockerfileCopiesTheBuiltJarOntoTheSparkImageItIsBuiltFor() throws Exception {
        String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
        assertTrue(dockerfile.contains("COPY target/" + JAR + " /opt/fashion-spark/" + JAR), dockerfile);
        assertTrue(dockerfile.contains("apache/spark:" + BuildInfo.get("spark.version") + "-scala"
                + BuildInfo.get("scala.binary.version") + "-java17"), "base image must match the build");
        assertTrue(dockerfile.contains("COPY conf/spark-defaults.conf"), dockerfile);
        assertTrue(dockerfile.contains("/usr/share/datasets/fashion-mnist"), "the default --data path");
    }

    @Test
    void everyMainClassNamedInDeployOrReadmeIsOurs() throws Exception {
        List<String> texts = new ArrayList<>();
        for (Path f : deployFiles()) {
            texts.add(Files.readString(f));
        }
        texts.add(Files.readString(Path.of("README.md")));
        int seen = 0;
        for (String text : texts) {
            Matcher m = CLASS_ARG.matcher(text);
            while (m.find()) {
                String name = m.group(1);
                if (name.startsWith("\"") || name.startsWith("<")) {
                    continue;
                }
                assertEquals(Main.class.getName(), name);
                seen++;
            }
        }
        // A script that also submits the bench module's commands picks the class first (submit.sh).
        for (String text : texts) {
            Matcher m = Pattern.compile("(?m)^main_class=(\\S+)$").matcher(text);
            while (m.find()) {
                assertEquals(Main.class.getName(), m.group(1));
                seen++;
            }
        }
        assertTrue(seen >= 3, "the submit scripts name the main class");
    }

    /** Every {@code train --option} written in deploy/ and in the README's code blocks is an option train has. */
    @Test
    void everyTrainOptionWrittenInDeployOrReadmeExists() throws Exception {
        Set<String> options = trainOptions();
        List<String> lines = new ArrayList<>();
        for (Path f : deployFiles()) {
            lines.addAll(joinContinuations(Files.readAllLines(f)));
        }
        boolean inCode = false;
        List<String> readmeCode = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (inCode) {
                readmeCode.add(line);
            }
        }
        lines.addAll(joinContinuations(readmeCode));
        int checked = 0;
        for (String line : lines) {
            String[] tokens = line.replace('"', ' ').replace('(', ' ').replace(')', ' ').trim().split("\\s+");
            for (int i = 0; i < tokens.length; i++) {
                if (!tokens[i].equals("train")) {
                    continue;
                }
                for (int j = i + 1; j < tokens.length; j++) {
                    String t = tokens[j];
                    if (t.startsWith("#") || t.equals("|") || t.equals("&&") || t.equals(";") || t.startsWith(">")) {
                        break;
                    }
                    if (t.startsWith("--")) {
                        String name = t.contains("=") ? t.substring(0, t.indexOf('=')) : t;
                        assertTrue(options.contains(name), "train has no option " + name + ": " + line);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked >= 10, "found only " + checked + " train options to check");
    }

    private static List<String> joinContinuations(List<String> lines) {
        List<String> joined = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String l = line.replaceFirst("^\\s*#\\s*", " ");
            if (l.endsWith("\\")) {
                current.append(l, 0, l.length() - 1).append(' ');
            } else {
                joined.add(current.append(l).toString());
                current.setLength(0);
            }
        }
        return joined;
    }

    @Test
    void scriptsAreStrictAndParse() throws Exception {
        List<Path> scripts = new ArrayList<>(deployFiles().stream()
                .filter(f -> f.toString().endsWith(".sh") || f.toString().endsWith(".sbatch")).toList());
        assertTrue(scripts.size() >= 7, scripts.toString());
        for (Path script : scripts) {
            String text = Files.readString(script);
            if (!script.getFileName().toString().equals("common.sh")) {
                assertTrue(text.contains("set -euo pipefail"), script + " is not strict");
                assertTrue(Files.isExecutable(script), script + " is not executable");
            }
            assertFalse(Pattern.compile("\\b\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\b").matcher(text).find(),
                    script + " hard-codes an address");
            assertFalse(text.contains("fashion-spark.jar"), script + " hard-codes the jar name");
            assertEquals(0, run("bash", "-n", script.toString()), script + " does not parse");
        }
        assumeTrue(run("sh", "-c", "command -v shellcheck") == 0, "shellcheck not installed: lint skipped");
        List<String> lint = new ArrayList<>(List.of("shellcheck", "-x", "-P", "SCRIPTDIR/.."));
        scripts.forEach(s -> lint.add(s.toString()));
        assertEquals(0, run(lint.toArray(String[]::new)), "shellcheck found problems in deploy/ (run it)");
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return p.exitValue();
    }
}
