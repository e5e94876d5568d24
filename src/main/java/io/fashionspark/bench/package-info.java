/**
 * {@code fashion-spark bench}: one run on one machine that measures single-JVM DL4J training, Spark parameter
 * averaging at several worker counts and averaging frequencies, and the reference PyTorch code of the notes, on the
 * same data and number of images, and writes the ratios between them (with where each averaging round's time goes,
 * peak memory, and the achieved share of the machine's measured matrix-multiply peak) to a markdown report.
 */
package io.fashionspark.bench;
