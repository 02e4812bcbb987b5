package io.gnnnids.core.flow;

/**
 * Turns the lines of a flow file in one {@link FlowFormat} into records; {@link FlowFileReader} picks the decoder
 * and feeds it every line after the size check. A decoder may keep state from earlier lines (a header).
 */
interface FlowLineDecoder {
    /** The record on this line, or null for a line that carries none (header, directive, blank). */
    FlowFileReader.Item decode(byte[] line, long lineNumber);
}
