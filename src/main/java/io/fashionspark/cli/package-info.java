/** The command line (picocli): {@code train}, {@code summary} and {@code report}, defaults from conf/, exit codes. */
package io.fashionspark.cli;
