package io.gnnnids.core.cli;

import io.gnnnids.core.util.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** picocli: reads a duration option as {@link Durations#parse} does; a bad one is a usage error (exit 2). */
public class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (NumberFormatException e) {
            throw e; // a number too large for a long: picocli says it cannot convert it, as before
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
