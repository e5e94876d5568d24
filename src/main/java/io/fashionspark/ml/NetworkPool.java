package io.fashionspark.ml;

import io.fashionspark.savedmodel.ModelZip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The networks an executor JVM has loaded, kept between tasks: a model's bytes arrive once per executor (a
 * broadcast), and each task borrows a loaded copy instead of parsing them again. A DL4J network keeps its
 * activations in its layers, so one copy serves one task at a time: a JVM holds as many copies as it runs tasks
 * at once.
 */
final class NetworkPool {
    /** Models kept per JVM; a long spark-shell session that scores many models drops the older ones. */
    private static final int MAX_MODELS = 4;
    private static final Map<String, Queue<MultiLayerNetwork>> IDLE = new ConcurrentHashMap<>();

    private NetworkPool() {
    }

    /** An idle copy of model {@code key}, or a new one loaded from {@code modelZip}. */
    static MultiLayerNetwork borrow(String key, Supplier<byte[]> modelZip) {
        Queue<MultiLayerNetwork> idle = IDLE.get(key);
        MultiLayerNetwork net = idle == null ? null : idle.poll();
        if (net != null) {
            return net;
        }
        try {
            return ModelZip.read(modelZip.get(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model on this executor: " + e.getMessage(), e);
        }
    }

    /** Returns a copy for the next task. */
    static void giveBack(String key, MultiLayerNetwork net) {
        if (!IDLE.containsKey(key) && IDLE.size() >= MAX_MODELS) {
            IDLE.clear();
        }
        IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(net);
    }
}
