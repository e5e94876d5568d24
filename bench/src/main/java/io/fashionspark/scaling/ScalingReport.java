package io.fashionspark.scaling;

import io.fashionspark.bench.MarkdownTable;
import io.fashionspark.report.ChartRenderer;
import io.fashionspark.report.Curve;
import io.fashionspark.rundir.AtomicFiles;
import io.fashionspark.rundir.OutputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes the study's results as markdown: per model, each recipe and worker count's final accuracy over the seeds,
 * the training images and averaging rounds it needed to reach the model's target, and how long each part of the
 * study ran; one accuracy chart per model and recipe beside it. What follows {@link #KEEP_MARKER} in an existing
 * file (the analysis written by hand) is kept.
 */
public final class ScalingReport {
    /** Everything after this line in the existing file survives a rewrite. */
    public static final String KEEP_MARKER = "<!-- Written by hand below this line; the scaling command keeps it. -->";

    private ScalingReport() {
    }

    /** The accuracy a model's runs are timed to: the reference notes' results, rounded down. */
    public static double target(String model) {
        return switch (model) {
            case "dnn" -> 0.86;
            case "cnn" -> 0.90;
            default -> 0.88;
        };
    }

    /** Writes {@code markdown} and its charts (in {@code <name>/} beside it), replacing what the study made. */
    public static void write(Path markdown, List<StudyRun> runs, String command, Path results) {
        String base = markdown.getFileName().toString().replaceFirst("\\.md$", "");
        Path chartDir = markdown.resolveSibling(base);
        StringBuilder md = new StringBuilder(render(runs, command, base, results));
        for (Map.Entry<String, List<StudyRun>> e : byModelAndRecipe(runs).entrySet()) {
            AtomicFiles.write(chartDir.resolve(e.getKey() + ".png"), chart(e.getKey(), e.getValue()));
        }
        String kept = handWritten(markdown);
        md.append('\n').append(KEEP_MARKER).append(kept.isEmpty() ? "\n" : kept);
        AtomicFiles.write(markdown, md.toString());
    }

    /** What follows {@link #KEEP_MARKER} in the existing file; empty where there is none. */
    private static String handWritten(Path markdown) {
        if (!Files.exists(markdown)) {
            return "";
        }
        try {
            String old = Files.readString(markdown, StandardCharsets.UTF_8);
            int at = old.indexOf(KEEP_MARKER);
            return at < 0 ? "" : old.substring(at + KEEP_MARKER.length());
        } catch (IOException e) {
            throw new OutputException(markdown + ": cannot read the part written by hand, to keep it: "
                    + e.getMessage(), e);
        }
    }

    /** The generated part of the file. */
    static String render(List<StudyRun> runs, String command, String chartDir, Path results) {
        StringBuilder md = new StringBuilder("# Scaling: accuracy and work as workers are added\n\n");
        md.append("Written by `").append(command).append("` from the ").append(runs.size())
                .append(" run results in `").append(results).append("/`. Each part below was trained by the command in its ")
                .append("row, on the machine in its row; images/s depend on the machine and on what else ran on it; ")
                .append("a run's accuracy moves by up to a few tenths of a point between machines whose CPU kernels ")
                .append("differ.\n\n");
        md.append("Each run: real data (60,000 training and 10,000 test images), the minibatch per worker in the ")
                .append("tables (100, or less where the recipe's --max-global-batch cuts it as workers grow), ")
                .append("averaging every 5 minibatches or as the tables say (where the recipe's --sync-workers is reached), the ")
                .append("embedded master with one Spark task slot per worker; tested every 12,000 images or the ")
                .append("nearest whole step. *notes* is the reference notes' set-up (Adam 0.001 constant, ")
                .append("averaging every 5); *tuned* is `train`'s default recipe (conf/fashion-spark.properties). ")
                .append("Accuracy is the mean over the seeds with the lowest and highest in brackets. Images and ")
                .append("rounds to the target are the mean over the seeds that reached it at a test.\n\n");
        md.append("## Parts and how long they ran\n\n");
        MarkdownTable parts = new MarkdownTable().left("model").left("recipe").right("runs")
                .right("machine time").left("last run ended (UTC)").left("command").left("machine");
        byModelAndRecipe(runs).forEach((key, list) -> parts.row(list.get(0).model(), list.get(0).recipe(),
                list.size(), minutes(list.stream().mapToDouble(StudyRun::wallSeconds).sum()),
                list.stream().map(StudyRun::finishedAt).max(String::compareTo).orElse("")
                        .replaceFirst("T(\\d\\d:\\d\\d).*", " $1"),
                "`" + partCommand(list) + "`", machines(list)));
        md.append(parts.render()).append('\n');
        for (String model : runs.stream().map(StudyRun::model).distinct().sorted().toList()) {
            md.append(modelSection(model, runs.stream().filter(r -> r.model().equals(model)).toList(), chartDir));
        }
        return md.toString();
    }

    private static String modelSection(String model, List<StudyRun> runs, String chartDir) {
        double target = target(model);
        String pct = String.format(Locale.ROOT, "%.0f%%", 100 * target);
        StringBuilder md = new StringBuilder("## " + model + "\n\n");
        MarkdownTable t = new MarkdownTable().left("recipe").right("workers").right("batch per worker")
                .right("averaging every").right("seeds")
                .right("final accuracy").right("accuracy vs 1 worker").right("images/s").right("images to " + pct)
                .right("images vs 1 worker").right("rounds to " + pct);
        for (String recipe : runs.stream().map(StudyRun::recipe).distinct().sorted().toList()) {
            Map<Integer, List<StudyRun>> byWorkers = runs.stream().filter(r -> r.recipe().equals(recipe))
                    .collect(Collectors.groupingBy(StudyRun::workers, TreeMap::new, Collectors.toList()));
            List<StudyRun> one = byWorkers.get(1);
            Double oneAccuracy = one == null ? null : mean(one, StudyRun::finalAccuracy);
            Double oneImages = one == null ? null : meanImages(one, target);
            byWorkers.forEach((workers, list) -> {
                DoubleSummaryStatistics acc = list.stream().mapToDouble(StudyRun::finalAccuracy).summaryStatistics();
                Double images = meanImages(list, target);
                long reached = list.stream().filter(r -> r.firstReaching(target) != null).count();
                Double rounds = reached == 0 ? null : list.stream().filter(r -> r.firstReaching(target) != null)
                        .mapToLong(r -> r.firstReaching(target).rounds()).average().orElseThrow();
                t.row(recipe, workers, distinct(list, StudyRun::batchSize, "/"),
                        distinct(list, StudyRun::averagingFrequency, "/"), list.size(),
                        String.format(Locale.ROOT, "%.2f%% (%.2f-%.2f)", 100 * acc.getAverage(), 100 * acc.getMin(),
                                100 * acc.getMax()),
                        oneAccuracy == null ? null : String.format(Locale.ROOT, "%+.2f pt",
                                100 * (acc.getAverage() - oneAccuracy)),
                        String.format(Locale.ROOT, "%.0f", mean(list, StudyRun::imagesPerSecond)),
                        images == null ? "not reached" : String.format(Locale.ROOT, "%,.0f (%d of %d)", images,
                                reached, list.size()),
                        images == null || oneImages == null ? null : String.format(Locale.ROOT, "%.2fx",
                                images / oneImages),
                        rounds == null ? null : String.format(Locale.ROOT, "%.0f", rounds));
            });
        }
        md.append(t.render()).append('\n');
        for (String recipe : runs.stream().map(StudyRun::recipe).distinct().sorted().toList()) {
            md.append("![").append(model).append(", ").append(recipe).append(": test accuracy by training images](")
                    .append(chartDir).append('/').append(model).append('-').append(recipe).append(".png)\n");
        }
        return md.append('\n').toString();
    }

    /** The different values of {@code field} over {@code runs}, in the order they first appear. */
    private static String distinct(List<StudyRun> runs, Function<StudyRun, Object> field, String separator) {
        return runs.stream().map(field).map(String::valueOf).distinct().collect(Collectors.joining(separator));
    }

    /** The machines a part's runs ran on, in the order they first appear. */
    private static String machines(List<StudyRun> part) {
        return distinct(part, r -> r.machine() == null ? "not recorded" : r.machine(), "; ");
    }

    /** The command that trains exactly these runs (one model and recipe) with the study's defaults otherwise. */
    static String partCommand(List<StudyRun> part) {
        String workers = part.stream().map(StudyRun::workers).distinct().sorted().map(String::valueOf)
                .collect(Collectors.joining(","));
        String seeds = part.stream().map(StudyRun::seed).distinct().sorted().map(String::valueOf)
                .collect(Collectors.joining(","));
        String command = "bin/fashion-spark scaling --models " + part.get(0).model() + " --recipes "
                + part.get(0).recipe();
        command += workers.equals("1,2,4,8") ? "" : " --workers " + workers;
        command += seeds.equals("42,43,44") ? "" : " --seeds " + seeds;
        return command + (part.get(0).epochs() == 5 ? "" : " --epochs " + part.get(0).epochs());
    }

    private static Map<String, List<StudyRun>> byModelAndRecipe(List<StudyRun> runs) {
        return runs.stream().collect(Collectors.groupingBy(r -> r.model() + "-" + r.recipe(), TreeMap::new,
                Collectors.toList()));
    }

    /** Mean test accuracy per worker count over the seeds, against training images. */
    private static byte[] chart(String title, List<StudyRun> runs) {
        List<Curve> curves = new ArrayList<>();
        runs.stream().collect(Collectors.groupingBy(StudyRun::workers, TreeMap::new, Collectors.toList()))
                .forEach((workers, list) -> {
                    Map<Long, DoubleSummaryStatistics> at = new TreeMap<>();
                    for (StudyRun r : list) {
                        for (StudyRun.Point p : r.curve()) {
                            at.computeIfAbsent(p.images(), k -> new DoubleSummaryStatistics()).accept(p.accuracy());
                        }
                    }
                    Map<Double, Double> points = new TreeMap<>();
                    at.forEach((images, s) -> points.put(images / 1000.0, 100 * s.getAverage()));
                    curves.add(Curve.of(workers + (workers == 1 ? " worker" : " workers"), points,
                            Curve.Style.LINE));
                });
        return ChartRenderer.lines(title + ": mean test accuracy over the seeds", "training images (thousands)",
                "test accuracy (%)", curves, 70.0, null, false);
    }

    private static double mean(List<StudyRun> runs, java.util.function.ToDoubleFunction<StudyRun> f) {
        return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** Mean images to {@code target} over the runs that reached it; null when none did. */
    private static Double meanImages(List<StudyRun> runs, double target) {
        var reached = runs.stream().map(r -> r.firstReaching(target)).filter(p -> p != null)
                .mapToLong(StudyRun.Point::images).summaryStatistics();
        return reached.getCount() == 0 ? null : reached.getAverage();
    }

    private static String minutes(double seconds) {
        return String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
}
