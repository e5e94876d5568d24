package io.fashionspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fashionspark.config.RunSettings;
import io.fashionspark.config.Setting;
import io.fashionspark.config.SettingValues;
import io.fashionspark.config.Settings;
import io.fashionspark.config.TrainingConfig;
import io.fashionspark.config.TrainingDefaults;
import io.fashionspark.config.TrainingRecipe;
import io.fashionspark.ml.FashionClassifier;
import io.fashionspark.rundir.RunSummary;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * Each training setting is declared once (Settings), and everything that lists the settings is derived from the
 * declarations and agrees with them: train's options, the defaults file, a run's config.json, the records that hold
 * a run's settings, the Spark ML estimator's parameters. A setting declared and missing from one of them fails here,
 * whatever the number of settings.
 */
class OptionNamesTest {
    /** train's options that say how to run this one command, not what the run is: never in conf/ or config.json. */
    private static final Set<String> PER_INVOCATION = Set.of("--help", "--version", ConfigDefaults.OPTION,
            TrainCommand.RESUME, TrainCommand.PROGRESS, TrainCommand.DRY_RUN, TrainCommand.PRINT_CONFIG, "--verbose");

    private static Set<String> options() {
        return Settings.all().stream().map(Setting::option).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void trainsOptionsAreTheSettingsAndTheCommandsOwn() {
        Set<String> options = new TreeSet<>();
        for (OptionSpec o : new CommandLine(new TrainCommand()).getCommandSpec().options()) {
            options.add(o.longestName());
        }
        Set<String> expected = options();
        expected.addAll(PER_INVOCATION);
        assertEquals(expected, options);
    }

    @Test
    void everySettingHasADefaultInConf() throws Exception {
        Properties conf = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("conf/fashion-spark.properties"))) {
            conf.load(in);
        }
        Set<String> keys = Settings.all().stream().map(Setting::key).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(keys, new TreeSet<>(conf.stringPropertyNames()));
    }

    @Test
    void aRunsConfigJsonRecordsEverySettingAndReadsItBack() throws Exception {
        TrainingConfig config = TrainingDefaults.builder().with(Settings.OUTPUT, "runs/any").build();
        JsonNode json = RunSummary.mapper().readTree(RunSummary.mapper().writeValueAsString(config));
        for (Setting<?> s : Settings.all()) {
            JsonNode where = s.concern() == Setting.Concern.RECIPE ? json.path("recipe") : json;
            assertTrue(where.has(s.field()), "config.json has no " + s.field() + " for " + s);
        }
        assertEquals(config, RunSummary.mapper().treeToValue(json, TrainingConfig.class));
    }

    @Test
    void everySettingIsAComponentOfTheRecordOfItsConcern() {
        Map<Setting.Concern, Class<? extends Record>> records = Map.of(Setting.Concern.RUN, RunSettings.class,
                Setting.Concern.TRAINING, TrainingConfig.class, Setting.Concern.RECIPE, TrainingRecipe.class);
        SettingValues held = SettingValues.of(TrainingDefaults.builder().with(Settings.OUTPUT, "o").build());
        for (Setting<?> s : Settings.all()) {
            // --recipe names the recipe, which the config holds whole.
            String component = s == Settings.RECIPE ? "recipe" : s.field();
            assertTrue(Arrays.stream(records.get(s.concern()).getRecordComponents())
                    .anyMatch(c -> c.getName().equals(component)), s + " has no component named " + component
                    + " in " + records.get(s.concern()).getSimpleName());
            assertTrue(s == Settings.RECIPE || held.has(s), s + "'s component is not of the setting's type");
        }
    }

    @Test
    void everySettingTheEstimatorTakesIsOneOfItsParameters() {
        FashionClassifier classifier = new FashionClassifier();
        for (Setting<?> s : Settings.all()) {
            if (s.inEstimator()) {
                assertNotNull(classifier.getParam(s.field()), s.toString());
                assertEquals(s.help(), classifier.getParam(s.field()).doc());
            }
        }
    }
}
