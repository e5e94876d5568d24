package org.nd4j.nativeblas;

/**
 * Bridge for DL4J 1.0.0-M2.1's oneDNN helper check. {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN()} by reflection, a class nd4j-native M2.1 no longer
 * has (it moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment#isUseONEDNN()}). The lookup
 * fails and every conv, pooling and batch-norm layer falls back to DL4J's slow Java-side path, which is also what
 * made the CNN's off-heap memory climb. This class answers the old question from the new environment.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The subset of the old environment API DL4J's helpers call. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }

        public boolean helpersAllowed() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().helpersAllowed();
        }

        public void allowHelpers(boolean allow) {
            org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().allowHelpers(allow);
        }
    }
}
