"""
### nids_monitoring: is the pipeline keeping up, and what did it detect?

`monitor` reads where the ETL's consumer group stands in Kafka (lag per partition), how many flows in the hot
store wait for a prediction and for how long, when flows last arrived, and the attacks the model flagged in the
last 15 minutes: by family, top sources and targets, model versions. It writes a JSON report to
`NIDS_REPORT_DIR` (default `$NIDS_WORK_DIR/reports`): `monitor-<time>.json`, `latest.json`, the same as a page
(`latest.html`, and `run-<run id>.html`, which the "Detections" tab of this run shows), and a line of
`alerts.jsonl` when an alert is raised or clears. New and escalated incidents go to the Kafka topic `nids-alerts`.

Critical alerts (lag above `max_lag`, nothing stored or scored for `max_delay`, Kafka unreadable) fail the run
when `fail_on_alert` is on (the default), so they show in the Airflow UI and its failure notifications; detected
attacks are a warning in the report. The task holds the `duckdb` pool and opens the file read-only.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Param

from nids_common import DUCKDB_POOL, DURATION_PATTERN, MONITOR_MAX_LAG, nids_dag, step_task

with nids_dag(
    dag_id="nids_monitoring", doc_md=__doc__, schedule=timedelta(minutes=15), tag="monitoring",
    params={
        "max_lag": Param(MONITOR_MAX_LAG, type="integer", minimum=0, title="Records the ETL may be behind"),
        "max_delay": Param("30m", type="string", pattern=DURATION_PATTERN,
                           title="How long records may wait to be stored or scored"),
        "fail_on_alert": Param(True, type="boolean", title="Fail the run on a critical alert"),
    },
) as dag:
    monitor = step_task(
        "monitor", "monitor",
        args='--window 15m --max-lag "$NIDS_RUN_MAX_LAG" --max-delay "$NIDS_RUN_MAX_DELAY" --run-id "$NIDS_RUN_ID"'
             ' ${NIDS_RUN_FAIL_ON_ALERT:+--fail-on-alert}',
        env={
            "NIDS_RUN_ID": "{{ run_id }}",
            "NIDS_RUN_MAX_LAG": "{{ params.max_lag }}",
            "NIDS_RUN_MAX_DELAY": "{{ params.max_delay }}",
            "NIDS_RUN_FAIL_ON_ALERT": "{{ 'yes' if params.fail_on_alert else '' }}",
        },
        pool=DUCKDB_POOL,
    )
