package io.fashionspark.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One training setting, declared once in {@link Settings}: its option name, what it concerns, its type, its default,
 * its validation and its help. Everything else is derived from the declaration: {@code train}'s option and its
 * {@code --help}, the defaults file {@code conf/fashion-spark.properties} ({@code train --print-config}), the
 * reading of a run's {@code config.json} (including one written before the setting existed) and the Spark ML
 * estimator's parameter. The records that hold a run's settings ({@link TrainingConfig}, {@link RunSettings},
 * {@link TrainingRecipe}) name their components after the settings and check them with {@link #require}.
 *
 * @param <T> the value's type; a setting whose text may be {@value TrainingRecipe#AUTO} reads that as null
 */
public final class Setting<T> {
    /** What a setting is about: the job around a run, what is trained, or the tuned recipe's schedule. */
    public enum Concern {
        /** The job around a training run: data, run directory, limits, test and checkpoint cadence. */
        RUN,
        /** What is trained: the model, the workers, the minibatch, the epochs, the rate, the seed, the exchange. */
        TRAINING,
        /**
         * The tuned recipe's schedule and averaging: {@code --recipe notes} trains with the notes' values and
         * refuses these on the command line.
         */
        RECIPE
    }

    /**
     * How a setting's text becomes its value; {@link #kind} says what the text must be. A type that takes
     * {@value TrainingRecipe#AUTO} ({@link #auto}) reads it as null: the model's own value, filled in later.
     */
    public record Type<T>(Class<T> javaType, String kind, Function<String, T> parser, boolean auto) {
        public Type(Class<T> javaType, String kind, Function<String, T> parser) {
            this(javaType, kind, parser, false);
        }

        public static final Type<Integer> WHOLE = new Type<>(Integer.class, "a whole number", Integer::valueOf);
        public static final Type<Long> LONG = new Type<>(Long.class, "a whole number", Long::valueOf);
        public static final Type<Double> NUMBER = new Type<>(Double.class, "a number", Double::valueOf);
        public static final Type<Boolean> FLAG = new Type<>(Boolean.class, "true or false", text -> {
            String t = text.toLowerCase(Locale.ROOT);
            if (!t.equals("true") && !t.equals("false")) {
                throw new IllegalArgumentException();
            }
            return t.equals("true");
        });
        public static final Type<String> TEXT = new Type<>(String.class, "text", t -> t);

        /** One of {@code type}'s constants, in any case. */
        public static <E extends Enum<E>> Type<E> choice(Class<E> type) {
            String choices = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining("|"));
            return new Type<>(type, "one of " + choices, t -> {
                try {
                    return Enum.valueOf(type, t.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException();
                }
            });
        }

        /** This type, or {@value TrainingRecipe#AUTO} (null: the model's own value, filled in later). */
        public Type<T> orAuto(String what) {
            return new Type<>(javaType, what + " or " + TrainingRecipe.AUTO,
                    t -> t.equalsIgnoreCase(TrainingRecipe.AUTO) ? null : parser.apply(t), true);
        }
    }

    private final String option;
    private final Concern concern;
    private final Type<T> type;
    private final String label;
    private final String help;
    private final String defaultText;
    private final String what;
    private final Predicate<T> valid;
    private final String rule;
    private final String hint;
    private final String whenAbsent;
    private final String notesValue;
    private final boolean estimator;
    private final boolean notEmpty;
    private final boolean optional;

    private Setting(Builder<T> b) {
        option = Objects.requireNonNull(b.option);
        concern = Objects.requireNonNull(b.concern);
        type = Objects.requireNonNull(b.type);
        label = Objects.requireNonNull(b.label, option + " has no label");
        help = Objects.requireNonNull(b.help, option + " has no help");
        defaultText = b.defaultText;
        what = b.what;
        valid = b.valid;
        rule = b.rule;
        hint = b.hint;
        whenAbsent = b.whenAbsent;
        notesValue = b.notesValue;
        estimator = b.estimator;
        notEmpty = b.notEmpty;
        optional = b.optional;
    }

    static <T> Builder<T> of(String option, Concern concern, Type<T> type) {
        return new Builder<>(option, concern, type);
    }

    /** The command-line name, {@code --batch-size}. */
    public String option() {
        return option;
    }

    /** The key in a properties file: the option without its dashes, {@code batch-size}. */
    public String key() {
        return key(option);
    }

    /** The properties-file key of any long option name: {@code --progress} is {@code progress}. */
    public static String key(String option) {
        return option.replaceFirst("^-+", "");
    }

    /**
     * The name in {@code config.json}, in a record of settings and in the Spark ML estimator: the key in camel case,
     * {@code batchSize}.
     */
    public String field() {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : key().toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    public Concern concern() {
        return concern;
    }

    public Type<T> type() {
        return type;
    }

    /** What the value looks like in {@code --help} ({@code N}, {@code tuned|notes}). */
    public String label() {
        return label;
    }

    /** What it does and how to choose it: {@code --help} and the defaults file's comment. */
    public String help() {
        return help;
    }

    /** The shipped default as text (as the defaults file holds it); null where none is shipped. */
    public String defaultText() {
        return defaultText;
    }

    /**
     * The value of a run that does not give this setting: one whose {@code config.json} was written before the
     * setting existed, or one built in code without it ({@link TrainingConfig#builder()}); null where every run
     * must give it.
     */
    public String whenAbsent() {
        return whenAbsent;
    }

    /** The value under {@code --recipe notes}; null where the notes' set-up leaves it alone. */
    public String notesValue() {
        return notesValue;
    }

    /**
     * Whether the Spark ML estimator takes it as a parameter: not the data, the run directory (a parameter of its
     * own), the limits or the checkpoints, since the estimator reads a DataFrame and checkpoints only with a run
     * directory.
     */
    public boolean inEstimator() {
        return estimator;
    }

    /**
     * The value {@code text} stands for (null text: no value), checked; a {@link ConfigException} names this setting
     * and the text.
     */
    public T parse(String text) {
        if (text == null) {
            return require(null);
        }
        T value;
        try {
            value = type.parser().apply(text.trim());
        } catch (IllegalArgumentException e) {
            // A parser's own message says more than the type's kind (an unknown model names the models).
            throw new ConfigException(e instanceof NumberFormatException || e.getMessage() == null
                    ? option + " must be " + type.kind() + ", got '" + text + "'" : option + ": " + e.getMessage());
        }
        return require(value);
    }

    /** {@code value} if this setting allows it; otherwise a {@link ConfigException} that says what it must be. */
    public T require(T value) {
        if (value == null) {
            if (optional || type.auto()) {
                return null;
            }
            throw new ConfigException(option + (notEmpty ? " must not be empty" : " must be given"));
        }
        if (notEmpty && value.toString().isBlank()) {
            throw new ConfigException(option + " must not be empty");
        }
        if (valid != null && !valid.test(value)) {
            throw new ConfigException(option + (what == null ? "" : " (" + what + ")") + " must be " + rule + ", got "
                    + value + (hint == null ? "" : " (" + hint + ")"));
        }
        return value;
    }

    @Override
    public String toString() {
        return option;
    }

    /** Declares a setting: {@link Settings} is the one place that calls it. */
    static final class Builder<T> {
        private final String option;
        private final Concern concern;
        private final Type<T> type;
        private String label;
        private String help;
        private String defaultText;
        private String what;
        private Predicate<T> valid;
        private String rule;
        private String hint;
        private String whenAbsent;
        private String notesValue;
        private boolean estimator;
        private boolean notEmpty;
        private boolean optional;

        private Builder(String option, Concern concern, Type<T> type) {
            this.option = option;
            this.concern = concern;
            this.type = type;
        }

        Builder<T> label(String value) {
            label = value;
            return this;
        }

        Builder<T> help(String value) {
            help = value;
            return this;
        }

        /** The shipped default, as the defaults file writes it. */
        Builder<T> byDefault(String value) {
            defaultText = value;
            return this;
        }

        /** A valid value passes {@code test}; otherwise "must be {@code rule}, got ...". */
        Builder<T> must(Predicate<T> test, String rule) {
            valid = test;
            this.rule = rule;
            return this;
        }

        /** A few words after the option in a refusal: "--workers (the number of replicas) must be ...". */
        Builder<T> what(String value) {
            what = value;
            return this;
        }

        /** A note after the refusal's value, on what usual values are. */
        Builder<T> hint(String value) {
            hint = value;
            return this;
        }

        /** What a run that does not give this setting trains with (a {@code config.json} from before it). */
        Builder<T> whenAbsent(String value) {
            whenAbsent = value;
            return this;
        }

        /** The value under {@code --recipe notes}. */
        Builder<T> notes(String value) {
            notesValue = value;
            return this;
        }

        /** A parameter of the Spark ML estimator, too. */
        Builder<T> inEstimator() {
            estimator = true;
            return this;
        }

        /** Blank text is refused: "must not be empty". */
        Builder<T> notEmpty() {
            notEmpty = true;
            return this;
        }

        /** May have no value (null): a run without a run directory. */
        Builder<T> optional() {
            optional = true;
            return this;
        }

        Setting<T> declare() {
            return new Setting<>(this);
        }
    }
}
