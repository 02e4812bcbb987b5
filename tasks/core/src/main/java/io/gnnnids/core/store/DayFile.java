package io.gnnnids.core.store;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * A local Parquet file holding the flows of one UTC day, ready to be stored as that day's object.
 *
 * @param day  the UTC day of its flows' ts
 * @param file where it is
 * @param rows flows in it
 */
public record DayFile(LocalDate day, Path file, long rows) {}
