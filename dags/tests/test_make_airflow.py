"""`make airflow` run as a user runs it, on free ports with its state in a temp folder: the local Kafka and MLflow,
Airflow and the traffic source start; a nids_etl run triggered through the REST API with the printed login stores
live flows, and its asset event starts a nids_inference run; Ctrl-C (SIGINT to make's process group), or SIGTERM to
make, stops every process it started and frees every port."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

import pytest

import services

# The REST calls of `make bench-live`, which drives the same API.
sys.path.insert(0, str(services.REPO_ROOT / "infrastructure" / "local"))
from bench_live import api, as_a_terminal_starts_it  # noqa: E402

pytestmark = pytest.mark.e2e

REPO_ROOT = services.REPO_ROOT
STEPS = ("replay", "consume-batch", "hot-write", "cold-write", "commit-offsets", "train", "infer", "archive",
         "monitor", "evaluate")
RATE = 200
READY_TIMEOUT_S = 150
RUN_TIMEOUT_S = 150
INFER_TIMEOUT_S = 90
STOP_TIMEOUT_S = 90


def dag_runs(port: int, dag_id: str, token: str) -> list[dict]:
    return api(port, "GET", f"/api/v2/dags/{dag_id}/dagRuns", token=token)["dag_runs"]


def tasks_running(port: int, dag_ids: tuple[str, ...], token: str) -> list[str]:
    """The task instances of the DAGs' unfinished runs that are queued or running: what may hold the DuckDB file."""
    active = []
    for dag_id in dag_ids:
        for run in dag_runs(port, dag_id, token):
            if run["state"] in ("queued", "running"):
                path = f"/api/v2/dags/{dag_id}/dagRuns/{urllib.parse.quote(run['dag_run_id'])}/taskInstances"
                active += [f"{dag_id}.{t['task_id']}[{t['map_index']}]" for t in api(port, "GET", path, token=token)[
                    "task_instances"] if t["state"] in ("queued", "running", "restarting")]
    return active


def airflow_ready(port: int) -> bool:
    try:
        health = api(port, "GET", "/api/v2/monitor/health")
    except (OSError, urllib.error.URLError, ValueError):
        return False
    return all((health.get(part) or {}).get("status") == "healthy"
               for part in ("metadatabase", "scheduler", "dag_processor", "triggerer"))


