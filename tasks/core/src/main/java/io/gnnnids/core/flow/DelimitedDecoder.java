package io.gnnnids.core.flow;

import io.gnnnids.core.error.StepFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the TSV and CSV decoders share: text lines whose cells a header of Zeek field names maps to columns. A
 * header that lacks a required conn.log field ends the read with a {@link StepFailure} naming the file.
 */
abstract class DelimitedDecoder implements FlowLineDecoder {
    /** The file being read, named in every failure. */
    final Path file;

    /** What the header names, in file order (null = a field a flow does not keep); null until the header. */
    FlowColumn[] columns;

    /** The cells of the line at hand, reused from line to line. */
    final List<String> cells = new ArrayList<>(32);

    private final FlowBuilder builder = new FlowBuilder();

    DelimitedDecoder(Path file) {
        this.file = file;
    }

    /** Decodes the line strictly; null when it is not UTF-8. */
    static String text(byte[] line) {
        if (Utf8.firstInvalid(line, 0, line.length) >= 0) {
            return null;
        }
        int from = line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF
                ? 3
                : 0; // byte order mark some editors put before a CSV header
        return new String(line, from, line.length - from, StandardCharsets.UTF_8);
    }

    static FlowFileReader.Item invalidUtf8(byte[] line, long lineNumber) {
        int bad = Utf8.firstInvalid(line, 0, line.length);
        return new FlowFileReader.Item(
                lineNumber,
                line,
                null,
                new InvalidFlow(
                        Reason.INVALID_UTF8,
                        String.format("byte 0x%02X at offset %d is not valid UTF-8", line[bad] & 0xFF, bad)));
    }

    /** Builds the flow from the cells, aligned with the header's columns; unset and empty mark a cell without value. */
    FlowFileReader.Item fromCells(byte[] line, long lineNumber, String unset, String empty) {
        builder.clear();
        try {
            if (cells.size() != columns.length) {
                throw new InvalidFlow(
                        Reason.MALFORMED_ROW,
                        "row has " + cells.size() + " cells but the header names " + columns.length + " fields");
            }
            for (int i = 0; i < columns.length; i++) {
                FlowColumn c = columns[i];
                if (c == null) {
                    continue;
                }
                String cell = cells.get(i);
                if (cell.equals(unset) || cell.equals(empty)) {
                    builder.unset(c);
                } else {
                    builder.text(c, cell);
                }
            }
            return new FlowFileReader.Item(lineNumber, line, builder.build(), null);
        } catch (InvalidFlow e) {
            return new FlowFileReader.Item(lineNumber, line, null, e);
        }
    }

    /**
     * Takes the header's names as the columns of the rows after it; fails when a required conn.log field is missing.
     */
    void header(List<String> names, String what, long lineNumber) {
        FlowColumn[] columns = new FlowColumn[names.size()];
        boolean[] seen = new boolean[FlowColumn.ALL.size()];
        for (int i = 0; i < columns.length; i++) {
            FlowColumn c = FlowParser.column(names.get(i).strip());
            columns[i] = c;
            if (c != null) {
                seen[c.ordinal()] = true;
            }
        }
        List<String> missing = new ArrayList<>();
        for (FlowColumn c : FlowColumn.ALL) {
            if (c.required && !seen[c.ordinal()]) {
                missing.add(c.zeekName);
            }
        }
        if (!missing.isEmpty()) {
            throw new StepFailure(file + ": the " + what + " at line " + lineNumber + " lacks the conn.log field(s) "
                    + String.join(", ", missing) + "; is this a Zeek conn log? " + FlowFormat.ACCEPTED);
        }
        this.columns = columns;
    }
}
