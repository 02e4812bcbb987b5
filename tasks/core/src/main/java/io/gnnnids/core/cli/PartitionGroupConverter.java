package io.gnnnids.core.cli;

import io.gnnnids.core.kafka.PartitionGroup;
import picocli.CommandLine;

/** picocli: reads an i/n option as {@link PartitionGroup#parse} does; a bad group is a usage error (exit 2). */
public class PartitionGroupConverter implements CommandLine.ITypeConverter<PartitionGroup> {

    @Override
    public PartitionGroup convert(String value) {
        try {
            return PartitionGroup.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