def start_time(pid: int) -> str | None:
    """The process's start time (field 22 of /proc/<pid>/stat), None when it is gone or a zombie: a pid with the same
    start time is the same process, not a new one that reused the number."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] == "Z" else fields[19]


def processes() -> list[tuple[int, int, int, str]]:
    """(pid, parent, session, command line) of every live process."""
    out = subprocess.run(["ps", "-ww", "-eo", "pid=,ppid=,sid=,stat=,args="], capture_output=True, text=True,
                         check=True).stdout
    rows = []
    for line in out.splitlines():
        pid, ppid, sid, stat, *args = line.split(None, 4)
        if not stat.startswith("Z"):
            rows.append((int(pid), int(ppid), int(sid), args[0] if args else ""))
    return rows


def started_by(make_pid: int, mark: str) -> dict[int, str]:
    """Every live process `make airflow` started: the marked ones, their descendants and the members of their
    sessions (Airflow's workers and task runners, renamed), with their command lines."""
    rows = processes()
    ours = services.marked(mark) | {make_pid}
    while True:
        sessions = {sid for pid, _, sid, _ in rows if pid in ours} - {os.getsid(0)}
        more = {pid for pid, ppid, sid, _ in rows if ppid in ours or sid in sessions} - ours
        if not more:
            return {pid: args for pid, _, _, args in rows if pid in ours}
        ours |= more


class MakeAirflow:
    """`make airflow` as a subprocess in a session of its own (as a terminal runs it: SIGINT to its process group is
    Ctrl-C), on free ports, its state in `tmp_path`, its output in `make-airflow.log` there."""

    def __init__(self, tmp_path: Path, rate: int, **settings: str):
        missing = [step for step in STEPS if not (REPO_ROOT / "tasks" / step / "target" / f"{step}.jar").is_file()]
        if missing:
            pytest.fail("missing jars of " + ", ".join(missing) + ": run `make build` first")
        self.state = tmp_path / "state"
        # The broker classpath the other tests use, so that Kafka starts without resolving it with Maven again.
        (self.state / "kafka").mkdir(parents=True)
        (self.state / "kafka" / "classpath.txt").write_text(services.kafka_classpath(self.state / "kafka") + "\n")
        self.ports = {name: services.free_port() for name in
                      ("AIRFLOW_PORT", "LOCAL_KAFKA_PORT", "LOCAL_KAFKA_CONTROLLER_PORT", "LOCAL_MLFLOW_PORT")}
        self.port = self.ports["AIRFLOW_PORT"]
        mark_name, mark_value = "NIDS_TEST_MAKE_AIRFLOW", str(uuid.uuid4())
        self.mark = f"{mark_name}={mark_value}"
        # A user's shell: none of the tests' Airflow settings, nothing of the pipeline's.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NIDS_", "KAFKA_", "MLFLOW_"))}
        env.update({name: str(port) for name, port in self.ports.items()})
        env.update(LOCAL_STATE_DIR=str(self.state), RATE=str(rate), NIDS_TASK_RETRIES="0")
        env[mark_name] = mark_value
        self.output = tmp_path / "make-airflow.log"
        self.started = time.monotonic()
        with open(self.output, "wb") as out:
            # The tests run inside .venv: make must not rebuild it (-o), whatever the timestamps of a worktree say.
            # Settings as a user gives them, on make's command line (`make airflow NIDS_ETL_PARTITION_GROUPS=2`).
            self.make = subprocess.Popen(["make", "--no-print-directory", "-o", ".venv/.installed", "airflow",
                                          *(f"{name}={value}" for name, value in settings.items())],
                                         cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True,
                                         preexec_fn=as_a_terminal_starts_it)
        self.processes: dict[int, tuple[str | None, str]] = {}

    def log(self) -> str:
        return self.output.read_text(errors="replace")

    def running(self) -> None:
        assert self.make.poll() is None, f"make airflow exited with {self.make.returncode}:\n{self.log()}"

    def wait_ready(self) -> float:
        """Waits until Airflow reports every component healthy and make airflow printed its banner; returns the
        seconds it took."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not (airflow_ready(self.port) and "Ctrl-C stops everything" in self.log()):
            self.running()
            assert time.monotonic() < deadline, f"not ready after {READY_TIMEOUT_S} s:\n{self.log()}"
            time.sleep(1)
        return time.monotonic() - self.started

    def ours(self) -> dict[int, str]:
        """Remembers (for stop) and returns what make airflow runs now."""
        ours = started_by(self.make.pid, self.mark)
        self.processes.update({pid: (start_time(pid), args) for pid, args in ours.items()})
        return ours

    def stop(self, sig: int, group: bool) -> float:
        """Sends `sig` to make (its process group when `group`), waits until it exits, checks that every process
        it ran is gone and every port free; returns the seconds stopping took."""
        self.ours()
        started = time.monotonic()
        if self.make.poll() is None:
            if group:
                os.killpg(self.make.pid, sig)
            else:
                self.make.send_signal(sig)
        try:
            self.make.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.make.pid, signal.SIGKILL)
            self.make.wait()
            pytest.fail(f"make airflow did not stop within {STOP_TIMEOUT_S} s of {signal.Signals(sig).name}:\n"
                        f"{self.log()}")
        took = time.monotonic() - started
        assert "[make airflow] stopped\n" in self.log(), self.log()
        left = {pid: args for pid, (start, args) in self.processes.items() if start and start_time(pid) == start}
        assert left == {}, f"still running after make airflow stopped: {left}"
        left = services.marked(self.mark)
        assert left == set(), [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in left]
        assert [name for name, port in self.ports.items() if services.port_open(port)] == []
        return took


def test_make_airflow_runs_the_live_pipeline_and_ctrl_c_stops_everything(tmp_path):
    run = MakeAirflow(tmp_path, RATE, NIDS_ETL_PARTITION_GROUPS="2")
    try:
        ready_s = run.wait_ready()
        port, log, state = run.port, run.log, run.state

        # The login it printed is the one the API server accepts.
        passwords = json.loads((state / "airflow" / "simple_auth_manager_passwords.json.generated").read_text())
        assert f"http://127.0.0.1:{port}" in log()
        assert re.search(r"user admin, password " + re.escape(passwords["admin"]), log()), log()
        token = api(port, "POST", "/auth/token", {"username": "admin", "password": passwords["admin"]})["access_token"]
        # Scheduled ETL batches hold two minutes of the traffic, and at least the DAG's default.
        assert f"batches of up to {max(RATE * 120, 500_000)} records" in log(), log()

        # LocalExecutor sized for the machine: one worker process per core, at least 2 (Airflow's default is 32).
        ours = run.ours()
        workers = [args for args in ours.values() if "LocalExecutor" in args]
        assert len(workers) == max(2, os.cpu_count() or 1), workers
        assert any("replay.jar generate --live" in args for args in ours.values()), ours

        # The detections plugin is loaded: its page answers the logged-in user only.
        reports = state / "airflow" / "data" / "work" / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        (reports / "latest.html").write_text("<!DOCTYPE html><html><body>a detections page</body></html>")
        detections = f"http://127.0.0.1:{port}/detections/latest"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(detections, timeout=30)
        assert refused.value.code == 401
        page = urllib.request.Request(detections, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(page, timeout=30) as answer:
            assert "a detections page" in answer.read().decode()
        assert "nids_detections" in {p["name"] for p in api(port, "GET", "/api/v2/plugins", token=token)["plugins"]}

        # Switched on first: a paused DAG is not queued by an asset event.
        api(port, "PATCH", "/api/v2/dags/nids_inference", {"is_paused": False}, token)
        dag_run = api(port, "POST", "/api/v2/dags/nids_etl/dagRuns", {"logical_date": None}, token)
        api(port, "PATCH", "/api/v2/dags/nids_etl", {"is_paused": False}, token)
        run_path = "/api/v2/dags/nids_etl/dagRuns/" + urllib.parse.quote(dag_run["dag_run_id"])
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while (state_of_run := api(port, "GET", run_path, token=token)["state"]) not in ("success", "failed"):
            run.running()
            assert time.monotonic() < deadline, f"nids_etl still {state_of_run} after {RUN_TIMEOUT_S} s"
            time.sleep(2)
        instances = api(port, "GET", run_path + "/taskInstances", token=token)["task_instances"]
        tasks = {(t["task_id"].removeprefix("partition_group."), t["map_index"]): t["state"] for t in instances}
        # Two partition groups over replay's three partitions, each with records from the traffic source.
        assert tasks == {(task, group): "success" for task in ("consume_batch", "hot_write", "cold_write",
                                                                 "commit_offsets") for group in (0, 1)}, tasks
        # The DuckDB file is written by one group at a time (the duckdb pool). The other tasks of the two groups run
        # side by side when both of LocalExecutor's workers are free (a nids_inference run may hold one), so this
        # cannot require it; EtlPipelineTest runs two groups' jars at once.
        [(start0, end0), (start1, end1)] = [
            (datetime.fromisoformat(t["start_date"]), datetime.fromisoformat(t["end_date"]))
            for t in instances if t["task_id"] == "partition_group.hot_write"]
        assert end0 <= start1 or end1 <= start0, instances

        # hot_write's asset event started a nids_inference run, not its clock. No model is registered, so infer
        # finds flows to score and no champion: exit 1, a failed run (the test sets no retries).
        infer_deadline = time.monotonic() + INFER_TIMEOUT_S
        while not (triggered := [r for r in dag_runs(port, "nids_inference", token)
                                 if r["run_type"] == "asset_triggered" and r["state"] in ("success", "failed")]):
            run.running()
            assert time.monotonic() < infer_deadline, \
                f"no asset-triggered nids_inference run ended after {INFER_TIMEOUT_S} s: " \
                f"{dag_runs(port, 'nids_inference', token)}"
            time.sleep(2)
        events = []
        for inference in triggered:
            inference_path = "/api/v2/dags/nids_inference/dagRuns/" + urllib.parse.quote(inference["dag_run_id"])
            events += api(port, "GET", inference_path + "/upstreamAssetEvents", token=token)["asset_events"]
            assert inference["state"] == "failed", inference
            [infer] = api(port, "GET", inference_path + "/taskInstances", token=token)["task_instances"]
            assert (infer["task_id"], infer["state"]) == ("infer", "failed"), infer
            infer_log = json.dumps(api(port, "GET", inference_path + "/taskInstances/infer/logs/1", token=token))
            assert "has no version with the alias 'champion'" in infer_log, infer_log[-2000:]
        assert {(e["uri"], e["source_dag_id"], e["source_task_id"]) for e in events} == {
            ("gnn-nids://hot-store/flows", "nids_etl", "partition_group.hot_write")}, events
        # This run's or the one unpausing scheduled, whichever stored first.
        etl_runs = {r["dag_run_id"] for r in dag_runs(port, "nids_etl", token)}
        assert {e["source_run_id"] for e in events} <= etl_runs, events

        # nids_etl runs every minute, and each run may start an inference run: switched off, the scheduler starts no
        # new task of theirs (a run caught half-way stays "running"), so once no task of theirs runs, DuckDB is free.
        for dag_id in ("nids_etl", "nids_inference"):
            api(port, "PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": True}, token)
        drain_deadline = time.monotonic() + RUN_TIMEOUT_S
        while active := tasks_running(port, ("nids_etl", "nids_inference"), token):
            assert time.monotonic() < drain_deadline, f"tasks still running: {active}"
            time.sleep(2)

        # The traffic source's live flows reached the stores under the state folder, stamped near now.
        data = state / "airflow" / "data"
        staged = [json.loads(p.read_text()) for p in (data / "work" / "batches").glob("*/manifest.json")]
        assert sum(m["counts"]["records"] for m in staged) > 0, staged
        import duckdb

        with duckdb.connect(str(data / "hot.duckdb"), read_only=True) as db:
            flows, newest = db.execute("SELECT count(*), max(ts) FROM flows").fetchone()
        assert flows > 0
        assert abs(time.time() - newest) < 600, f"newest flow at {newest}, now {time.time()}"
        assert list((data / "cold").glob("date=*/*.parquet"))
    finally:
        stop_s = run.stop(signal.SIGINT, group=True)  # Ctrl-C
    print(f"make airflow: ready in {ready_s:.0f} s, {len(run.processes)} processes, stopped in {stop_s:.0f} s, "
          f"{flows} flows stored")


def test_sigterm_to_make_stops_everything_it_started(tmp_path):
    """As `kill <make's pid>` or a service manager stops it: make passes SIGTERM to the script it runs."""
    run = MakeAirflow(tmp_path, 0)
    try:
        run.wait_ready()
        assert "no traffic source (RATE=0)" in run.log()
        assert not any("replay.jar" in args for args in run.ours().values())
    finally:
        stop_s = run.stop(signal.SIGTERM, group=False)
    print(f"make airflow: {len(run.processes)} processes, stopped by SIGTERM in {stop_s:.0f} s")


def test_verify_finds_flows_stored_and_scored_in_the_local_stack(tmp_path):
    """`make verify`'s script against `make airflow`, through the URLs and ports `make airflow` chose: with no champion
    it trains a small one through nids_training, replays generated flows, and follows nids_etl and nids_inference
    until the flows are stored and scored."""
    run = MakeAirflow(tmp_path, 0)
    try:
        run.wait_ready()
        password = json.loads((run.state / "airflow" / "simple_auth_manager_passwords.json.generated").read_text())
        token = api(run.port, "POST", "/auth/token", {"username": "admin", "password": password["admin"]})[
            "access_token"]
        # make airflow leaves the DAGs switched off; verify refuses to switch them on by itself.
        for dag_id in ("nids_etl", "nids_inference", "nids_training"):
            api(run.port, "PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False}, token)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NIDS_", "KAFKA_", "MLFLOW_"))}
        env.update(AIRFLOW_URL=f"http://127.0.0.1:{run.port}", AIRFLOW_PASSWORD=password["admin"],
                   MLFLOW_URL=f"http://127.0.0.1:{run.ports['LOCAL_MLFLOW_PORT']}", ENV_FILE=os.devnull,
                   KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{run.ports['LOCAL_KAFKA_PORT']}",
                   VERIFY_REPLAY=f"java -jar {REPO_ROOT / 'tasks' / 'replay' / 'target' / 'replay.jar'}",
                   VERIFY_FLOWS="5000", VERIFY_TIMEOUT="900")
        verify = subprocess.run([sys.executable, str(REPO_ROOT / "infrastructure" / "compose" / "verify.py")],
                                env=env, capture_output=True, text=True, timeout=3000)
        output = verify.stdout + verify.stderr[-3000:]
        assert verify.returncode == 0, output
        assert "no champion of gnn-nids-binary yet: nids_training trains a small one" in verify.stdout
        assert re.search(r"stored: nids_etl runs since the replay stored \d+ flows", verify.stdout), output
        assert "the stack works: flows sent to Kafka were stored and scored" in verify.stdout

        # Switched off, nids_etl is refused rather than switched on behind the operator's back.
        api(run.port, "PATCH", "/api/v2/dags/nids_etl", {"is_paused": True}, token)
        again = subprocess.run([sys.executable, str(REPO_ROOT / "infrastructure" / "compose" / "verify.py")],
                               env=env, capture_output=True, text=True, timeout=600)
        assert again.returncode == 1, again.stdout + again.stderr[-3000:]
        assert "nids_etl is switched off: switch it on" in again.stdout
    finally:
        run.stop(signal.SIGINT, group=True)
    print(verify.stdout)
