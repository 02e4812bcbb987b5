package io.gnnnids.core.flow;

/** The file formats {@link FlowFileReader} reads; AUTO decides from the first non-blank line. */
public enum FlowFormat {
    /** Decide from content: "{" means JSON, "#separator"/"#fields" TSV, a header with commas naming uid CSV. */
    AUTO,
    /** Zeek JSON logs: one object per line. */
    JSON,
    /** Zeek ASCII logs: #fields header and tab-separated rows, including IoT-23's conn.log.labeled variant. */
    TSV,
    /** A header of Zeek field names, comma-separated rows, empty cells unset. */
    CSV;

    /** The formats as error messages list them, for a user holding a file that is none of them. */
    static final String ACCEPTED = "accepted formats: Zeek JSON lines (a '{' per line), Zeek TSV "
            + "(#separator/#fields header, IoT-23 conn.log.labeled included), CSV with a header of Zeek field names "
            + "(ts,uid,id.orig_h,...), each optionally gzip-compressed";

    /** "auto", "json", ... as users type them on the command line. */
    public static FlowFormat parse(String name) {
        for (FlowFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown flow file format '" + name + "'; use auto, json, tsv or csv");
    }
}
