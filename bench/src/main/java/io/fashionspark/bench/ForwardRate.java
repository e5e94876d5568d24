package io.fashionspark.bench;

import io.fashionspark.data.FashionMnistFiles;
import io.fashionspark.data.LabelledImages;
import io.fashionspark.pictures.InputImage;
import io.fashionspark.runtime.NativeDefaults;
import io.fashionspark.savedmodel.SavedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * A model's bare forward-pass rate on this machine's cores: the test images, already decoded, through the network in
 * batches as {@code predict} makes them, with nothing else (no reading, decoding, Spark). Run in its own JVM by the
 * predict benchmark; prints {@code images/s: R}.
 */
public final class ForwardRate {
    private ForwardRate() {
    }

    /** {@code MODEL_ZIP DATA_DIR SECONDS}. */
    public static void main(String[] args) {
        NativeDefaults.apply();
        SavedModel model = SavedModel.load(args[0], new Configuration());
        LabelledImages test = FashionMnistFiles.loadTest(args[1], new Configuration());
        double seconds = Double.parseDouble(args[2]);
        List<InputImage> images = new ArrayList<>(test.size());
        byte[] pixels = test.images().pixels();
        for (int i = 0; i < test.size(); i++) {
            images.add(new InputImage("#" + i, Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784)));
        }
        model.probabilities(images.subList(0, Math.min(2048, images.size()))); // warm-up
        long start = System.nanoTime();
        long done = 0;
        while (System.nanoTime() - start < seconds * 1e9) {
            model.probabilities(images);
            done += images.size();
        }
        System.out.printf(Locale.ROOT, "images/s: %.1f%n", done / ((System.nanoTime() - start) / 1e9));
    }
}
