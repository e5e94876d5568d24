package io.fashionspark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.rundir.OutputException;
import io.fashionspark.rundir.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @Test
    void aFailedWriteLeavesTheGoodFileAndNoLeftovers(@TempDir Path dir) throws Exception {
        RunDirectory run = RunDirectory.prepare(dir.resolve("run").toString(), false, new Configuration());
        run.writeAtomically("summary.json", out -> out.write("good".getBytes(StandardCharsets.UTF_8)));
        OutputException e = assertThrows(OutputException.class, () -> run.writeAtomically("summary.json", out -> {
            out.write("half-wri".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains("summary.json: cannot write: disk full"), e.getMessage());
        assertEquals("good", Files.readString(dir.resolve("run/summary.json")));
        try (var files = Files.list(dir.resolve("run"))) {
            assertEquals(1, files.count(), "no temporary or backup file left");
        }
    }

    @Test
    void aSuccessfulWriteReplacesTheOldFile(@TempDir Path dir) throws Exception {
        RunDirectory run = RunDirectory.prepare(dir.toString(), false, new Configuration());
        run.writeAtomically("model.zip", out -> out.write(1));
        run.writeAtomically("model.zip", out -> out.write(2));
        assertEquals(2, Files.readAllBytes(dir.resolve("model.zip"))[0]);
        assertFalse(Files.exists(dir.resolve(".model.zip.previous")));
    }

    @Test
    void refusesAFileAsRunDirectory(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        OutputException e = assertThrows(OutputException.class,
                () -> RunDirectory.prepare(f.toString(), true, new Configuration()));
        assertTrue(e.getMessage().endsWith("exists and is not a directory; choose another --output"), e.getMessage());
    }
}
