package io.fashionspark.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Resolves a local path or any Hadoop FileSystem URI (hdfs://, s3a://, file://) to a file system and a path. */
public final class HadoopPaths {
    private HadoopPaths() {
    }

    /** A file system and a fully qualified path on it. */
    public record Location(FileSystem fs, Path path) {
        public Location child(String name) {
            return new Location(fs, new Path(path, name));
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    public static Location resolve(String pathOrUri, Configuration conf) {
        Path path = new Path(pathOrUri);
        URI uri = path.toUri();
        try {
            FileSystem fs;
            if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
                // The raw local file system: no .crc side files next to a user's outputs.
                fs = FileSystem.getLocal(conf).getRawFileSystem();
                path = fs.makeQualified(new Path(new java.io.File(uri.getPath()).getAbsolutePath()));
            } else {
                fs = path.getFileSystem(conf);
                path = fs.makeQualified(path);
            }
            return new Location(fs, path);
        } catch (IOException e) {
            throw new UncheckedIOException(pathOrUri + ": no file system for this location: " + e.getMessage(), e);
        }
    }
}
