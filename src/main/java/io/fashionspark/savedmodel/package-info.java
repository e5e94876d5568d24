/**
 * The {@code model.zip} file, the one place that knows its layout: writing it (DL4J's entries and this project's
 * provenance beside them), reading it back from a local path or any Hadoop URI, and the checks that make a file
 * from elsewhere a usable FashionMNIST classifier (input shape, 10 classes). Checkpoints are model files too.
 */
package io.fashionspark.savedmodel;
