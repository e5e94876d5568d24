package io.fashionspark.savedmodel;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.data.DataFingerprint;
import io.fashionspark.runtime.Versions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Where a saved model came from, kept inside its {@code model.zip} so that a copied model explains itself: the
 * resolved settings it was trained with, the versions and git commit that trained it, the data (by digest), when it
 * was trained, and how it scored on the test set at the end.
 *
 * @param format            this record's version; readers accept newer files and ignore fields they do not know
 * @param trainedAt         when training finished, ISO-8601 in UTC
 * @param settings          the run's resolved settings, as in its {@code config.json}
 * @param sparkMaster       the Spark master the run used
 * @param finalTestAccuracy on {@code data.test().images()} test images
 */
public record ModelProvenance(int format, String tool, String trainedAt, TrainingConfig settings, Versions versions,
                              String gitCommit, String sparkMaster, String sparkApplicationId, DataFingerprint data,
                              long iterations, long imagesTrained, double finalTestAccuracy, double finalTestLoss) {
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelProvenance fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, ModelProvenance.class);
    }

    /** What {@code summary --model FILE} prints: one fact a line. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        line(b, "Trained", trainedAt + " by " + (versions == null ? tool : "fashion-spark " + versions.fashionSpark())
                + (gitCommit == null ? "" : " (git " + gitCommit + ")"));
        if (settings != null) {
            line(b, "Model", settings.model().displayName() + ", " + settings.epochs()
                    + (settings.epochs() == 1 ? " epoch, " : " epochs, ")
                    + settings.workers() + " workers, batch " + settings.batchSize() + ", averaging every "
                    + settings.averagingFrequency() + ", Adam " + settings.learningRate() + ", seed "
                    + settings.seed() + "; " + settings.recipe().describe());
            try {
                line(b, "Settings", JSON.copy().disable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(settings));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        line(b, "Test accuracy", String.format(Locale.ROOT, "%.2f%% (loss %.4f) after %,d iterations, %,d images",
                100 * finalTestAccuracy, finalTestLoss, iterations, imagesTrained));
        if (data != null) {
            line(b, "Training data", split(data.train()));
            line(b, "Test data", split(data.test()));
        }
        if (versions != null) {
            StringBuilder v = new StringBuilder();
            versions.known().forEach((k, value) -> v.append(v.isEmpty() ? "" : ", ").append(k).append(' ')
                    .append(value));
            line(b, "Versions", v.toString());
        }
        line(b, "Spark", sparkMaster + ", application " + sparkApplicationId);
        return b.toString();
    }

    private static String split(DataFingerprint.Split s) {
        return s == null ? "unknown" : String.format(Locale.ROOT, "%,d images from %s, sha256 %s", s.images(),
                s.source(), s.sha256());
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-14s %s%n", label + ":", value));
    }
}
