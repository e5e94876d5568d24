package io.fashionspark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The jar carries one native build of ND4J: the one JavaCPP is told to load, or a clear refusal. */
class NativeDefaultsTest {
    @Test
    void theJarsBuildIsLoadedByItsSuffix() {
        assertEquals("-onednn-avx2", NativeDefaults.platformExtension("linux-x86_64-onednn-avx2", () -> true));
        assertEquals("-cudnn", NativeDefaults.platformExtension("linux-x86_64-cudnn", () -> false));
        assertEquals("", NativeDefaults.platformExtension("linux-x86_64", () -> false));
    }

    @Test
    void aCpuWithoutAvx2IsToldHowToBuildForIt() {
        NativeDefaults.UnsupportedCpuException e = assertThrows(NativeDefaults.UnsupportedCpuException.class,
                () -> NativeDefaults.platformExtension("linux-x86_64-onednn-avx2", () -> false));
        assertTrue(e.getMessage().contains("no AVX2"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dnd4j.classifier=linux-x86_64"), e.getMessage());
    }

    @Test
    void theJarHoldsOneNativeBuild() throws Exception {
        // The classpath the tests run on is the job jar's: one libnd4jcpu, the build's own.
        assumeTrue(BuildInfo.get("nd4j.backend").equals("nd4j-native"), "a CPU build");
        String classifier = BuildInfo.get("nd4j.classifier");
        ClassLoader loader = NativeDefaults.class.getClassLoader();
        String dir = "org/nd4j/linalg/cpu/nativecpu/bindings/";
        assertTrue(loader.getResource(dir + classifier + "/libnd4jcpu.so") != null, classifier);
        if (!classifier.equals("linux-x86_64")) {
            assertEquals(null, loader.getResource(dir + "linux-x86_64/libnd4jcpu.so"),
                    "the generic build is on the classpath beside " + classifier);
        }
    }
}
