package io.fashionspark.bench;

import io.fashionspark.runtime.BuildInfo;
import io.fashionspark.runtime.RuntimeVersions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/** What the numbers were measured on, for the report's "Machine" section. */
public final class MachineFacts {
    private MachineFacts() {
    }

    /** One line: the CPU, cores, memory, Java and the load average when measured. */
    public static String describe() {
        return identity() + ", load average " + loadAverage();
    }

    /** The machine without its moment: the CPU, cores, memory and Java. */
    public static String identity() {
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + meminfo("MemTotal")
                + ", Java " + System.getProperty("java.version");
    }

    /** Name to value, in the order the report lists them. */
    static Map<String, String> collect() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("CPU", cpuModel());
        facts.put("Cores the JVM uses", Integer.toString(Runtime.getRuntime().availableProcessors()));
        facts.put("Memory", meminfo("MemTotal"));
        facts.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        facts.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        facts.put("JVM heap limit", Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB (-Xmx)");
        facts.put("JVM options", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()
                .stream().filter(a -> a.startsWith("-X") || a.startsWith("-Dorg.bytedeco")).toList()));
        RuntimeVersions versions = RuntimeVersions.detect();
        facts.put("Spark", versions.spark() + " (Scala " + versions.scala() + "), embedded local[N] master");
        facts.put("DL4J", BuildInfo.get("dl4j.version") + ", dl4j-spark " + BuildInfo.get("dl4j-spark.version"));
        facts.put("ND4J backend", BuildInfo.get("nd4j.backend") + " " + BuildInfo.get("nd4j.classifier") + " ("
                + Nd4j.getBackend().getClass().getSimpleName() + ", " + Nd4j.getEnvironment().maxThreads()
                + " ND4J op threads; BLAS threads set per scenario, see Method)");
        facts.put("fashion-spark", BuildInfo.version());
        return facts;
    }

    /** The 1-, 5- and 15-minute load averages: other work on the machine skews every timing. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return System.getProperty("os.arch");
    }

    private static String meminfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(key + ":")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return "unknown";
    }
}
