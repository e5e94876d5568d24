package io.fashionspark.config;

import java.util.Properties;
import java.util.function.Function;

/**
 * The shipped defaults of the settings, as {@link Settings} declares them: {@code train} lays a user's {@code
 * --config} file and its flags over them; the Spark ML estimator takes its parameters' defaults from them, so both
 * start from the same settings. {@code conf/fashion-spark.properties} is these, written by {@code train
 * --print-config}.
 */
public final class TrainingDefaults {
    private TrainingDefaults() {
    }

    /** The defaults, keyed by option name without dashes, as a properties file holds them. */
    public static Properties bundled() {
        Properties p = new Properties();
        for (Setting<?> s : Settings.all()) {
            if (s.defaultText() != null) {
                p.setProperty(s.key(), s.defaultText());
            }
        }
        return p;
    }

    /**
     * A properties file of every setting, each with its help as a comment, its value as {@code value} gives it:
     * with the defaults, {@code conf/fashion-spark.properties}.
     */
    public static String file(Function<Setting<?>, String> value) {
        StringBuilder out = new StringBuilder();
        comment(out, "Settings of fashion-spark's train. Pass an edited copy with `train --config FILE`; flags on the "
                + "command line override it, and it overrides the defaults. Keys are train's long option names "
                + "without the dashes; an unknown key is an error. Written by `train --print-config`, which prints "
                + "the settings that its other options give (with none, the defaults).");
        for (Setting<?> s : Settings.all()) {
            out.append('\n');
            comment(out, s.help());
            String v = value.apply(s);
            out.append(s.key()).append('=').append(v == null ? "" : v).append('\n');
        }
        return out.toString();
    }

    /** {@code text} as comment lines of at most {@value #WIDTH} characters. */
    private static void comment(StringBuilder out, String text) {
        StringBuilder line = new StringBuilder("#");
        for (String word : text.split(" ")) {
            if (line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line = new StringBuilder("#");
            }
            line.append(' ').append(word);
        }
        out.append(line).append('\n');
    }

    private static final int WIDTH = 116;

    /** The defaults' values, as a run that gives none of its own reads them. */
    public static SettingValues values() {
        return SettingValues.read(Setting::defaultText, s -> false);
    }

    /** A builder holding every default; the run directory ({@code output}) is left for the caller. */
    public static TrainingConfig.Builder builder() {
        return new TrainingConfig.Builder(values());
    }
}
