package io.fashionspark.rundir;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Settings;
import io.fashionspark.fs.HadoopPaths;
import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's output directory on any Hadoop file system. Streams (metrics) are flushed through to the file system on
 * every {@code flush()}; finished files (model, summary) are written aside and renamed into place, so a failed
 * write never replaces a good file with a half-written one.
 */
public final class RunDirectory {
    public static final String MODEL = "model.zip";
    public static final String METRICS_JSONL = "metrics.jsonl";
    public static final String METRICS_CSV = "metrics.csv";
    public static final String SUMMARY = "summary.json";
    /** The resolved configuration, written when the run starts: what {@code --resume} continues. */
    public static final String CONFIG = "config.json";
    public static final String CHECKPOINTS = "checkpoints";

    private final HadoopPaths.Location root;

    private RunDirectory(HadoopPaths.Location root) {
        this.root = root;
    }

    /**
     * Opens {@code pathOrUri} for a new run: creates it, or refuses when it already holds a run unless
     * {@code overwrite}.
     */
    public static RunDirectory prepare(String pathOrUri, boolean overwrite, Configuration conf) {
        if (pathOrUri == null) {
            throw new ConfigException("no run directory: set " + Settings.OUTPUT);
        }
        HadoopPaths.Location loc = location(pathOrUri, conf);
        try {
            if (loc.fs().exists(loc.path())) {
                FileStatus status = loc.fs().getFileStatus(loc.path());
                if (!status.isDirectory()) {
                    throw new OutputException(loc + ": exists and is not a directory; choose another --output");
                }
                FileStatus[] entries = loc.fs().listStatus(loc.path());
                if (entries.length > 0 && !overwrite) {
                    throw new OutputException(loc + ": already holds a run (" + entries.length
                            + " entries); choose another --output or add --overwrite to replace it");
                }
            } else if (!loc.fs().mkdirs(loc.path())) {
                throw new OutputException(loc + ": cannot create the run directory (is its parent writable?)");
            }
        } catch (IOException e) {
            throw new OutputException(loc + ": cannot prepare the run directory: " + e.getMessage(), e);
        }
        return new RunDirectory(loc);
    }

    /** Opens the run directory of an earlier run, to resume it: it must exist and hold that run's config.json. */
    public static RunDirectory existing(String pathOrUri, Configuration conf) {
        HadoopPaths.Location loc = location(pathOrUri, conf);
        RunDirectory run = new RunDirectory(loc);
        try {
            if (!loc.fs().exists(loc.path()) || !loc.fs().getFileStatus(loc.path()).isDirectory()) {
                throw new OutputException(loc + ": no such run directory to resume");
            }
        } catch (IOException e) {
            throw new OutputException(loc + ": cannot read the run directory: " + e.getMessage(), e);
        }
        if (!run.exists(CONFIG)) {
            throw new OutputException(loc + ": not a fashion-spark run directory (no " + CONFIG + ") to resume");
        }
        return run;
    }

    private static HadoopPaths.Location location(String pathOrUri, Configuration conf) {
        try {
            return HadoopPaths.resolve(pathOrUri, conf);
        } catch (HadoopPaths.UnsupportedLocationException e) {
            throw new OutputException(e.getMessage(), e);
        }
    }

    /**
     * An existing directory (or one the first write creates) for {@link #writeAtomically}, with none of
     * {@link #prepare}'s run checks: e.g. the directory of a model, to write its evaluation beside it.
     */
    public static RunDirectory at(HadoopPaths.Location dir) {
        return new RunDirectory(dir);
    }

    public HadoopPaths.Location location() {
        return root;
    }

    public Path path(String name) {
        return new Path(root.path(), name);
    }

    /** A stream whose {@code flush()} makes what was written visible on the file system (hflush). */
    public OutputStream openStream(String name) {
        try {
            return flushing(root.fs().create(path(name), true), name);
        } catch (IOException | FSError e) {
            throw failure(name, "cannot create", e);
        }
    }

