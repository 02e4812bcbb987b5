"""
### nids_lifecycle: move old flows from the hot store to the archive

`archive` moves the flows that hot-write stored more than the retention ago (`NIDS_HOT_RETENTION`, default 24h),
once `infer` has scored them, from the DuckDB hot store to the archive store (`NIDS_ARCHIVE_URI`): daily Parquet
partitions `date=YYYY-MM-DD/` holding every flow field with its prediction. Flows still waiting for a prediction
stay. With `NIDS_COLD_RETENTION` (e.g. `90d`) it also deletes the cold store's days older than that; unset, the
cold store is kept whole.

The trigger form's `retention` and `cold_retention` override those settings for one run. Skipped (exit 99) when
nothing is past retention. The task holds the `duckdb` pool.
"""

from __future__ import annotations

from airflow.sdk import Param

from nids_common import DUCKDB_POOL, DURATION_PATTERN, nids_dag, step_task

with nids_dag(
    dag_id="nids_lifecycle", doc_md=__doc__, schedule="@daily", tag="storage",
    params={
        "retention": Param(None, type=["null", "string"], pattern=DURATION_PATTERN,
                           title="Hot store retention for this run (e.g. 24h; default NIDS_HOT_RETENTION or 24h)"),
        "cold_retention": Param(None, type=["null", "string"], pattern=DURATION_PATTERN,
                                title="Cold store retention in days for this run "
                                      "(e.g. 90d; default NIDS_COLD_RETENTION)"),
    },
) as dag:
    archive = step_task(
        "archive", "archive",
        # Empty means the step's own default, from its environment; so these are not the settings' names.
        args='${NIDS_RUN_RETENTION:+--retention "$NIDS_RUN_RETENTION"}'
             ' ${NIDS_RUN_COLD_RETENTION:+--cold-retention "$NIDS_RUN_COLD_RETENTION"}',
        env={
            "NIDS_RUN_RETENTION": "{{ params.retention or '' }}",
            "NIDS_RUN_COLD_RETENTION": "{{ params.cold_retention or '' }}",
        },
        pool=DUCKDB_POOL,
    )
