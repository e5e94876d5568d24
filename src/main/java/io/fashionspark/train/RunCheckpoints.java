package io.fashionspark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fashionspark.rundir.OutputException;
import io.fashionspark.rundir.RunDirectory;
import io.fashionspark.savedmodel.ModelZip;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of a run, in {@code <run>/checkpoints/}: {@code checkpoint-<iteration>.zip} (the averaged model
 * with its Adam state), {@code checkpoint-<iteration>.momentum} (the recipe's block momentum, when it has one; ND4J's
 * binary array format) and {@code checkpoint-<iteration>.json} (the progress counters). Each file is written aside
 * and renamed into place, the progress last: a progress file exists only for a complete model, so the newest
 * progress file names the last complete checkpoint. The newest {@code keep} are kept; older ones are deleted only
 * after a newer one is complete.
 */
public final class RunCheckpoints implements CheckpointWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoints.class);
    private static final String PREFIX = "checkpoint-";
    private static final String MOMENTUM = ".momentum";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunDirectory run;
    private final int keep;

    public RunCheckpoints(RunDirectory run, int keep) {
        this.run = run;
        this.keep = keep;
    }

    /**
     * A checkpoint read back: the model with its updater, the block momentum (null when the run's recipe has none),
     * the progress and the file it came from.
     */
    public record Loaded(MultiLayerNetwork model, INDArray blockMomentum, TrainingProgress progress, String file) {
    }

    private static String name(long iteration, String extension) {
        return RunDirectory.CHECKPOINTS + "/" + PREFIX + String.format("%09d", iteration) + extension;
    }

    @Override
    public void write(MultiLayerNetwork model, INDArray blockMomentum, TrainingProgress progress) {
        run.writeAtomically(name(progress.iteration(), ".zip"), out -> ModelZip.write(model, null, out));
        if (blockMomentum != null) {
            run.writeAtomically(name(progress.iteration(), MOMENTUM),
                    out -> Nd4j.write(blockMomentum, new DataOutputStream(out)));
        }
        run.writeAtomically(name(progress.iteration(), ".json"), out -> JSON.writeValue(out, progress));
        LOG.info("checkpoint at iteration {} (epoch {}): {}", progress.iteration(), progress.epoch(),
                run.path(name(progress.iteration(), ".zip")));
        List<Long> complete = completeIterations();
        for (int i = 0; i < complete.size() - keep; i++) {
            // The progress file first: a checkpoint without it is not considered complete.
            run.delete(name(complete.get(i), ".json"));
            run.delete(name(complete.get(i), ".zip"));
            if (run.exists(name(complete.get(i), MOMENTUM))) {
                run.delete(name(complete.get(i), MOMENTUM));
            }
        }
    }

    /** Iterations of the complete checkpoints, oldest first. */
    List<Long> completeIterations() {
        List<Long> iterations = new ArrayList<>();
        for (String f : run.list(RunDirectory.CHECKPOINTS)) {
            if (f.startsWith(PREFIX) && f.endsWith(".json")) {
                iterations.add(Long.parseLong(f.substring(PREFIX.length(), f.length() - ".json".length())));
            }
        }
        iterations.sort(null);
        return iterations;
    }

    /**
     * The newest checkpoint that reads back whole; an unreadable one is reported and the one before it used. Empty
     * when there is none; an error naming the newest when none of them reads back.
     */
    public Optional<Loaded> latest() {
        List<Long> complete = completeIterations();
        String firstFailure = null;
        for (int i = complete.size() - 1; i >= 0; i--) {
            long it = complete.get(i);
            try {
                TrainingProgress progress = JSON.readValue(run.read(name(it, ".json")), TrainingProgress.class);
                MultiLayerNetwork model = ModelZip.read(run.read(name(it, ".zip")), true);
                INDArray momentum = run.exists(name(it, MOMENTUM))
                        ? Nd4j.read(new DataInputStream(new ByteArrayInputStream(run.read(name(it, MOMENTUM)))))
                        : null;
                return Optional.of(new Loaded(model, momentum, progress, run.path(name(it, ".zip")).toString()));
            } catch (IOException | RuntimeException e) {
                String failure = run.path(name(it, ".zip")) + ": " + e.getMessage();
                firstFailure = firstFailure == null ? failure : firstFailure;
                LOG.warn("checkpoint at iteration {} cannot be read ({}); trying the one before it", it,
                        e.getMessage());
            }
        }
        if (firstFailure != null) {
            throw new OutputException("no checkpoint of " + run.location() + " can be read back; the newest: "
                    + firstFailure);
        }
        return Optional.empty();
    }
}
