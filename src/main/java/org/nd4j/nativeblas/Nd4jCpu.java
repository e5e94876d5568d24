package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Bridge for DL4J 1.0.0-M2.1's oneDNN helper check. {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN()} by reflection, a class nd4j-native M2.1 no longer
 * has (it moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment#isUseONEDNN()}). The lookup
 * fails and every conv, pooling and batch-norm layer falls back to DL4J's slow Java-side path, which is also what
 * made the CNN's off-heap memory climb. This class answers the old question from the new environment.
 *
 * <p>The new environment is reached by reflection too: it is nd4j-native's, and the CUDA build ({@code -Pcuda})
 * compiles this class without nd4j-native (there DL4J asks for cuDNN helpers instead, and the answers are "no").
 */
public final class Nd4jCpu {
    private static final String NATIVE_ENVIRONMENT = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

    private Nd4jCpu() {
    }

    /** The subset of the old environment API DL4J's helpers call. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private final Object nativeEnvironment;

        private Environment() {
            Object env = null;
            try {
                env = Class.forName(NATIVE_ENVIRONMENT).getMethod("getInstance").invoke(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                // Not the CPU backend: no oneDNN to report.
            }
            nativeEnvironment = env;
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return Boolean.TRUE.equals(call("isUseONEDNN"));
        }

        public boolean helpersAllowed() {
            return Boolean.TRUE.equals(call("helpersAllowed"));
        }

        public void allowHelpers(boolean allow) {
            call("allowHelpers", allow);
        }

        private Object call(String name, Object... args) {
            if (nativeEnvironment == null) {
                return null;
            }
            try {
                Class<?>[] types = args.length == 0 ? new Class<?>[0] : new Class<?>[] {boolean.class};
                Method m = nativeEnvironment.getClass().getMethod(name, types);
                return m.invoke(nativeEnvironment, args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("nd4j-native's environment has no " + name + "()", e);
            }
        }
    }
}
