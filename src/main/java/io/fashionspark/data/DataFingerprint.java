package io.fashionspark.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which images a model was trained and tested on: where they were read, how many were used, and a SHA-256 of those
 * images and labels as decoded (so gzip'd and raw copies of the same files, or the same files at another path,
 * give the same digest).
 */
public record DataFingerprint(Split train, Split test) {

    /** One split as used: its source, the number of images, and the digest of their shape, pixels and labels. */
    public record Split(String source, int images, String sha256) {
    }

    public static DataFingerprint of(LabelledImages train, LabelledImages test) {
        return new DataFingerprint(split(train), split(test));
    }

    static Split split(LabelledImages set) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
        RawImages images = set.images();
        sha.update(ByteBuffer.allocate(12).putInt(images.count()).putInt(images.rows()).putInt(images.cols())
                .array());
        sha.update(images.pixels(), 0, images.count() * images.pixelsPerImage());
        sha.update(set.labels());
        return new Split(set.source(), set.size(), HexFormat.of().formatHex(sha.digest()));
    }
}
