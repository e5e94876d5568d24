package io.fashionspark.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;

/** The driver end of the listener router: dl4j-spark hands it each round's worker records. */
final class WorkerLossCollector implements StatsStorageRouter {
    private final List<WorkerLossRecord> pending = new ArrayList<>();

    /** The records received since the last call, in arrival order. */
    synchronized List<WorkerLossRecord> drain() {
        List<WorkerLossRecord> out = new ArrayList<>(pending);
        pending.clear();
        return out;
    }

    @Override
    public synchronized void putUpdate(Persistable update) {
        if (update instanceof WorkerLossRecord r) {
            pending.add(r);
        }
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> updates) {
        updates.forEach(this::putUpdate);
    }

    @Override
    public void putStorageMetaData(StorageMetaData storageMetaData) {
        // dl4j's UI metadata: not used.
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> storageMetaData) {
        // dl4j's UI metadata: not used.
    }

    @Override
    public void putStaticInfo(Persistable staticInfo) {
        // dl4j's UI static info: not used.
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
        // dl4j's UI static info: not used.
    }
}
