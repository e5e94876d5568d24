package io.fashionspark.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

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
        String extension = platformExtension(BuildInfo.get("nd4j.classifier"), NativeDefaults::cpuHasAvx2);
        if (!extension.isEmpty()) {
            setIfAbsent(PLATFORM_EXTENSION, extension);
        }
        setIfAbsent(HELPERS_DISABLE, "false");
        // Without a cap JavaCPP lets off-heap garbage grow to twice the heap before it asks for a GC.
        long heap = Runtime.getRuntime().maxMemory();
        setIfAbsent(MAX_PHYSICAL_BYTES, Long.toString(heap + (1536L << 20)));
    }

    /**
     * The suffix by which JavaCPP finds the one native build the jar carries ({@code nd4j.classifier}, e.g.
     * {@code linux-x86_64-onednn-avx2}, or {@code linux-x86_64-cudnn} with {@code -Pcuda}): empty for the generic
     * build.
     *
     * @throws UnsupportedCpuException where the build needs AVX2 and this CPU has none: there is no other build in
     *                                 the jar to fall back on, and loading it would die on an illegal instruction
     */
    static String platformExtension(String classifier, BooleanSupplier cpuHasAvx2) {
        String extension = classifier.startsWith(PLATFORM) ? classifier.substring(PLATFORM.length()) : "";
        if (extension.contains("avx2") && !cpuHasAvx2.getAsBoolean()) {
            throw new UnsupportedCpuException("this CPU has no AVX2, which the jar's ND4J build (" + classifier
                    + ") needs; build a jar for it with: mvn -B -DskipTests -Dnd4j.classifier=" + PLATFORM
                    + " package");
        }
        return extension;
    }

    /** The CPU cannot run the jar's native build. */
    public static final class UnsupportedCpuException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedCpuException(String message) {
            super(message);
        }
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
