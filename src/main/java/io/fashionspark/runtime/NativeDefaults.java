package io.fashionspark.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JVM-wide settings ND4J and DL4J read once, when they first load. Applied at the start of the driver and of every
 * executor-side function, before any ND4J class is touched; a value already set (by {@code -D} or by
 * {@code spark.executor.extraJavaOptions}) is left alone.
 */
public final class NativeDefaults {
    /** JavaCPP picks the native build of ND4J by this suffix. */
    static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    /** DL4J 1.0.0-M2.1 keeps its oneDNN layer helpers off unless this is "false". */
    static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    /** Cap on the process's resident memory before JavaCPP forces a GC to free off-heap buffers. */
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    private static final String PLATFORM = "linux-x86_64";

    private static final AtomicBoolean APPLIED = new AtomicBoolean();

    private NativeDefaults() {
    }

    public static void apply() {
        if (!APPLIED.compareAndSet(false, true)) {
            return;
        }
        // The build bundles one native variant (nd4j.classifier, e.g. linux-x86_64-onednn-avx2 or, with -Pcuda,
        // linux-x86_64-cudnn); JavaCPP finds it only when told its suffix.
        String classifier = BuildInfo.get("nd4j.classifier");
        String extension = classifier.startsWith(PLATFORM) ? classifier.substring(PLATFORM.length()) : "";
        if (!extension.isEmpty() && (!extension.contains("avx2") || cpuHasAvx2())) {
            setIfAbsent(PLATFORM_EXTENSION, extension);
        }
        setIfAbsent(HELPERS_DISABLE, "false");
        // Without a cap JavaCPP lets off-heap garbage grow to twice the heap before it asks for a GC.
        long heap = Runtime.getRuntime().maxMemory();
        setIfAbsent(MAX_PHYSICAL_BYTES, Long.toString(heap + (1536L << 20)));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static boolean cpuHasAvx2() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            return Files.isReadable(cpuinfo) && Files.readString(cpuinfo).contains(" avx2");
        } catch (Exception e) {
            return false;
        }
    }
}
