package io.gnnnids.core.flow;

import io.gnnnids.core.error.StepFailure;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Zeek ASCII logs: '#' directives, then rows split on the separator. Includes IoT-23's {@code conn.log.labeled},
 * whose last columns are separated by three spaces.
 */
final class ZeekTsvDecoder extends DelimitedDecoder {
    private char separator = '\t';
    private String unset = "-";
    private String empty = "(empty)";

    ZeekTsvDecoder(Path file) {
        super(file);
    }

    @Override
    public FlowFileReader.Item decode(byte[] line, long lineNumber) {
        String text = text(line);
        if (text == null) {
            return invalidUtf8(line, lineNumber);
        }
        if (text.startsWith("#")) {
            directive(text, lineNumber);
            return null;
        }
        if (text.isBlank()) {
            return null;
        }
        if (columns == null) {
            throw new StepFailure(file + ": line " + lineNumber + " holds data before any #fields header; "
                    + "Zeek TSV logs start with #separator and #fields lines. " + FlowFormat.ACCEPTED);
        }
        split(text, separator, cells);
        if (cells.size() != columns.length) {
            splitTripleSpaces(cells);
        }
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            if (cell.indexOf('\\') >= 0) {
                cells.set(i, unescape(cell));
            }
        }
        return fromCells(line, lineNumber, unset, empty);
    }

    private void directive(String text, long lineNumber) {
        if (text.startsWith("#separator")) {
            String value = unescape(text.substring("#separator".length()).strip());
            if (value.length() == 1) {
                separator = value.charAt(0);
            }
            return;
        }
        split(text, separator, cells);
        String key = cells.get(0);
        String value = cells.size() > 1 ? cells.get(1) : "";
        switch (key) {
            case "#unset_field" -> unset = value;
            case "#empty_field" -> empty = value;
            case "#fields" -> {
                List<String> names = new ArrayList<>();
                for (int i = 1; i < cells.size(); i++) {
                    // IoT-23 conn.log.labeled: "tunnel_parents   label   detailed-label" in one cell
                    for (String name : cells.get(i).trim().split(" +")) {
                        if (!name.isEmpty()) {
                            names.add(name);
                        }
                    }
                }
                header(names, "#fields header", lineNumber);
            }
            default -> {
                // #path, #open, #close, #types, #set_separator and comments carry nothing a flow needs
            }
        }
    }

    /** IoT-23's labelled logs join their last three columns with three spaces instead of the separator. */
    private static void splitTripleSpaces(List<String> cells) {
        List<String> out = new ArrayList<>(cells.size() + 2);
        for (String cell : cells) {
            int from = 0;
            int gap;
            while ((gap = cell.indexOf("   ", from)) >= 0) {
                out.add(cell.substring(from, gap));
                from = gap + 3;
            }
            if (from > 0) {
                out.add(cell.substring(from));
            } else {
                out.add(cell);
            }
        }
        cells.clear();
        cells.addAll(out);
    }

    /** Zeek writes bytes it cannot print as \xHH. */
    private static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\\'
                    && i + 3 < b.length
                    && b[i + 1] == 'x'
                    && Character.digit(b[i + 2], 16) >= 0
                    && Character.digit(b[i + 3], 16) >= 0) {
                out.write(Character.digit(b[i + 2], 16) * 16 + Character.digit(b[i + 3], 16));
                i += 3;
            } else {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void split(String text, char sep, List<String> into) {
        into.clear();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == sep) {
                into.add(text.substring(start, i));
                start = i + 1;
            }
        }
        into.add(text.substring(start));
    }
}
