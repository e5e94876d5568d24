/** A training run from resolved settings and loaded images to a model, in memory or in a run directory. */
package io.fashionspark.job;
