"""
### nids_inference: score the hot store's new flows

Runs as soon as `nids_etl` has stored a batch: its `hot_write` updates the asset `nids_hot_store`, which this DAG
is scheduled on (events that arrive while a run is going start one more run after it). Every 15 minutes it also
runs on the clock, a safety net for flows left waiting when no batch follows (see below).

`infer` reads the flows of the DuckDB hot store that have no prediction yet, builds their graph and scores every
flow with the model version that carries the MLflow alias `champion` (cached locally, so scoring goes on while
MLflow is down), then writes `prediction`, `score`, `model_version` and `predicted_at`.

Skipped (exit 99) when every flow already has a prediction. The task is not in the `duckdb` pool: it opens the file
only to read its batch and to write the verdicts (DuckDB lets one process at a time open it while it writes, and the
step waits for it, `--lock-wait`), not while the model loads and scores. In the pool, the ETL's `hot_write` waited for
the whole run, and at 20,000 flows/s the ETL fell behind (docs/decisions.md). It still runs where the file is (the
queue NIDS_DUCKDB_QUEUE).
"""

from __future__ import annotations

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, Param

from nids_common import HOT_STORE, INFER_BATCH_SIZE, nids_dag, step_task

# On the asset alone, flows a run left (more than `batch_size` waited, or it failed: MLflow away and no champion
# cached, or no champion yet) would wait for the next stored batch, for ever once the traffic stops. The clock
# scores them, every 15 minutes (half of nids_monitoring's `max_delay`, 30m, after which waiting flows are a critical
# alert); when nothing waits its runs are skipped after a few seconds.
SAFETY_NET = CronTriggerTimetable("*/15 * * * *", timezone="UTC")

with nids_dag(
    dag_id="nids_inference", doc_md=__doc__, schedule=AssetOrTimeSchedule(timetable=SAFETY_NET, assets=HOT_STORE),
    tag="model",
    params={
        "batch_size": Param(INFER_BATCH_SIZE, type="integer", minimum=1, title="Most flows scored in one run"),
        "model_version": Param(None, type=["null", "string"], pattern=r"^[0-9]+$",
                               title="Model version to use instead of the champion"),
    },
) as dag:
    infer = step_task(
        "infer", "infer",
        # An empty model version means the champion.
        args='--batch-size "$NIDS_BATCH_SIZE" ${NIDS_MODEL_VERSION:+--model-version "$NIDS_MODEL_VERSION"}',
        env={
            "NIDS_BATCH_SIZE": "{{ params.batch_size }}",
            "NIDS_MODEL_VERSION": "{{ params.model_version or '' }}",
        },
        on_duckdb_host=True,
    )
