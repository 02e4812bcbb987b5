"""What `make demo` reads back from the pipeline it ran: free ports, the task states of one DAG run, ETL progress
and the closing summary. Runs in the project's .venv (duckdb, and airflow for the task states).

    demo_report.py free-port PREFERRED          a free 127.0.0.1 port: PREFERRED when it is free
    demo_report.py task-states DAG LOGICAL_DATE the states of the run of DAG at LOGICAL_DATE, as task=state lines
    demo_report.py etl-progress WORK_DIR        one line: batches staged, records, quarantined so far
    demo_report.py monitor-alerts REPORT        one line per alert of a monitor report (or that it raised none)
    demo_report.py evaluation WORK_DIR          one line per input of the latest evaluation report, and its HTML
    demo_report.py summary                      the closing summary (reads the NIDS_* and MLFLOW_* variables)
"""

from __future__ import annotations

import json
import os
import socket
import sys
import urllib.parse
import urllib.request
from pathlib import Path


def free_port(preferred: int) -> int:
    for candidate in (preferred, 0):
        with socket.socket() as s:
            # As servers bind: a port whose last connections linger in TIME_WAIT is free, one with a listener is not.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SystemExit("no free port on 127.0.0.1")


def task_states(dag_id: str, logical_date: str) -> dict[str, str]:
    """The states of the task instances of the run of `dag_id` whose logical date is `logical_date` (ISO, UTC), as
    Airflow's database holds them (read in-process: two `airflow` CLI calls cost seconds each)."""
    from datetime import datetime

    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:
        runs = DagRun.find(dag_id=dag_id, logical_date=datetime.fromisoformat(logical_date), session=session)
        if not runs:
            raise SystemExit(f"no run of {dag_id} at {logical_date} in Airflow's database")
        # A mapped task's instances (nids_etl's partition groups) are task[0], task[1], ...
        return {ti.task_id + ("" if ti.map_index < 0 else f"[{ti.map_index}]"): str(ti.state)
                for ti in runs[0].get_task_instances(session=session)}


def batch_manifests(work_dir: Path) -> list[dict]:
    """The consume-batch manifest of every staged batch."""
    manifests = []
    for path in sorted((work_dir / "batches").glob("*/manifest.json")):
        manifests.append(json.loads(path.read_text()))
    return manifests


def etl_progress(work_dir: Path) -> str:
    manifests = batch_manifests(work_dir)
    records = sum(m.get("counts", {}).get("records", 0) for m in manifests)
    quarantined = sum(m.get("counts", {}).get("quarantined", 0) for m in manifests)
    return f"{len(manifests)} batch(es) so far: {records:,} flows staged, {quarantined:,} quarantined"


def mlflow_get(tracking_uri: str, path: str, **query) -> dict:
    url = f"{tracking_uri}/api/2.0/mlflow/{path}?{urllib.parse.urlencode(query)}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def train_manifest(work_dir: Path) -> dict | None:
    """The manifest of the newest training run (train writes one per MLflow run)."""
    files = sorted((work_dir / "train").glob("train-*.json"), key=lambda p: p.stat().st_mtime)
    return json.loads(files[-1].read_text()) if files else None


