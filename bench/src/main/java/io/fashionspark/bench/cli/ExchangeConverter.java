package io.fashionspark.bench.cli;

import io.fashionspark.config.ConfigException;
import io.fashionspark.config.Exchange;
import picocli.CommandLine;

/** Parses an exchange's name in a list option, with an error that lists the choices. */
final class ExchangeConverter implements CommandLine.ITypeConverter<Exchange> {
    @Override
    public Exchange convert(String value) {
        try {
            return Exchange.named(value);
        } catch (ConfigException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
