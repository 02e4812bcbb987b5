"""The detections pages inside the Airflow UI.

`monitor` writes a self-contained page per run (`NIDS_REPORT_DIR`, default `$NIDS_WORK_DIR/reports`):
`latest.html`, and `run-<run id>.html` for each `nids_monitoring` run. This plugin serves them from Airflow's API
server, behind Airflow's own authentication (the UI's session cookie or a bearer token), and adds them to the UI:
"Detections" in the navigation (the latest page), and a "Detections" tab on each `nids_monitoring` run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from airflow.api_fastapi.core_api.security import get_user
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import HTMLResponse

MONITORING_DAG = "nids_monitoring"


def report_dir() -> Path:
    configured = os.environ.get("NIDS_REPORT_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("NIDS_WORK_DIR", ".")) / "reports"


def run_page_name(run_id: str) -> str:
    """The file `monitor --run-id` writes: every character but letters, digits, '.', '_' and '-' becomes '_'."""
    return "run-" + re.sub(r"[^A-Za-z0-9._-]", "_", run_id) + ".html"


def page(path: Path, missing: str) -> HTMLResponse:
    if not path.is_file():
        raise HTTPException(status_code=404, detail=missing)
    return HTMLResponse(path.read_text(encoding="utf-8"))


app = FastAPI(title="gnn-nids detections", dependencies=[Depends(get_user)])


@app.get("/latest", response_class=HTMLResponse)
def latest() -> HTMLResponse:
    return page(report_dir() / "latest.html",
                f"no detections page in {report_dir()} yet: the {MONITORING_DAG} DAG writes one at each run")


@app.get("/runs/{dag_id}/{run_id}", response_class=HTMLResponse)
def run_page(dag_id: str, run_id: str) -> HTMLResponse:
    if dag_id != MONITORING_DAG:
        raise HTTPException(status_code=404, detail=f"only {MONITORING_DAG} runs have a detections page")
    return page(report_dir() / run_page_name(run_id),
                f"no detections page for run {run_id}: it is written when the run's monitor task succeeds, "
                "and pruned after the report retention")


class NidsDetectionsPlugin(AirflowPlugin):
    name = "nids_detections"
    fastapi_apps = [{"app": app, "url_prefix": "/detections", "name": "gnn-nids detections"}]
    external_views = [
        {"name": "Detections", "href": "/detections/latest", "destination": "nav", "url_route": "detections"},
        {"name": "Detections", "href": "/detections/runs/{DAG_ID}/{RUN_ID}", "destination": "dag_run",
         "url_route": "detections-run"},
    ]
