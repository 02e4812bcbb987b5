package io.gnnnids.core.flow;

/** Zeek JSON logs: one object per line, parsed by {@link FlowParser#parseJson(byte[])}; blank lines carry nothing. */
final class JsonLinesDecoder implements FlowLineDecoder {
    private final FlowParser parser;

    JsonLinesDecoder(FlowParser parser) {
        this.parser = parser;
    }

    @Override
    public FlowFileReader.Item decode(byte[] line, long lineNumber) {
        if (ByteLines.firstNonBlank(line) < 0) {
            return null;
        }
        try {
            return new FlowFileReader.Item(lineNumber, line, parser.parseJson(line), null);
        } catch (InvalidFlow e) {
            return new FlowFileReader.Item(lineNumber, line, null, e);
        }
    }
}
