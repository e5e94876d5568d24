package io.fashionspark.io;

import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
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

    private final HadoopPaths.Location root;

    private RunDirectory(HadoopPaths.Location root) {
        this.root = root;
    }

    /**
     * Opens {@code pathOrUri} for a new run: creates it, or refuses when it already holds a run unless
     * {@code overwrite}.
     */
    public static RunDirectory prepare(String pathOrUri, boolean overwrite, Configuration conf) {
        HadoopPaths.Location loc = HadoopPaths.resolve(pathOrUri, conf);
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
                throw new OutputException(loc + ": cannot create the run directory");
            }
        } catch (IOException e) {
            throw new OutputException(loc + ": cannot prepare the run directory: " + e.getMessage(), e);
        }
        return new RunDirectory(loc);
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
            FSDataOutputStream stream = root.fs().create(path(name), true);
            return new FilterOutputStream(stream) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    stream.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    stream.hflush();
                }
            };
        } catch (IOException e) {
            throw new OutputException(path(name) + ": cannot create: " + e.getMessage(), e);
        }
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
        Path temp = path("." + name + ".tmp");
        Path backup = path("." + name + ".previous");
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
        } catch (IOException | UncheckedIOException e) {
            try {
                root.fs().delete(temp, false);
            } catch (IOException ignored) {
                // The write already failed; that is the error to report.
            }
            throw new OutputException(target + ": cannot write: " + e.getMessage(), e);
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
