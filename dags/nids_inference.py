"""
### nids_inference: score the hot store's new flows

`infer` reads the flows of the DuckDB hot store that have no prediction yet, builds their graph and scores every
flow with the model version that carries the MLflow alias `champion` (cached locally, so scoring goes on while
MLflow is down), then writes `prediction`, `score`, `model_version` and `predicted_at`.

Skipped (exit 99) when every flow already has a prediction. The task holds the `duckdb` pool: DuckDB lets one
process at a time open the file while it writes.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Param

from nids_common import DUCKDB_POOL, nids_dag, step_task

with nids_dag(
    dag_id="nids_inference", doc_md=__doc__, schedule=timedelta(minutes=5), tag="model",
    params={
        "batch_size": Param(10000, type="integer", minimum=1, title="Most flows scored in one run"),
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
        pool=DUCKDB_POOL,
    )
