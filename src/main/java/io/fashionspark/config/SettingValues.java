package io.fashionspark.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Values of some settings, by their declaration, and the bridge to the records that hold a run's settings: a record
 * component named after a setting ({@link Setting#field()}) holds that setting's value, so that records are built
 * from values, and values read from records, without a line per setting.
 */
public final class SettingValues {
    private final Map<Setting<?>, Object> values;

    private SettingValues(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /** No values yet. */
    public static SettingValues none() {
        return new SettingValues(new LinkedHashMap<>());
    }

    /** The values of {@code settings} read from their text, each parsed and checked by its declaration. */
    static SettingValues parse(List<Setting<?>> settings, Function<Setting<?>, String> text) {
        SettingValues v = none();
        for (Setting<?> s : settings) {
            v.values.put(s, s.parse(text.apply(s)));
        }
        return v;
    }

    /**
     * Every setting's value from its text ({@code text}: the defaults, a config file and the command line laid over
     * one another). Under {@code --recipe notes} a setting with a notes value takes it unless {@code given} says it
     * was given for this run: then a learning rate is kept, and a setting of the tuned recipe is refused rather than
     * ignored.
     */
    public static SettingValues read(Function<Setting<?>, String> text, Predicate<Setting<?>> given) {
        boolean notes = Settings.RECIPE.parse(text.apply(Settings.RECIPE)).equalsIgnoreCase(TrainingRecipe.NOTES_NAME);
        return parse(Settings.all(), s -> {
            if (!notes || s.notesValue() == null) {
                return text.apply(s);
            }
            if (given.test(s) && s.concern() == Setting.Concern.RECIPE) {
                throw new ConfigException(s.option() + " is part of the tuned recipe; " + Settings.RECIPE + " "
                        + TrainingRecipe.NOTES_NAME + " trains with a constant rate and plain averaging");
            }
            return given.test(s) ? text.apply(s) : s.notesValue();
        });
    }

    /**
     * The settings a run's {@code config.json} (or {@code summary.json}, or a model's provenance) holds: one flat
     * object, the recipe's settings in its {@code recipe} object. A setting it lacks was written before the
     * setting existed, and reads as what such runs trained with ({@link Setting#whenAbsent()}); a file without a
     * recipe trained with the notes' set-up.
     */
    public static SettingValues read(JsonNode json) {
        Function<Setting<?>, JsonNode> node = s -> (s.concern() == Setting.Concern.RECIPE ? json.path(RECIPE_FIELD)
                : json).get(s.field());
        return read(s -> {
            if (s == Settings.RECIPE) {
                return json.path(RECIPE_FIELD).isObject() ? TrainingRecipe.TUNED : s.whenAbsent();
            }
            JsonNode n = node.apply(s);
            return n == null ? s.whenAbsent() : n.isNull() ? null : n.asText();
        }, s -> node.apply(s) != null);
    }

    /** Where config.json holds the recipe's settings: the {@link TrainingConfig}'s component of that name. */
    private static final String RECIPE_FIELD = "recipe";

    /** The recipe these values give. */
    public TrainingRecipe recipe() {
        return build(TrainingRecipe.class, name -> {
            throw new IllegalStateException(name);
        });
    }

    /** The job around the run these values give. */
    public RunSettings run() {
        return build(RunSettings.class, name -> {
            throw new IllegalStateException(name);
        });
    }

    /** The run's settings these values give, with {@code recipe}, and what was asked where the recipe changed it. */
    public TrainingConfig config(TrainingRecipe recipe, TrainingConfig.Asked asked) {
        RunSettings run = run();
        return build(TrainingConfig.class, name -> switch (name) {
            case "recipe" -> recipe;
            case "run" -> run;
            case "asked" -> asked;
            default -> throw new IllegalStateException(name);
        });
    }

    /** Whether {@code setting} has a value (null included: none, or the model's own). */
    public boolean has(Setting<?> setting) {
        return values.containsKey(setting);
    }

    /** The value of {@code setting}; a {@link ConfigException} where it has none and needs one. */
    public <T> T get(Setting<T> setting) {
        if (!values.containsKey(setting)) {
            return setting.require(null);
        }
        return setting.type().javaType().cast(values.get(setting));
    }

    /** Sets {@code setting} to {@code value}, checked, and returns these values (a builder's, changed in place). */
    public <T> SettingValues with(Setting<T> setting, T value) {
        values.put(setting, setting.require(value));
        return this;
    }

    /**
     * Reads the values a record holds: each component named after a setting, and those of the records it holds
     * (a {@link TrainingConfig}'s {@link RunSettings} and {@link TrainingRecipe}).
     */
    public static SettingValues of(Record record) {
        SettingValues v = none();
        v.collect(record);
        return v;
    }

    private void collect(Record record) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
            Setting<?> s = holding(c);
            if (s != null) {
                values.put(s, value);
            } else if (value instanceof Record nested && nested.getClass().getPackage() == Settings.class.getPackage()
                    && !(value instanceof TrainingConfig.Asked)) {
                collect(nested);
            }
        }
    }

    /**
     * Builds a record of settings: each component named after a setting takes its value here, any other from
     * {@code others} (a nested record, built by the caller). The record's constructor checks them.
     */
    <R extends Record> R build(Class<R> type, Function<String, Object> others) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Setting<?> s = holding(components[i]);
            args[i] = s != null ? requirePresent(s, components[i].getType()) : others.apply(components[i].getName());
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(Arrays.stream(components)
                    .map(RecordComponent::getType).toArray(Class<?>[]::new));
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " is not a record of settings", e);
        }
    }

    /** The value of {@code s}, which a primitive component cannot take as null. */
    private Object requirePresent(Setting<?> s, Class<?> componentType) {
        Object value = get(s);
        if (value == null && componentType.isPrimitive()) {
            throw new ConfigException(s.option() + " must be given");
        }
        return value;
    }

    /**
     * The setting a record component holds: the one it is named after, where its type is the setting's (a
     * {@link TrainingConfig}'s {@code recipe} is the recipe itself, not {@code --recipe}'s name of it); null for
     * the records' other parts.
     */
    static Setting<?> holding(RecordComponent component) {
        Class<?> type = component.getType().isPrimitive() ? boxed(component.getType()) : component.getType();
        for (Setting<?> s : Settings.all()) {
            if (s.field().equals(component.getName()) && s.type().javaType() == type) {
                return s;
            }
        }
        return null;
    }

    private static Class<?> boxed(Class<?> primitive) {
        return primitive == int.class ? Integer.class : primitive == long.class ? Long.class
                : primitive == double.class ? Double.class : primitive == boolean.class ? Boolean.class : primitive;
    }
}
