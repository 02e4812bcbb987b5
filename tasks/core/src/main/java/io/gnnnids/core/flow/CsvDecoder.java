package io.gnnnids.core.flow;

import io.gnnnids.core.error.StepFailure;
import java.nio.file.Path;
import java.util.List;

/**
 * CSV with a header of Zeek field names: the first non-blank line is the header; double-quoted cells may hold
 * commas and "" for a quote; an empty cell is unset.
 */
final class CsvDecoder extends DelimitedDecoder {

    CsvDecoder(Path file) {
        super(file);
    }

    @Override
    public FlowFileReader.Item decode(byte[] line, long lineNumber) {
        String text = text(line);
        if (text == null) {
            if (columns == null) {
                throw new StepFailure(
                        file + ": the CSV header at line " + lineNumber + " is not UTF-8; " + FlowFormat.ACCEPTED);
            }
            return invalidUtf8(line, lineNumber);
        }
        if (text.isBlank()) {
            return null;
        }
        boolean wellFormed = splitCsv(text, cells);
        if (columns == null) {
            if (!wellFormed) {
                throw new StepFailure(file + ": the CSV header at line " + lineNumber + " has an unterminated quote");
            }
            header(cells, "CSV header", lineNumber);
            return null;
        }
        if (!wellFormed) {
            return new FlowFileReader.Item(
                    lineNumber, line, null, new InvalidFlow(Reason.MALFORMED_ROW, "unterminated quote in a CSV row"));
        }
        return fromCells(line, lineNumber, "", "(empty)");
    }

    /** Splits one CSV line; false when a quoted cell is not closed. */
    private static boolean splitCsv(String text, List<String> into) {
        into.clear();
        int n = text.length();
        int i = 0;
        while (true) {
            if (i < n && text.charAt(i) == '"') {
                StringBuilder cell = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        into.add(cell.toString());
                        return false;
                    }
                    char ch = text.charAt(i);
                    if (ch == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            cell.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    cell.append(ch);
                    i++;
                }
                // tolerate stray characters between the closing quote and the comma
                int comma = text.indexOf(',', i);
                if (comma < 0) {
                    cell.append(text, i, n);
                    into.add(cell.toString());
                    return true;
                }
                cell.append(text, i, comma);
                into.add(cell.toString());
                i = comma + 1;
            } else {
                int comma = text.indexOf(',', i);
                if (comma < 0) {
                    into.add(text.substring(i));
                    return true;
                }
                into.add(text.substring(i, comma));
                i = comma + 1;
            }
        }
    }
}
