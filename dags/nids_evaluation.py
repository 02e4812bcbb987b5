"""
### nids_evaluation: how well a model version detects the attacks of labelled flows

`evaluate` scores labelled flows with the model version that carries the MLflow alias `champion` (or
`model_version`) and reports the detection rate, false-positive rate, precision, F1, ROC-AUC, PR-AUC and the
detection rate at 0.1 % and 1 % false positives: over all inputs, per attack family and per input. The flows are
either `inputs`, labelled Zeek logs on the worker (JSON, TSV, IoT-23 `conn.log.labeled`, CSV; each file one
capture, scored on its own), or the cold store's days `from_date` to `to_date`. The hot store is not touched.

The reports, `evaluation.json` and `evaluation.html` (self-contained, opens offline), go to
`$NIDS_WORK_DIR/evaluate/<run-id>/`, and to an MLflow run in the experiment `gnn-nids-evaluation`. Triggered by
hand; skipped (exit 99) when the inputs hold no labelled flow.
"""

from __future__ import annotations

from airflow.sdk import Param

from nids_common import nids_dag, step_task

with nids_dag(
    dag_id="nids_evaluation", doc_md=__doc__, schedule=None, tag="model",
    params={
        "inputs": Param([], type="array", items={"type": "string"},
                        title="Labelled Zeek log files on the worker (or leave empty and give a cold store range)"),
        "from_date": Param(None, type=["null", "string"], format="date",
                           title="First day of the cold store to evaluate on (YYYY-MM-DD)"),
        "to_date": Param(None, type=["null", "string"], format="date",
                         title="Last day of the cold store to evaluate on (YYYY-MM-DD)"),
        "model_version": Param(None, type=["null", "string"], pattern=r"^[0-9]+$",
                               title="Model version to evaluate instead of the champion"),
    },
) as dag:
    evaluate = step_task(
        "evaluate", "evaluate",
        # The files reach the step as one value, one path per line, which its --input splits; empty options are
        # left out, and the step says which combination is wrong (exit 2).
        args='${NIDS_RUN_INPUTS:+--input "$NIDS_RUN_INPUTS"} ${NIDS_RUN_FROM:+--from "$NIDS_RUN_FROM"}'
             ' ${NIDS_RUN_TO:+--to "$NIDS_RUN_TO"} ${NIDS_MODEL_VERSION:+--model-version "$NIDS_MODEL_VERSION"}',
        env={
            "NIDS_RUN_INPUTS": "{{ params.inputs | join('\\n') }}",
            "NIDS_RUN_FROM": "{{ params.from_date or '' }}",
            "NIDS_RUN_TO": "{{ params.to_date or '' }}",
            "NIDS_MODEL_VERSION": "{{ params.model_version or '' }}",
        },
    )
