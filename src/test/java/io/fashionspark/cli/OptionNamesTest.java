package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fashionspark.config.TrainingOptions;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Each training setting's name is defined once (TrainingOptions): train declares an option of that name, the
 * defaults file has its key (all but --overwrite), and the file has no key that is not an option.
 */
class OptionNamesTest {
    private static Set<String> settings() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field f : TrainingOptions.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                names.add((String) f.get(null));
            }
        }
        return names;
    }

    @Test
    void everySettingIsAnOptionOfTrainWithADefaultInConf() throws Exception {
        Set<String> options = new TreeSet<>();
        for (OptionSpec o : new CommandLine(new TrainCommand()).getCommandSpec().options()) {
            options.add(o.longestName());
        }
        Properties conf = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("conf/fashion-spark.properties"))) {
            conf.load(in);
        }
        Set<String> settings = settings();
        assertEquals(29, settings.size(), "the twenty-nine settings of a run: " + settings);
        for (String s : settings) {
            assertTrue(options.contains(s), "train has no option " + s);
            // Replacing a run's files is decided per command, never by a shipped default.
            assertTrue(conf.containsKey(TrainingOptions.key(s)) != s.equals(TrainingOptions.OVERWRITE),
                    "conf/fashion-spark.properties lacks " + s + " (or sets --overwrite)");
        }
        for (String key : conf.stringPropertyNames()) {
            assertTrue(options.contains("--" + key), "conf/fashion-spark.properties has " + key + ", not an option");
        }
    }
}
