"""The ETL, training, evaluation, inference, monitoring and lifecycle DAGs run with `airflow dags test` against a real
Kafka, a real MLflow server and the step jars, then the hot store, the model registry, the report and the archive are
checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

import services

pytestmark = pytest.mark.e2e

REPO_ROOT = services.REPO_ROOT
AIRFLOW = str(Path(sys.executable).parent / "airflow")
MODEL_NAME = "gnn-nids-e2e"
FLOWS = 20000
MAX_RUNS = 10
STEPS = ("replay", "consume-batch", "hot-write", "cold-write", "commit-offsets", "train", "infer", "archive",
         "monitor", "evaluate")
IOT23 = REPO_ROOT / "data" / "iot23"


def jar(step: str) -> str:
    return str(REPO_ROOT / "tasks" / step / "target" / f"{step}.jar")


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, airflow_home):
    missing = [jar(step) for step in STEPS if not Path(jar(step)).is_file()]
    if missing:
        pytest.fail("missing " + ", ".join(missing) + ": run `make build` first")
    state = tmp_path_factory.mktemp("e2e")
    kafka, bootstrap = services.start_kafka(state / "kafka")
    try:
        mlflow, tracking_uri = services.start_mlflow(state / "mlflow")
    except Exception:
        kafka.stop()
        raise
    env = dict(os.environ,
               KAFKA_BOOTSTRAP_SERVERS=bootstrap,
               NIDS_TOPIC="zeek-conn-e2e",
               NIDS_GROUP_ID="gnn-nids-etl-e2e",
               NIDS_WORK_DIR=str(state / "work"),
               NIDS_DUCKDB_PATH=str(state / "hot.duckdb"),
               NIDS_COLD_URI=str(state / "cold"),
               NIDS_ARCHIVE_URI=str(state / "archive"),
               MLFLOW_TRACKING_URI=tracking_uri,
               NIDS_MODEL_NAME=MODEL_NAME,
               NIDS_ETL_PARTITION_GROUPS="2",
               NIDS_TASK_RETRIES="0")  # a failing task fails the test at once
    try:
        run([AIRFLOW, "db", "migrate"], env)
        run([AIRFLOW, "pools", "set", "duckdb", "1", "Tasks that open the DuckDB file"], env)
        yield env
    finally:
        mlflow.stop()
        kafka.stop()


def run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited with {result.returncode}:\n{result.stdout[-4000:]}\n"
                             f"{result.stderr[-4000:]}")
    return result.stdout + result.stderr


def dag_test(dag_id: str, conf: dict, env: dict[str, str]) -> dict[str, str]:
    """Runs one DAG run and returns the state of each task instance: by task id, with `[i]` after it for instance i
    of a mapped task (nids_etl's partition groups)."""
    output = run([AIRFLOW, "dags", "test", dag_id, "-c", json.dumps(conf)], env)
    run_id = next(part.split("=", 1)[1] for line in output.splitlines() if "DagRun Finished" in line
                  for part in line.split(", ") if part.startswith("run_id="))
    states = json.loads(run([AIRFLOW, "tasks", "states-for-dag-run", dag_id, run_id, "-o", "json"], env)
                        .strip().splitlines()[-1])
    return {row["task_id"] + ("" if int(row.get("map_index", -1)) < 0 else f"[{row['map_index']}]"): row["state"]
            for row in states}


def run_until_skipped(dag_id: str, first_task: str, conf: dict, env: dict[str, str]) -> list[dict[str, str]]:
    """Runs the DAG until every instance of its first task has nothing to do; returns the task states of the runs
    that did work. In a run that does, an instance either did its work or had none (a drained partition group)."""
    worked = []
    for _ in range(MAX_RUNS):
        states = dag_test(dag_id, conf, env)
        first = [state for task, state in states.items() if task.split("[")[0] == first_task]
        assert first, states
        if set(first) == {"skipped"}:
            assert set(states.values()) == {"skipped"}, states
            return worked
        assert set(states.values()) <= {"success", "skipped"}, states
        worked.append(states)
    raise AssertionError(f"{dag_id} still had work after {MAX_RUNS} runs")


def mlflow_get(tracking_uri: str, path: str, **query) -> dict:
    url = f"{tracking_uri}/api/2.0/mlflow/{path}?{urllib.parse.urlencode(query)}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def test_etl_training_and_inference_dags_detect_generated_attacks(pipeline):
    env = pipeline
    today = datetime.now(UTC).date().isoformat()
    run(["java", "-jar", jar("replay"), "generate", "--flows", str(FLOWS), "--days", "2", "--hosts", "80",
         "--seed", "5"], env)

    # Two partition groups over the topic's three partitions: each run stages a batch per group, stored side by
    # side (test_make_airflow.py runs them on the scheduler, at the same time).
    etl_runs = run_until_skipped("nids_etl", "partition_group.consume_batch", {"max_records": 8000}, env)
    assert len(etl_runs) == 2
    batches = [task for states in etl_runs for task, state in states.items()
               if task.startswith("partition_group.commit_offsets[") and state == "success"]
    assert sorted(batches) == ["partition_group.commit_offsets[0]", "partition_group.commit_offsets[0]",
                               "partition_group.commit_offsets[1]"], etl_runs

    # Tiny generated data (one or two training steps per epoch): the gate is lowered, promotion forced, so the
    # champion is this model.
    states = dag_test("nids_training", {"days": 3, "end_date": today, "min_pr_auc": 0.5, "promote": "always",
                                        "max_epochs": 30}, env)
    assert states == {"train": "success"}
    alias = mlflow_get(env["MLFLOW_TRACKING_URI"], "registered-models/alias", name=MODEL_NAME, alias="champion")
    assert alias["model_version"]["version"] == "1"

    # The champion on the two real captures: each scored on its own, reports in the work dir.
    captures = sorted(str(p) for p in IOT23.glob("*.csv"))
    assert dag_test("nids_evaluation", {"inputs": captures}, env) == {"evaluate": "success"}
    [report_file] = (Path(env["NIDS_WORK_DIR"]) / "evaluate").glob("*/evaluation.json")
    report = json.loads(report_file.read_text())
    assert [i["figures"]["flows"] for i in report["inputs"]] == [1374, 10403]
    assert report["overall"]["attacks"] == 8222 and report["model"]["version"] == "1"
    assert (report_file.parent / "evaluation.html").is_file()

    scored_runs = run_until_skipped("nids_inference", "infer", {"batch_size": 50000}, env)
    assert len(scored_runs) >= 1

    import duckdb

    with duckdb.connect(env["NIDS_DUCKDB_PATH"], read_only=True) as db:
        total, unscored, versions, attacks_found = db.execute(
            "SELECT count(*), count(*) FILTER (WHERE prediction IS NULL), list(DISTINCT model_version), "
            "count(*) FILTER (WHERE prediction = 1 AND label = 'malicious') FROM flows").fetchone()
    assert total > 0.95 * FLOWS  # the generator's invalid records are quarantined, not stored
    # Every flow stored once in each store, whichever partition group staged it.
    with duckdb.connect() as db:
        cold, cold_uids = db.execute("SELECT count(*), count(DISTINCT uid) FROM read_parquet(?)",
                                     [env["NIDS_COLD_URI"] + "/date=*/*.parquet"]).fetchone()
    assert cold == cold_uids == total
    assert unscored == 0
    assert [str(v) for v in versions] == ["1"]
    assert attacks_found > 0

    # Kafka is drained and every flow scored: the monitor raises no critical alert, and reports the attacks.
    assert dag_test("nids_monitoring", {}, env) == {"monitor": "success"}
    report = json.loads((Path(env["NIDS_WORK_DIR"]) / "reports" / "latest.json").read_text())
    assert report["lag"] == 0 and report["hotStore"]["unscored"] == 0
    assert [alert["name"] for alert in report["alerts"]] == ["attacks_detected"]
    assert report["hotStore"]["attacksInWindow"] > 0
    # infer grouped every flagged flow into incidents, per source host; the report lists them.
    with duckdb.connect(env["NIDS_DUCKDB_PATH"], read_only=True) as db:
        flagged, grouped, incidents = db.execute(
            "SELECT (SELECT count(*) FROM flows WHERE prediction = 1), (SELECT sum(flows) FROM incidents), "
            "(SELECT count(*) FROM incidents)").fetchone()
    assert flagged > 0 and grouped == flagged
    assert 0 < len(report["hotStore"]["incidents"]) <= min(incidents, 50)
    assert {"id", "host", "firstSeen", "lastSeen", "flows", "peers", "ports", "status"} <= set(
        report["hotStore"]["incidents"][0])
    # The run's page, also as latest.html: its incidents, and the champion with its evaluation on the real captures.
    pages = Path(env["NIDS_WORK_DIR"]) / "reports"
    [run_page] = list(pages.glob("run-*.html"))
    page = run_page.read_text()
    assert page == (pages / "latest.html").read_text()
    assert report["hotStore"]["incidents"][0]["id"] in page
    assert f"{MODEL_NAME}/1" in page and "Its last evaluation, version " + f"{MODEL_NAME}/1" in page
    assert "On its test windows at training:" in page and "family named right" in page
    # Every flagged flow has its family and explanation; the incidents name their families, and so does the page.
    with duckdb.connect(env["NIDS_DUCKDB_PATH"], read_only=True) as db:
        unexplained, named_incidents = db.execute(
            "SELECT (SELECT count(*) FROM flows WHERE prediction = 1 "
            "AND (explanation IS NULL OR predicted_family IS NULL)), "
            "(SELECT count(*) FROM incidents WHERE families IS NOT NULL)").fetchone()
    assert unexplained == 0 and named_incidents == incidents
    # The README's query for the flagged flows and why, as a user would paste it.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    query = readme.split("```sql\n", 1)[1].split("```", 1)[0]
    with duckdb.connect(env["NIDS_DUCKDB_PATH"], read_only=True) as db:
        rows = db.execute(query).fetchall()
    assert rows and all(row[5] and row[6] for row in rows), rows
    assert "Families named for the flows flagged" in page

    # Every flow is scored, so a zero retention moves them all to the archive, each once.
    states = dag_test("nids_lifecycle", {"retention": "0s"}, env)
    assert states == {"archive": "success"}
    with duckdb.connect(env["NIDS_DUCKDB_PATH"], read_only=True) as db:
        assert db.execute("SELECT count(*) FROM flows").fetchone()[0] == 0
    archive = str(Path(env["NIDS_ARCHIVE_URI"]) / "date=*" / "*.parquet")
    with duckdb.connect() as db:
        archived, distinct, scored = db.execute(
            f"SELECT count(*), count(DISTINCT uid), count(prediction) FROM read_parquet('{archive}')").fetchone()
    assert archived == distinct == scored == total
    assert dag_test("nids_lifecycle", {"retention": "0s"}, env) == {"archive": "skipped"}
