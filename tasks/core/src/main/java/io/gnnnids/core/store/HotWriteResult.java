package io.gnnnids.core.store;

import java.util.List;

/**
 * What one batch file did to the hot table.
 *
 * @param staged        rows in the batch file
 * @param inserted      rows of the file now stored under this batch id (the same on a re-run of the batch)
 * @param duplicates    rows of the file not stored under this batch: repeated uids inside the file, and uids
 *                      already stored by another batch ({@code staged = inserted + duplicates})
 * @param duplicateUids the uids stored by another batch, so the cold store can leave them out
 */
public record HotWriteResult(long staged, long inserted, long duplicates, List<String> duplicateUids) {
    public HotWriteResult {
        duplicateUids = List.copyOf(duplicateUids);
    }
}
