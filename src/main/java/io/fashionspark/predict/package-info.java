/**
 * Classifying pictures with a trained model: {@code predict --output} at scale on the executors (the driver lists
 * the inputs, tasks read and classify them with the Spark ML model's transform, and the results are written as one
 * Spark job output, atomically), and the top classes both forms of {@code predict} report.
 */
package io.fashionspark.predict;
