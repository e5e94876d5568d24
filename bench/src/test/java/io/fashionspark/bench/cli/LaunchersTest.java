package io.fashionspark.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The launchers send exactly the bench module's commands to its jar: {@code bin/fashion-spark} on this machine and
 * {@code deploy/standalone/submit.sh} (through {@code deploy/common.sh}) on a cluster.
 */
class LaunchersTest {
    private static final Pattern CASE = Pattern.compile("(?m)^\\s*(bench \\| [a-z| -]+)\\)");

    @Test
    void theLaunchersKnowEveryBenchCommandAndTheMainClass() throws Exception {
        Set<String> commands = new TreeSet<>(new CommandLine(new BenchMain()).getSubcommands().keySet());
        commands.remove("help");
        for (Path launcher : new Path[] {Path.of("bin/fashion-spark"), Path.of("deploy/common.sh")}) {
            Matcher m = CASE.matcher(Files.readString(launcher));
            assertTrue(m.find(), launcher + " has no case for the bench module's commands");
            Set<String> named = Arrays.stream(m.group(1).split("\\|")).map(String::trim)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(commands, named, launcher.toString());
        }
        assertTrue(Files.readString(Path.of("deploy/common.sh")).contains("BENCH_MAIN=" + BenchMain.class.getName()));
        assertTrue(Files.readString(Path.of("bin/make-pictures"))
                .contains(io.fashionspark.bench.CataloguePictures.class.getName()));
    }
}
