package io.fashionspark.savedmodel;

import io.fashionspark.kernels.SavedClassNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A {@code model.zip} or checkpoint: DL4J's {@link ModelSerializer} entries (configuration, coefficients, updater
 * state) and, beside them, this project's {@value #PROVENANCE}. DL4J ignores entries it does not know, so any
 * DL4J program still loads the file; files written without the provenance entry still load here.
 */
public final class ModelZip {
    /** The entry that says where a model came from (see {@link ModelProvenance}). */
    public static final String PROVENANCE = "provenance.json";

    private ModelZip() {
    }

    /** Writes {@code net} with its updater state, and {@code provenance} when it is not null. */
    public static void write(MultiLayerNetwork net, ModelProvenance provenance, OutputStream out) throws IOException {
        if (provenance == null) {
            ModelSerializer.writeModel(net, out, true);
            return;
        }
        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, dl4j, true);
        ZipOutputStream zip = new ZipOutputStream(out);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(dl4j.toByteArray()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(zip);
                zip.closeEntry();
            }
        }
        zip.putNextEntry(new ZipEntry(PROVENANCE));
        zip.write(provenance.toJson());
        zip.closeEntry();
        // Finish, not close: the caller owns the stream (an atomic write renames it into place after closing).
        zip.finish();
    }

    /** The network in {@code zip}, with its updater state when {@code withUpdater}. */
    public static MultiLayerNetwork read(byte[] zip, boolean withUpdater) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(upgraded(zip)), withUpdater);
    }

    /** The provenance entry of {@code zip}; empty for models written without one. */
    public static Optional<ModelProvenance> provenance(byte[] zip) throws IOException {
        byte[] entry = entry(zip, PROVENANCE);
        return entry == null ? Optional.empty() : Optional.of(ModelProvenance.fromJson(entry));
    }

    /** {@code zip} itself, or a copy whose configuration names moved classes by their current names. */
    private static byte[] upgraded(byte[] zip) throws IOException {
        byte[] config = entry(zip, ModelSerializer.CONFIGURATION_JSON);
        if (config == null) {
            return zip;
        }
        String json = new String(config, StandardCharsets.UTF_8);
        String current = SavedClassNames.upgrade(json);
        if (current.equals(json)) {
            return zip;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(zip.length);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
             ZipOutputStream copy = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                copy.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals(ModelSerializer.CONFIGURATION_JSON)) {
                    copy.write(current.getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(copy);
                }
                copy.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] entry(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return in.readAllBytes();
                }
            }
        }
        return null;
    }
}
