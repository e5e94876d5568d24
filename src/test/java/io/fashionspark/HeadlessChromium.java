package io.fashionspark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens a page in Debian's Chromium, headless and offline, and returns the DOM after the page's load event with
 * the browser's console lines. Chromium logs every console message (log, error, an uncaught exception, a blocked
 * load) on stderr as a line with {@code CONSOLE}, whatever its level.
 */
public final class HeadlessChromium {
    public static final Path BINARY = Path.of("/usr/bin/chromium");

    /** What the browser made of a page. */
    public record Page(String dom, List<String> consoleLines, String stderr) {
    }

    private HeadlessChromium() {
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Loads {@code html} with a fresh profile under {@code scratch}; nothing is fetched from any network. */
    public static Page load(Path html, Path scratch) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        Path stdout = scratch.resolve(profile.getFileName() + ".dom.html");
        Path stderr = scratch.resolve(profile.getFileName() + ".stderr.txt");
        Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--dump-dom",
                html.toUri().toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            // Only the browser this test started, and its helpers.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish loading " + html + " within 60 s");
        }
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited with " + p.exitValue() + " on " + html + ":\n" + err);
        }
        List<String> console = err.lines().filter(l -> l.contains("CONSOLE") || l.contains("Uncaught")).toList();
        return new Page(Files.readString(stdout, StandardCharsets.UTF_8), console, err);
    }
}
