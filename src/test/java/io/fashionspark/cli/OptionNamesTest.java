package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingDefaults;
import io.fashionspark.config.TrainingOptions;
import io.fashionspark.rundir.RunSummary;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Each training setting's name is defined once (TrainingOptions), and everything that lists the settings agrees
 * with it: train's options, the defaults file, a run's config.json. Adding a setting and missing one of them fails
 * here, whatever the number of settings.
 */
class OptionNamesTest {
    /** train's options that say how to run this one command, not what the run is: never in conf/ or config.json. */
    private static final Set<String> PER_INVOCATION = Set.of("--help", "--version", ConfigDefaults.OPTION,
            TrainCommand.RESUME, TrainCommand.PROGRESS, TrainCommand.DRY_RUN, "--verbose");

    @Test
    void trainsOptionsAreTheSettingsAndTheCommandsOwn() {
        Set<String> options = new TreeSet<>();
        for (OptionSpec o : new CommandLine(new TrainCommand()).getCommandSpec().options()) {
            options.add(o.longestName());
        }
        Set<String> expected = new TreeSet<>(TrainingOptions.all());
        expected.addAll(PER_INVOCATION);
        assertEquals(expected, options);
    }

    @Test
    void everySettingHasADefaultInConf() throws Exception {
        Properties conf = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("conf/fashion-spark.properties"))) {
            conf.load(in);
        }
        Set<String> keys = new TreeSet<>();
        for (String s : TrainingOptions.all()) {
            // Replacing a run's files is decided per command, never by a shipped default.
            if (!s.equals(TrainingOptions.OVERWRITE)) {
                keys.add(TrainingOptions.key(s));
            }
        }
        Set<String> inConf = new TreeSet<>(conf.stringPropertyNames());
        assertTrue(inConf.containsAll(keys), "conf/fashion-spark.properties lacks settings: " + missing(keys, inConf));
        // Beyond the settings, a default for how train shows its progress, which is train's too.
        inConf.removeAll(keys);
        assertEquals(Set.of(TrainingOptions.key(TrainCommand.PROGRESS)), inConf);
    }

    @Test
    void aRunsConfigJsonRecordsEverySetting() throws Exception {
        TrainingConfig config = TrainingDefaults.builder().output("runs/any").build();
        JsonNode json = RunSummary.mapper().readTree(RunSummary.mapper().writeValueAsString(config));
        for (String s : TrainingOptions.all()) {
            String field = camelCase(TrainingOptions.key(s));
            assertTrue(json.has(field) || json.path("recipe").has(field), "config.json has no " + field + " for " + s);
        }
    }

    private static Set<String> missing(Set<String> wanted, Set<String> present) {
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(present);
        return missing;
    }

    private static String camelCase(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
