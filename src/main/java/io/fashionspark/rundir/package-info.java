/**
 * The run directory, local or on any Hadoop file system: its files written atomically ({@code config.json},
 * {@code summary.json}, {@code model.zip} with its provenance, checkpoints, metrics streams), and the typed
 * records those files hold; the same whole-or-nothing writing for the reports and study results a command writes on
 * the local disk ({@link io.fashionspark.rundir.AtomicFiles}).
 */
package io.fashionspark.rundir;
