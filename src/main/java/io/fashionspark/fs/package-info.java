/**
 * Where files are: a local path or any Hadoop FileSystem URI ({@code hdfs://}, {@code s3a://}, {@code file://}) as
 * one file system and a path. The data, the run directories, the saved models and the pictures to predict are all
 * reached through it; it knows nothing of what they hold.
 */
package io.fashionspark.fs;
