/**
 * Classifying pictures at scale on the executors: the driver lists the inputs, tasks read and classify them with
 * the Spark ML model's transform, and the results are written as one Spark job output, atomically.
 */
package io.fashionspark.inference;
