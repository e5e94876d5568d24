package io.fashionspark.predict;

import io.fashionspark.fs.HadoopPaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What {@code predict --output} was given, listed on the driver: files (pictures, idx files, anything else, which
 * then fails alone), directories (walked recursively, skipping hidden names that start with {@code .} or
 * {@code _}), globs, and Parquet tables (a {@code .parquet} file, or a directory of them as Spark writes). Whatever
 * cannot be listed (a missing path, an unreadable directory) becomes a problem: one sentence, and a row of the
 * output with its error, never a failed job.
 */
public record InputListing(List<String> files, List<String> tables, List<Problem> problems) {

    /** An input that could not be listed: its path and why. */
    public record Problem(String path, String error) {
    }

    public static InputListing of(List<String> inputs, Configuration conf) {
        List<String> files = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (String input : inputs) {
            HadoopPaths.Location loc;
            try {
                loc = HadoopPaths.resolve(input, conf);
            } catch (HadoopPaths.UnsupportedLocationException | IllegalArgumentException e) {
                problems.add(new Problem(input, e.getMessage()));
                continue;
            }
            FileSystem fs = loc.fs();
            try {
                FileStatus[] matches = isGlob(input) ? fs.globStatus(loc.path())
                        : new FileStatus[] {fs.getFileStatus(loc.path())};
                if (matches == null || matches.length == 0) {
                    problems.add(new Problem(input, "matches no file"));
                    continue;
                }
                for (FileStatus status : matches) {
                    add(fs, status, true, files, tables, problems);
                }
            } catch (FileNotFoundException e) {
                problems.add(new Problem(input, "no such file or directory"));
            } catch (IOException e) {
                problems.add(new Problem(input, "cannot be listed: " + firstLine(e)));
            }
        }
        return new InputListing(files, tables, problems);
    }

    private static void add(FileSystem fs, FileStatus status, boolean given, List<String> files, List<String> tables,
                            List<Problem> problems) {
        Path path = status.getPath();
        String name = path.getName();
        if (!given && (name.startsWith(".") || name.startsWith("_"))) {
            return;
        }
        if (!status.isDirectory()) {
            if (name.endsWith(".parquet") && given) {
                tables.add(path.toString());
            } else {
                files.add(path.toString());
            }
            return;
        }
        FileStatus[] children;
        try {
            children = fs.listStatus(path);
        } catch (IOException e) {
            problems.add(new Problem(path.toString(), "directory cannot be listed (" + firstLine(e) + ")"));
            return;
        }
        if (isParquetTable(children)) {
            tables.add(path.toString());
            return;
        }
        java.util.Arrays.sort(children);
        for (FileStatus child : children) {
            add(fs, child, false, files, tables, problems);
        }
    }

    /** Spark's Parquet output: part files ending in .parquet, and nothing else but hidden files. */
    private static boolean isParquetTable(FileStatus[] children) {
        boolean any = false;
        for (FileStatus c : children) {
            String n = c.getPath().getName();
            if (n.startsWith(".") || n.startsWith("_")) {
                continue;
            }
            if (c.isDirectory() || !n.endsWith(".parquet")) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** One line: HDFS puts the server's stack trace after the first line of a remote exception's message. */
    static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    private static boolean isGlob(String input) {
        return input.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    public int count() {
        return files.size() + tables.size() + problems.size();
    }
}
