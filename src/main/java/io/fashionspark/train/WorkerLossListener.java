package io.fashionspark.train;

import java.util.UUID;
import org.apache.spark.TaskContext;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Runs inside each worker's model replica on the executors: after every minibatch it reports the loss to the router
 * dl4j-spark gives it, which returns the records to the driver with the round's results.
 */
public final class WorkerLossListener extends BaseTrainingListener implements RoutingIterationListener {
    private static final long serialVersionUID = 1L;

    private transient StatsStorageRouter router;
    private String workerId;
    private String sessionId = UUID.randomUUID().toString();
    private int localIteration;

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (router == null) {
            return;
        }
        TaskContext task = TaskContext.get();
        int partition = task == null ? -1 : task.partitionId();
        int examples = model.batchSize();
        router.putUpdate(new WorkerLossRecord(sessionId, workerId, partition, localIteration++, model.score(),
                examples, System.currentTimeMillis()));
    }

    @Override
    public void setStorageRouter(StatsStorageRouter router) {
        this.router = router;
    }

    @Override
    public StatsStorageRouter getStorageRouter() {
        return router;
    }

    @Override
    public void setWorkerID(String workerId) {
        this.workerId = workerId;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public void setSessionID(String sessionId) {
        this.sessionId = sessionId;
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public WorkerLossListener clone() {
        WorkerLossListener copy = new WorkerLossListener();
        copy.sessionId = sessionId;
        copy.workerId = workerId;
        return copy;
    }
}