    /**
     * Continues a line-oriented log after a resume: the lines {@code keep} accepts are kept (those logged up to the
     * checkpoint), the rest dropped, and the stream appends after them. The old file is renamed aside until the kept
     * lines are safely in the new one, and a left-over aside copy (a crash during an earlier resume) is the one read.
     */
    public OutputStream continueStream(String name, java.util.function.Predicate<String> keep) {
        Path target = path(name);
        Path aside = sibling(target, ".before-resume");
        try {
            FileSystem fs = root.fs();
            if (!fs.exists(aside)) {
                if (!fs.exists(target)) {
                    return openStream(name);
                }
                if (!fs.rename(target, aside)) {
                    throw new IOException("cannot move it aside");
                }
            }
            OutputStream out = flushing(fs.create(target, true), name);
            try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(fs.open(aside),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (keep.test(line)) {
                        out.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
            out.flush();
            fs.delete(aside, false);
            return out;
        } catch (IOException | FSError e) {
            throw failure(name, "cannot continue after the checkpoint", e);
        }
    }

    /** Reads a whole file of the run directory. */
    public byte[] read(String name) {
        try (java.io.InputStream in = root.fs().open(path(name))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new OutputException(path(name) + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The names of the files in a sub-directory (none when it does not exist). */
    public java.util.List<String> list(String dir) {
        try {
            if (!root.fs().exists(path(dir))) {
                return java.util.List.of();
            }
            java.util.List<String> names = new java.util.ArrayList<>();
            for (FileStatus f : root.fs().listStatus(path(dir))) {
                if (f.isFile()) {
                    names.add(f.getPath().getName());
                }
            }
            java.util.Collections.sort(names);
            return names;
        } catch (IOException e) {
            throw new OutputException(path(dir) + ": cannot list: " + e.getMessage(), e);
        }
    }

    public void delete(String name) {
        try {
            root.fs().delete(path(name), false);
        } catch (IOException e) {
            throw new OutputException(path(name) + ": cannot delete: " + e.getMessage(), e);
        }
    }

    private static Path sibling(Path file, String suffix) {
        return new Path(file.getParent(), "." + file.getName() + suffix);
    }

    /**
     * {@code stream} with {@code flush()} as hflush, and a full device said as {@link NoSpaceLeftException}: the
     * local file system throws an FSError, an Error that the metrics sinks' IOException handling would not see.
     */
    private OutputStream flushing(FSDataOutputStream stream, String name) {
        return new FilterOutputStream(stream) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                guarded(name, "cannot write", () -> stream.write(b, off, len));
            }

            @Override
            public void flush() throws IOException {
                guarded(name, "cannot write", stream::hflush);
            }

            @Override
            public void close() throws IOException {
                guarded(name, "cannot close", stream::close);
            }
        };
    }

    /** A stream operation that may fail. */
    @FunctionalInterface
    private interface StreamCall {
        void run() throws IOException;
    }

    private void guarded(String name, String action, StreamCall call) {
        try {
            call.run();
        } catch (IOException | FSError e) {
            throw failure(name, action, e);
        }
    }

    /** A failed write of {@code name}: a full device said as such, anything else with the file and the reason. */
    private OutputException failure(String name, String action, Throwable e) {
        if (NoSpaceLeftException.isNoSpace(e)) {
            return NoSpaceLeftException.writing(root.toString(), name, e);
        }
        Throwable reason = e instanceof FSError && e.getCause() != null ? e.getCause() : e;
        return new OutputException(path(name) + ": " + action + ": " + reason.getMessage(), e);
    }

    /** What writes a file's content. */
    @FunctionalInterface
    public interface ContentWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code name} aside, then renames it into place: readers see the old file or the complete new one,
     * never a half-written one. The old file is moved to a backup name first (a Hadoop rename does not replace an
     * existing file) and put back if the new one cannot take its place. On failure the partial file is removed.
     */
    public void writeAtomically(String name, ContentWriter content) {
        Path target = path(name);
        Path temp = sibling(target, ".tmp");
        Path backup = sibling(target, ".previous");
        try {
            try (OutputStream out = root.fs().create(temp, true)) {
                content.write(out);
            }
            boolean hadOld = root.fs().exists(target);
            if (hadOld && !root.fs().rename(target, backup)) {
                throw new IOException("cannot move the previous " + name + " aside");
            }
            if (!root.fs().rename(temp, target)) {
                if (hadOld) {
                    root.fs().rename(backup, target);
                }
                throw new IOException("rename from " + temp.getName() + " failed");
            }
            if (hadOld) {
                root.fs().delete(backup, false);
            }
        } catch (IOException | UncheckedIOException | FSError e) {
            try {
                root.fs().delete(temp, false);
            } catch (IOException ignored) {
                // The write already failed; that is the error to report.
            }
            throw failure(name, "cannot write", e);
        }
    }

    /** True when the file exists. */
    public boolean exists(String name) {
        try {
            return root.fs().exists(path(name));
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new OutputException(path(name) + ": cannot check: " + e.getMessage(), e);
        }
    }
}
