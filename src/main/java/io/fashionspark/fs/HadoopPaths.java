package io.fashionspark.fs;

import java.io.IOException;
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

    /** The location names a file system this process has no connector for, or one it cannot reach. */
    public static final class UnsupportedLocationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedLocationException(String message, Throwable cause) {
            super(message, cause);
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
        } catch (org.apache.hadoop.fs.UnsupportedFileSystemException e) {
            throw new UnsupportedLocationException(pathOrUri + ": no Hadoop file system for the scheme \""
                    + uri.getScheme() + "\"; use a local path, file://, hdfs://, or a scheme whose Hadoop connector is"
                    + " on the classpath (s3a:// needs hadoop-aws)", e);
        } catch (IOException e) {
            throw new UnsupportedLocationException(pathOrUri + ": cannot reach its file system: " + e.getMessage(), e);
        }
    }
}
