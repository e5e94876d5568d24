package io.fashionspark.deploy;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the deploy ITs share: running a script from the repository root, and a free port. */
final class Scripts {
    private Scripts() {
    }

    record Proc(int code, String output) {
    }

    /** Runs the command in the repository root with the extra environment; its exit code and output. */
    static Proc script(List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("fashion-spark-script", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(new File(".")).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Proc(-1, "timed out after " + timeoutSeconds + " s: " + Files.readString(log));
            }
            return new Proc(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
