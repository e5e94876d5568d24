/**
 * What the job needs from the machine it runs on, on the driver and on every executor: the native ND4J set-up
 * (threads, oneDNN helpers, off-heap limits) applied before ND4J loads, the check that Spark, Scala and Java are
 * ones this jar works with, the Spark context of a run, Kryo registration of ND4J arrays, and what this build is
 * (versions, git commit).
 */
package io.fashionspark.runtime;
