/** Distributed training: Spark context, data shards, dl4j-spark parameter averaging, distributed evaluation. */
package io.fashionspark.train;
