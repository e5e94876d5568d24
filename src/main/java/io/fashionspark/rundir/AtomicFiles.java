package io.fashionspark.rundir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files on the local disk replaced whole: written aside in the target's directory, then renamed over it, so that a
 * reader, or a command killed half-way, finds the old file or the complete new one and no temporary file. For the
 * reports and study results a command writes on the machine it runs on; a run directory, on any Hadoop file system,
 * has {@link RunDirectory#writeAtomically}.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code target} with {@code content}, creating its directory if need be.
     *
     * @throws NoSpaceLeftException when the disk is full
     * @throws OutputException      when it cannot be written for another reason; either way the old file is intact
     */
    public static void write(Path target, byte[] content) {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        // A name of its own, so that two commands writing the same report do not write into one temporary file.
        Path aside = directory.resolve("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectories(directory);
            // Not Files.createTempFile: its owner-only permissions would stay on the report after the rename.
            Files.write(aside, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(aside, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(aside, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw NoSpaceLeftException.isNoSpace(e)
                    ? NoSpaceLeftException.writing(directory.toString(), absolute.getFileName().toString(), e)
                    : new OutputException(target + ": cannot be written: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(aside);
            } catch (IOException ignored) {
                // Already failing, or already moved: the error that matters is the one above.
            }
        }
    }
}
