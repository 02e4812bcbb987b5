package io.gnnnids.core.store;

import io.gnnnids.core.flow.FlowColumn;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Staged batches in the hot store: hot-write's insert of a batch file into {@code flows}, new uids only. */
public final class HotBatches {

    private static final Logger log = LoggerFactory.getLogger(HotBatches.class);

    private HotBatches() {}

    /**
     * Stores a staged batch file in one transaction: new uids are inserted, uids already stored are left alone,
     * and within the file the first row of a uid wins. Running the same batch again adds nothing and reports the
     * same counts.
     *
     * <p>Uniqueness is checked with an anti-join on uid rather than a primary key: DuckDB's key index made up three
     * quarters of the file and doubled the cost of every insert and checkpoint (docs/decisions.md). Only one
     * process can write the file at a time, and this runs in one transaction, so the check cannot race.
     */
    public static HotWriteResult insert(HotStore store, String batchId, Path batchParquet) {
        String cols = FlowColumn.sqlColumnList();
        return store.inTransaction("store batch " + batchId + " from " + batchParquet, c -> {
            try (Statement st = c.createStatement()) {
                String parquet = "read_parquet(" + DuckDb.literal(batchParquet) + ")";
                long staged;
                long distinct;
                try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT uid) FROM " + parquet)) {
                    rs.next();
                    staged = rs.getLong(1);
                    distinct = rs.getLong(2);
                }
                // The rows to store: the file itself, or, when it repeats a uid, the first row of each uid (the
                // one Kafka delivered first). Reading the file directly saves materialising it.
                String source = parquet;
                if (distinct < staged) {
                    st.execute("CREATE OR REPLACE TEMP TABLE hot_staged AS SELECT " + cols + " FROM read_parquet("
                            + DuckDb.literal(batchParquet) + ", file_row_number = true)"
                            + " QUALIFY row_number() OVER (PARTITION BY uid ORDER BY file_row_number) = 1");
                    source = "hot_staged";
                }
                // The batch's uids that are stored already, by this batch (a re-run) or by another one.
                st.execute("CREATE OR REPLACE TEMP TABLE hot_stored AS SELECT f.uid, f.batch_id FROM " + HotStore.TABLE
                        + " f SEMI JOIN " + source + " s ON f.uid = s.uid");
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO " + HotStore.TABLE + " (" + cols + ", batch_id, ingested_at) SELECT " + cols
                                + ", ?, now()" + " FROM " + source + " s ANTI JOIN hot_stored d ON s.uid = d.uid")) {
                    ps.setString(1, batchId);
                    ps.executeUpdate();
                }
                List<String> elsewhere = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT uid FROM hot_stored WHERE batch_id IS DISTINCT FROM ? ORDER BY uid")) {
                    ps.setString(1, batchId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) elsewhere.add(rs.getString(1));
                    }
                }
                long inserted = distinct - elsewhere.size();
                st.execute("DROP TABLE IF EXISTS hot_staged");
                st.execute("DROP TABLE hot_stored");
                HotWriteResult result = new HotWriteResult(staged, inserted, staged - inserted, elsewhere);
                log.debug(
                        "batch {}: {} staged, {} stored, {} duplicates ({} uids stored by other batches)",
                        batchId,
                        staged,
                        inserted,
                        result.duplicates(),
                        elsewhere.size());
                return result;
            }
        });
    }
}
