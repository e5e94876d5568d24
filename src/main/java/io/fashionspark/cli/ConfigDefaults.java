package io.fashionspark.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Setting;
import io.fashionspark.config.TrainingDefaults;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * Option defaults from the settings' declared defaults (which {@code conf/fashion-spark.properties} lists), or the file
 * given with {@code --config}. Keys are the long option names without dashes ({@code batch-size=100}).
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    /** The option that names a properties file of defaults. */
    static final String OPTION = "--config";
    private final Properties props;
    private final String source;
    /** The keys to check against the options: the user's file alone (the bundled file is the jar's own). */
    private final Set<String> userKeys;

    private ConfigDefaults(Properties props, String source, Set<String> userKeys) {
        this.props = props;
        this.source = source;
        this.userKeys = userKeys;
    }

    /** The declared defaults, with the keys of {@code file} (when given) laid over them. */
    static ConfigDefaults load(Path file) {
        Properties p = TrainingDefaults.bundled();
        if (file == null) {
            return new ConfigDefaults(p, "built-in defaults (conf/fashion-spark.properties)", p.stringPropertyNames());
        }
        Properties overrides = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            overrides.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage());
        }
        p.putAll(overrides);
        return new ConfigDefaults(p, file.toString(), overrides.stringPropertyNames());
    }

    String source() {
        return source;
    }

    /** Rejects keys no option of {@code command} has, naming the closest one. */
    void checkKeys(CommandLine.Model.CommandSpec command) {
        Set<String> known = new TreeSet<>();
        for (OptionSpec o : command.options()) {
            known.add(key(o));
        }
        for (String k : userKeys) {
            if (!known.contains(k)) {
                throw new ConfigException(source + ": unknown key '" + k + "'" + Suggestions.didYouMean(k, known));
            }
        }
    }

    /**
     * These defaults for the options named in {@code keys} only: for commands other than {@code train} that share
     * some of its options ({@code evaluate --data}) but must not take the rest ({@code model=cnn} is an
     * architecture for train, a file for evaluate).
     */
    CommandLine.IDefaultValueProvider only(Set<String> keys) {
        return argSpec -> argSpec instanceof OptionSpec o && keys.contains(key(o)) ? defaultValue(argSpec) : null;
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec o) {
            String v = props.getProperty(key(o));
            return v == null ? null : v.trim();
        }
        return null;
    }

    private static String key(OptionSpec o) {
        return Setting.key(o.longestName());
    }
}
