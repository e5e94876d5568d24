package io.fashionspark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real small file system that fills up: a tmpfs mounted by the test (mounting needs root, which CI has). Closing
 * unmounts it.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code bytes} on {@code dir} (created); null when this user may not mount. */
    public static Tmpfs mount(Path dir, long bytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        return run("-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString()) ? new Tmpfs(dir) : null;
    }

    /** Frees space: the same file system, grown to {@code bytes}, its files kept. */
    public void grow(long bytes) throws IOException, InterruptedException {
        if (!run("-o", "remount,size=" + bytes, dir.toString())) {
            throw new IOException("cannot remount " + dir + " with " + bytes + " bytes");
        }
    }

    public Path dir() {
        return dir;
    }

    private static boolean run(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "mount";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            System.err.println(String.join(" ", command) + ": " + out);
            return false;
        }
        return true;
    }

    /**
     * Unmounts it lazily: a failed Spark write can leave a file open in the test JVM (a CLI run exits, so it does
     * not matter there), and a busy tmpfs would stay mounted.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "--lazy", dir.toString()).inheritIO().start().waitFor();
    }
}
