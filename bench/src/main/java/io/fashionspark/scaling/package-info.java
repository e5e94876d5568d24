/**
 * The scaling study: how accuracy and the work needed to reach it move with the worker count, for each recipe.
 * {@link io.fashionspark.scaling.ScalingStudy} trains the runs (one result file each, so the study runs in parts and
 * resumes), {@link io.fashionspark.scaling.ScalingReport} writes {@code bench/results/scaling/study.md} from whatever results exist.
 */
package io.fashionspark.scaling;
