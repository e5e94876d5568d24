package io.fashionspark.predict;

import io.fashionspark.data.DataException;
import io.fashionspark.pictures.InputFiles;
import io.fashionspark.pictures.InputImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * Reads one listed file in a task: a picture becomes a row with its bytes (decoded later, in the transform); an
 * idx file becomes one row per image ({@code FILE#index}, 784 grey levels); a file that cannot be read, or is
 * neither, becomes a row with its error. One file's failure is its own row, never the task's.
 */
final class ReadFiles implements FlatMapFunction<Tuple2<String, String>, Row> {
    private static final long serialVersionUID = 1L;
    /**
     * A file is read whole into a task's memory: larger ones are refused unread, so that one stray video cannot
     * exhaust an executor (FashionMNIST's training images are 47 MB as a raw idx file, a photo a few MB).
     */
    static final int MAX_BYTES = 64 << 20;
    private final Broadcast<SerializableConfiguration> hadoop;

    ReadFiles(Broadcast<SerializableConfiguration> hadoop) {
        this.hadoop = hadoop;
    }

    @Override
    public Iterator<Row> call(Tuple2<String, String> entry) {
        String file = entry._1();
        if (entry._2() != null) {
            return one(file, null, entry._2());
        }
        byte[] bytes;
        try {
            Path path = new Path(file);
            FileSystem fs = path.getFileSystem(hadoop.value().value());
            try (InputStream in = fs.open(path)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                return one(file, null, "larger than " + (MAX_BYTES >> 20) + " MB: not a picture or idx file to "
                        + "classify");
            }
        } catch (FileNotFoundException e) {
            return one(file, null, "no such file (removed after listing?)");
        } catch (IOException | RuntimeException e) {
            return one(file, null, "cannot read: " + InputListing.firstLine(e));
        }
        if (InputFiles.isPicture(bytes)) {
            return one(file, bytes, null);
        }
        if (bytes.length == 0) {
            return one(file, null, "file is empty");
        }
        try {
            List<InputImage> images = InputFiles.parse(file, bytes);
            return images.stream().map(i -> RowFactory.create(i.name(), i.pixels(), null)).iterator();
        } catch (DataException e) {
            return one(file, null, e.getMessage().startsWith(file + ": ")
                    ? e.getMessage().substring(file.length() + 2) : e.getMessage());
        }
    }

    private static Iterator<Row> one(String path, byte[] content, String error) {
        return Collections.singletonList(RowFactory.create(path, content, error)).iterator();
    }
}
