package io.fashionspark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fashionspark.rundir.AtomicFiles;
import io.fashionspark.rundir.NoSpaceLeftException;
import io.fashionspark.rundir.OutputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports and study results on the local disk: replaced whole or not at all, and no temporary file left. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void replacesTheFileWholeWithTheDirectorysUsualPermissions() throws Exception {
        Path report = tmp.resolve("docs/report.md");
        AtomicFiles.write(report, "old");
        AtomicFiles.write(report, "new");
        assertEquals("new", Files.readString(report));
        assertEquals(List.of("report.md"), names(report.getParent()));
        // The umask's permissions, like any file the user writes, not a temporary file's owner-only ones.
        Path byHand = Files.writeString(tmp.resolve("docs/by-hand.md"), "x");
        assertEquals(Files.getPosixFilePermissions(byHand), Files.getPosixFilePermissions(report));
    }

    @Test
    void aFullDiskLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("disk"), 64 * 1024)) {
            assumeTrue(disk != null, "mounting a tmpfs needs root; skipped");
            Path report = disk.dir().resolve("scaling.md");
            AtomicFiles.write(report, "the good report");
            NoSpaceLeftException e = assertThrows(NoSpaceLeftException.class,
                    () -> AtomicFiles.write(report, new byte[256 * 1024]));
            assertEquals("no space left on the device of " + disk.dir() + ": scaling.md was not written; the files "
                    + "written before it are intact", e.getMessage());
            assertEquals("the good report", Files.readString(report));
            assertEquals(List.of("scaling.md"), names(disk.dir()));
        }
    }

    @Test
    void aPlaceThatCannotHoldFilesIsNamed() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("results"), "a file");
        OutputException e = assertThrows(OutputException.class,
                () -> AtomicFiles.write(notADirectory.resolve("run.json"), "{}"));
        assertTrue(e.getMessage().startsWith(notADirectory.resolve("run.json") + ": cannot be written: "),
                e.getMessage());
        assertEquals(List.of("results"), names(tmp));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
