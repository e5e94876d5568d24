/**
 * {@code fashion-spark bench}: one run on one machine that measures single-JVM DL4J training, Spark parameter
 * averaging at several worker counts and averaging frequencies, and the reference PyTorch models (docs/models.md), on
 * the same data and number of images, and writes the ratios between them to a markdown report.
 *
 * <ul>
 *   <li>Running: {@link io.fashionspark.bench.Benchmark} runs the scenarios in a fixed order
 *   ({@code SingleJvmTraining}, {@code SparkTraining}, {@code PyTorchReference} for {@code bench/pytorch_reference.py},
 *   and their full runs); {@code MatmulPeak}, {@code MemoryProbe}, {@code FlopCounter}, {@code RoundBreakdown} with
 *   {@code SparkTaskTimes}, and {@code MachineFacts} measure the machine's peak, peak memory, work per image, where
 *   each averaging round's time goes and the machine itself.</li>
 *   <li>Results: {@code BenchSettings} (what was asked), {@code ScenarioResult} and {@code FullRun} (what each run
 *   measured), {@code BenchResults} (all of it).</li>
 *   <li>Performance targets: {@code targets.json} next to these classes lists them; {@code BenchTargets} reads it,
 *   {@code TargetMeasure} measures the figure each compares and {@code BenchTarget} decides met, not met or not
 *   measured.</li>
 *   <li>Report: {@link io.fashionspark.bench.BenchReport} writes the markdown, with {@code BenchFigures} (the
 *   figures it compares), {@code MarkdownTable} (every table) and {@code Formats} (how numbers read).</li>
 *   <li>Round cost ({@code round-cost}, also on a real cluster): {@link io.fashionspark.bench.RoundCost} times
 *   each model's minibatch on one executor alone ({@code StepTime}), then measures averaging rounds at several
 *   worker counts, one Spark application each; {@code RoundPhases} splits each round on
 *   the driver's critical path from dl4j-spark's stats and the per-task metrics {@code RoundTasks} keeps;
 *   {@code CostModel} is fitted on some points and predicts all of them and larger clusters;
 *   {@link io.fashionspark.bench.ScalingCostReport} writes bench/results/round-cost/&lt;date&gt;.md.</li>
 * </ul>
 */
package io.fashionspark.bench;
