/** Training events and their sinks (JSON Lines, CSV, console), fanned out by a collector. */
package io.fashionspark.metrics;