def table(header: tuple[str, ...], rows: list[tuple]) -> str:
    cells = [tuple(str(c) for c in header)] + [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        padded = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        lines.append("  " + "  ".join(padded))
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


TOP_INCIDENTS = 10


def summary() -> None:
    import duckdb

    work_dir = Path(os.environ["NIDS_WORK_DIR"])
    duckdb_path = os.environ["NIDS_DUCKDB_PATH"]
    cold_uri = os.environ["NIDS_COLD_URI"]
    tracking_uri = os.environ["MLFLOW_TRACKING_URI"]

    manifests = batch_manifests(work_dir)
    consumed = sum(m.get("counts", {}).get("consumed", 0) for m in manifests)
    quarantined = sum(m.get("counts", {}).get("quarantined", 0) for m in manifests)
    reasons: dict[str, int] = {}
    for m in manifests:
        for reason, count in m.get("reasons", {}).items():
            reasons[reason] = reasons.get(reason, 0) + count

    with duckdb.connect(duckdb_path, read_only=True) as db:
        stored, scored, first_ts, last_ts = db.execute(
            "SELECT count(*), count(prediction), to_timestamp(min(ts)), to_timestamp(max(ts)) FROM flows").fetchone()
        families = db.execute("""
            SELECT coalesce(detailed_label, label, 'unlabelled') AS family,
                   coalesce(label, '?') AS truth,
                   count(*) AS flows,
                   count(*) FILTER (WHERE prediction = 1) AS flagged,
                   count(*) FILTER (WHERE prediction IS NULL) AS unscored
            FROM flows GROUP BY ALL ORDER BY truth, flows DESC""").fetchall()
        confusion = db.execute("""
            SELECT count(*) FILTER (WHERE prediction = 1 AND label = 'malicious'),
                   count(*) FILTER (WHERE prediction = 1 AND label = 'benign'),
                   count(*) FILTER (WHERE prediction = 0 AND label = 'malicious'),
                   count(*) FILTER (WHERE prediction = 0 AND label = 'benign')
            FROM flows""").fetchone()
        incidents = db.execute("""
            SELECT count(*), count(*) FILTER (WHERE status <> 'closed'), coalesce(sum(flows), 0) FROM incidents
            """).fetchone()
        top_incidents = db.execute(f"""
            SELECT id, host, status, flows, peers, ports, max_score,
                   to_timestamp(first_seen), to_timestamp(last_seen), coalesce(families, ''),
                   (SELECT f.explanation ->> '$.reasons[0].group' FROM incident_flows i JOIN flows f USING (uid)
                    WHERE i.incident_id = incidents.id ORDER BY f.score DESC, f.uid LIMIT 1)
            FROM incidents ORDER BY flows DESC, id LIMIT {TOP_INCIDENTS}""").fetchall()
        named = db.execute("""
            SELECT count(*) FILTER (WHERE predicted_family = detailed_label), count(*) FROM flows
            WHERE prediction = 1 AND label = 'malicious' AND detailed_label IS NOT NULL""").fetchone()
    cold_files = sorted(Path(cold_uri).glob("date=*/*.parquet")) if "://" not in cold_uri else []

    print("\n== Ingested")
    print(f"  Kafka records consumed   {consumed:,} in {len(manifests)} batches")
    print(f"  flows stored (hot)       {stored:,}  ({first_ts:%Y-%m-%d %H:%M} to {last_ts:%Y-%m-%d %H:%M} UTC)")
    by_reason = ", ".join(f"{r}: {c}" for r, c in sorted(reasons.items(), key=lambda x: -x[1]))
    print(f"  quarantined              {quarantined:,}" + (f"  ({by_reason})" if reasons else ""))
    print(f"  cold store objects       {len(cold_files)} Parquet files in "
          f"{len({f.parent.name for f in cold_files})} daily partitions")

    trained = train_manifest(work_dir)
    run_id = (trained or {}).get("outputs", {}).get("mlflow_run")
    print("\n== Model")
    if run_id:
        run = mlflow_get(tracking_uri, "runs/get", run_id=run_id)["run"]
        metrics = {m["key"]: m["value"] for m in run["data"].get("metrics", [])}
        params = {p["key"]: p["value"] for p in run["data"].get("params", [])}
        version = trained.get("outputs", {}).get("model_version", "not registered")
        print(f"  MLflow run {run_id}, model {version}, trained on "
              f"{trained.get('counts', {}).get('labelled_flows', 0):,} labelled flows"
              + (f", {params['max_epochs']} epochs at most" if "max_epochs" in params else ""))
        # The per-family detection rates (test_detection_rate.<family>) are in the table below, on every flow.
        test = sorted((k, v) for k, v in metrics.items() if k.startswith("test_") and "." not in k)
        for key, value in test:
            print(f"  {key:<24} {value:.4f}")
    else:
        print("  no training run found in " + str(work_dir / "train"))

    tp, fp, fn, tn = confusion
    print(f"\n== Detections on the hot store ({scored:,} of {stored:,} flows scored)")
    print(table(("family (ground truth)", "label", "flows", "flagged", "rate"),
                [(f, t, f"{n:,}", f"{k:,}", f"{k / n:.2%}" if n else "-") for f, t, n, k, _ in families]))
    detected = tp / (tp + fn) if tp + fn else float("nan")
    false_alarms = fp / (fp + tn) if fp + tn else float("nan")
    print(f"  attacks detected {tp:,} of {tp + fn:,} ({detected:.2%}); "
          f"benign flows flagged {fp:,} of {fp + tn:,} ({false_alarms:.2%})")
    if named[1]:
        print(f"  flagged attacks whose family the model named right {named[0]:,} of {named[1]:,} "
              f"({named[0] / named[1]:.2%}); each flagged flow's reasons: column explanation")

    count, still_open, grouped = incidents
    print(f"\n== Incidents ({count:,}: {still_open:,} open; {grouped:,} flagged flows grouped by source host)")
    if top_incidents:
        print(table(("incident", "host", "status", "flows", "peers", "ports", "score", "from", "to (UTC)",
                     "likely family", "top flow flagged for"),
                    [(i, h, st, f"{n:,}", f"{p:,}", f"{pt:,}", f"{sc:.3f}", f"{a:%m-%d %H:%M}", f"{b:%m-%d %H:%M}",
                      fam.split(",")[0], why or "")
                     for i, h, st, n, p, pt, sc, a, b, fam, why in top_incidents]))
        if count > len(top_incidents):
            print(f"  ... the {len(top_incidents)} largest of {count:,}: table incidents of the hot store")

    print("\n== Where things are")
    print(f"  hot store (DuckDB)       {duckdb_path}")
    print(f"  cold store (Parquet)     {cold_uri}")
    print(f"  batch manifests          {work_dir / 'batches'}")
    print(f"  detections page          {work_dir / 'reports' / 'latest.html'} (open it in a browser)")
    if run_id:
        experiment = run["info"]["experiment_id"]
        print(f"  MLflow run               {tracking_uri}/#/experiments/{experiment}/runs/{run_id}")
    print(f"  MLflow store             {os.environ.get('DEMO_MLFLOW_STATE', '')}")


def monitor_alerts(report_file: Path) -> str:
    alerts = json.loads(report_file.read_text())["alerts"]
    if not alerts:
        return "no alert"
    return "\n".join(f"{alert['severity']} {alert['name']}: {alert['message']}" for alert in alerts)


def evaluation(work_dir: Path) -> str:
    reports = sorted((work_dir / "evaluate").glob("*/evaluation.json"), key=lambda p: p.stat().st_mtime)
    if not reports:
        return "no evaluation report"
    report = json.loads(reports[-1].read_text())

    def rate(value: float | None) -> str:
        return "—" if value is None else f"{100 * value:.1f} %"

    lines = []
    for item in report["inputs"]:
        f = item["figures"]
        lines.append(f"{item['name']}: {f['flows']} flows, {f['attacks']} attacks; detection rate "
                     f"{rate(f['detectionRate'])}, benign flagged {rate(f['falsePositiveRate'])}")
    lines.append(f"report: {reports[-1].parent / 'evaluation.html'}")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "free-port":
        print(free_port(int(argv[1])))
    elif len(argv) == 3 and argv[0] == "task-states":
        for task, state in task_states(argv[1], argv[2]).items():
            print(f"{task}={state}")
    elif len(argv) == 2 and argv[0] == "etl-progress":
        print(etl_progress(Path(argv[1])))
    elif len(argv) == 2 and argv[0] == "monitor-alerts":
        print(monitor_alerts(Path(argv[1])))
    elif len(argv) == 2 and argv[0] == "evaluation":
        print(evaluation(Path(argv[1])))
    elif argv == ["summary"]:
        summary()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
