/** The frozen, validated settings of a training run. */
package io.fashionspark.config;
