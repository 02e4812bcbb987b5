package io.gnnnids.core.cli;

import io.gnnnids.core.util.TimeRange;
import picocli.CommandLine;

/** picocli: reads a FROM..TO option as {@link TimeRange#parse} does; a bad period is a usage error (exit 2). */
public class TimeRangeConverter implements CommandLine.ITypeConverter<TimeRange> {

    @Override
    public TimeRange convert(String value) {
        try {
            return TimeRange.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
