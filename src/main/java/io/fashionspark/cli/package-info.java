/**
 * The command line (picocli): {@code train}, {@code evaluate}, {@code predict}, {@code report} and
 * {@code summary}, defaults from conf/, exit codes.
 */
package io.fashionspark.cli;
