/** The command line (picocli): {@code train} and {@code summary}, defaults from conf/, exit codes. */
package io.fashionspark.cli;
