package io.fashionspark.cli;

import io.fashionspark.model.ModelKind;
import picocli.CommandLine;

/** Parses {@code --model} with an error that lists the choices. */
public final class ModelConverter implements CommandLine.ITypeConverter<ModelKind> {
    @Override
    public ModelKind convert(String value) {
        try {
            return ModelKind.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
