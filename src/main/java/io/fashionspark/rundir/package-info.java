/**
 * The run directory, local or on any Hadoop file system: its files written atomically ({@code config.json},
 * {@code summary.json}, {@code model.zip} with its provenance, checkpoints, metrics streams), and the typed
 * records those files hold.
 */
package io.fashionspark.rundir;
