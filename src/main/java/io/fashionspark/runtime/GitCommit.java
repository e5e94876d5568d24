package io.fashionspark.runtime;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The git commit of the checkout the jar was run from, when there is one (null otherwise). */
public final class GitCommit {
    private GitCommit() {
    }

    public static String find() {
        try {
            File jar = new File(GitCommit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            File dir = jar.isDirectory() ? jar : jar.getParentFile();
            Process p = new ProcessBuilder("git", "-C", dir.getPath(), "rev-parse", "HEAD")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && s.matches("[0-9a-f]{40}") ? s : null;
        } catch (Exception e) {
            return null;
        }
    }
}
