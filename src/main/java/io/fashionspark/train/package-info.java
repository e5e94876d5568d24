/**
 * Distributed training only: the parameter-averaging loop, its state and triggers, the listeners that hang off
 * it (metrics, divergence check, evaluation, checkpoints), the per-epoch data shards, distributed evaluation and
 * the checkpoints of a run.
 */
package io.fashionspark.train;
