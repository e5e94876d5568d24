package io.fashionspark.ml;

import io.fashionspark.data.DataException;
import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.pictures.ImageConverter;
import io.fashionspark.pictures.InputFiles;
import io.fashionspark.pictures.InputImage;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * The forms an image column may take, and one value of it turned into the 784 grey levels a network takes:
 * <ul>
 *   <li>a struct of Spark's {@code image} data source ({@code height}, {@code width}, {@code nChannels},
 *   {@code data}: 8-bit grey, BGR or BGRA), converted like a picture file;</li>
 *   <li>binary: an encoded picture in any form {@link InputFiles#FORMATS} lists (Spark's {@code binaryFile} source's
 *       {@code content}), converted
 *   to FashionMNIST's 28x28 white on black; or exactly 784 bytes, the grey levels of a 28x28 image as the idx
 *   files store them, taken as they are;</li>
 *   <li>784 numbers (an ML vector or an array): grey levels 0 to 255 as in the idx files, or, when none
 *   exceeds 1, already divided by 255.</li>
 * </ul>
 */
public enum ImageInput {
    IMAGE_STRUCT, BINARY, VECTOR, ARRAY;

    static final int PIXELS = FashionMnistFiles.ROWS * FashionMnistFiles.COLS;
    private static final String PICTURE = "picture";

    /** The form of a column of type {@code type}; an unusable type is an error naming the column. */
    public static ImageInput of(String column, DataType type) {
        if (type instanceof StructType s && List.of(s.fieldNames()).containsAll(
                List.of("height", "width", "nChannels", "data"))) {
            return IMAGE_STRUCT;
        }
        if (type.equals(DataTypes.BinaryType)) {
            return BINARY;
        }
        if (type.equals(SQLDataTypes.VectorType())) {
            return VECTOR;
        }
        if (type instanceof ArrayType a && a.elementType() instanceof NumericType) {
            return ARRAY;
        }
        throw new IllegalArgumentException("image column '" + column + "' has type " + type.simpleString()
                + "; it must be an image struct (Spark's image source), binary (a picture's bytes, or 784 grey "
                + "levels) or 784 numbers (a vector or an array)");
    }

    /** The grey levels, 0 to 255, of one value of this form; a value that is no usable image is a DataException. */
    byte[] pixels(Object value) {
        if (value == null) {
            throw new DataException("no image (null)");
        }
        return switch (this) {
            case IMAGE_STRUCT -> fromStruct((Row) value);
            case BINARY -> fromBytes((byte[]) value);
            case VECTOR -> fromNumbers(((Vector) value).toArray());
            case ARRAY -> fromNumbers(numbers(value));
        };
    }

    private static byte[] fromBytes(byte[] bytes) {
        if (bytes.length == PIXELS && !InputFiles.isPicture(bytes)) {
            return bytes.clone();
        }
        if (!InputFiles.isPicture(bytes)) {
            throw new DataException(bytes.length == 0 ? "empty (0 bytes)"
                    : "neither a picture in a form this reads (" + InputFiles.FORMATS + ") nor 784 grey levels ("
                    + bytes.length + " bytes)");
        }
        try {
            List<InputImage> images = InputFiles.parse(PICTURE, bytes);
            return images.get(0).pixels();
        } catch (DataException e) {
            // The row says which picture; the message need not name it again.
            String m = e.getMessage();
            throw new DataException(m.startsWith(PICTURE + ": ") ? m.substring(PICTURE.length() + 2) : m, e);
        }
    }

    private static byte[] fromStruct(Row image) {
        int h = image.getInt(image.fieldIndex("height"));
        int w = image.getInt(image.fieldIndex("width"));
        int channels = image.getInt(image.fieldIndex("nChannels"));
        byte[] data = (byte[]) image.get(image.fieldIndex("data"));
        if (h <= 0 || w <= 0 || data == null || (long) h * w * channels != data.length
                || (channels != 1 && channels != 3 && channels != 4)) {
            throw new DataException("an image struct of " + w + "x" + h + "x" + channels + " with "
                    + (data == null ? "no" : String.valueOf(data.length)) + " data bytes (8-bit grey, BGR or BGRA "
                    + "expected)");
        }
        double[] lum = new double[w * h];
        for (int i = 0; i < lum.length; i++) {
            int o = i * channels;
            if (channels == 1) {
                lum[i] = (data[o] & 0xFF) / 255.0;
            } else {
                double grey = (0.114 * (data[o] & 0xFF) + 0.587 * (data[o + 1] & 0xFF)
                        + 0.299 * (data[o + 2] & 0xFF)) / 255.0;
                double alpha = channels == 4 ? (data[o + 3] & 0xFF) / 255.0 : 1;
                lum[i] = grey * alpha + (1 - alpha); // over white, as picture files are
            }
        }
        return ImageConverter.fromLuminance(lum, w, h);
    }

    private static double[] numbers(Object value) {
        if (value instanceof Seq<?> seq) {
            double[] v = new double[seq.size()];
            for (int i = 0; i < v.length; i++) {
                Object x = seq.apply(i);
                if (x == null) {
                    throw new DataException("value " + i + " of the image is null");
                }
                v[i] = ((Number) x).doubleValue();
            }
            return v;
        }
        throw new DataException("not an array of numbers: " + value.getClass().getSimpleName());
    }

    private static byte[] fromNumbers(double[] v) {
        if (v.length != PIXELS) {
            throw new DataException(v.length + " values; a 28x28 image has " + PIXELS);
        }
        double max = 0;
        for (double x : v) {
            if (!(x >= 0 && x <= 255)) {
                throw new DataException("value " + x + " is not a grey level (0 to 255, or 0 to 1)");
            }
            max = Math.max(max, x);
        }
        double scale = max <= 1 ? 255 : 1;
        byte[] px = new byte[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            px[i] = (byte) Math.round(v[i] * scale);
        }
        return px;
    }
}
