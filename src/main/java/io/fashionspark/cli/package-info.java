/**
 * The command line (picocli): {@code train}, {@code evaluate}, {@code predict} and {@code summary}, defaults from
 * conf/, exit codes.
 */
package io.fashionspark.cli;
