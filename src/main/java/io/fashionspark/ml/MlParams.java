package io.fashionspark.ml;

import java.io.Serializable;
import java.util.List;
import scala.Function1;
import scala.runtime.AbstractFunction1;

/** Validators for Spark ML parameters, as the serialisable Scala functions {@code Param} takes. */
final class MlParams {
    private MlParams() {
    }

    /** A check of one value: true when valid, or an {@link IllegalArgumentException} that says what is wrong. */
    interface Check<T> extends Serializable {
        boolean test(T value);
    }

    static <T> Function1<T, Object> validator(Check<T> check) {
        return new Validator<>(check);
    }

    static Function1<String, Object> oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        return validator(v -> v != null && values.contains(v));
    }

    static Function1<Object, Object> atLeast(int min) {
        return validator(v -> ((Number) v).intValue() >= min);
    }

    private static final class Validator<T> extends AbstractFunction1<T, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Check<T> check;

        Validator(Check<T> check) {
            this.check = check;
        }

        @Override
        public Object apply(T value) {
            return check.test(value);
        }
    }
}
