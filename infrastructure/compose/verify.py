"""`make verify`: checks a running stack end to end through the doors an operator uses, Airflow's REST API and
MLflow's, then says whether flows were stored and scored. Python's standard library only, so that it runs with any
python3 on the Docker host.

1. Airflow's API answers and reports its components healthy; MLflow answers /health and, when it is given
   credentials, refuses a request that has none.
2. When the registry has no champion for NIDS_MODEL_NAME, nids_training trains a small one (two generated networks,
   three epochs, no quality gate): inference needs one.
3. replay sends VERIFY_FLOWS generated flows, with a new seed every time so that none repeats an earlier run's.
4. nids_etl is triggered; its runs since the replay (this one and scheduled ones) are followed until they stored as
   many flows as were sent.
5. nids_inference is triggered and followed to its end: infer scored the flows, or found none left to score because
   a run started by the ETL's asset event scored them; either way the runs since the replay scored at least as many
   flows as were stored.

The DAGs it triggers must be switched on (the compose stack switches every DAG on; `make airflow` leaves them off).

Environment, with the compose stack's defaults on its host:
  AIRFLOW_URL        http://127.0.0.1:8080
  AIRFLOW_USER       admin
  AIRFLOW_PASSWORD   .env's AIRFLOW_ADMIN_PASSWORD
  MLFLOW_URL         http://127.0.0.1:5000
  MLFLOW_TRACKING_USERNAME, MLFLOW_TRACKING_PASSWORD   .env's (none: an MLflow without authentication)
  NIDS_MODEL_NAME    gnn-nids-binary
  VERIFY_REPLAY      the command that runs the replay step, to which `generate ...` is added; it reads Kafka's address
                     and client settings from its own environment (KAFKA_BOOTSTRAP_SERVERS, NIDS_KAFKA_PROPERTIES,
                     NIDS_TOPIC). `make verify` runs replay.jar in the Airflow scheduler's container.
  VERIFY_FLOWS       20000 flows, of a network of VERIFY_HOSTS (50) hosts
  VERIFY_TIMEOUT     1800: the seconds each wait may take (the training, the ETL, the inference)
  ENV_FILE           .env: where the credentials that the environment lacks are read from
Exits 0 when the flows were stored and scored, 1 when something failed (saying what), 2 when a setting is missing.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime

POLL_S = 5
# The model verify trains when there is none: small and quick, promoted whatever its quality.
SMALL_TRAINING = {"days": 0, "synthetic_networks": 2, "max_epochs": 3, "min_pr_auc": 0, "promote": "if-better"}
STORED = re.compile(r"(\d+) of \d+ flows stored")
SCORED = re.compile(r"scored (\d+) flows with")


class Failed(Exception):
    """What went wrong, said in one line."""


def say(message: str) -> None:
    print(f"[make verify] {message}", flush=True)


def env_file(path: str) -> dict[str, str]:
    """NAME=value lines of a compose .env file (no file: none)."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return {}
    pairs = (line.split("=", 1) for line in lines if "=" in line and not line.lstrip().startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def setting(name: str, default: str = "") -> str:
    return os.environ.get(name) or default


def request(url: str, method: str = "GET", body: dict | None = None, headers: dict | None = None) -> dict:
    """One HTTP call with a JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    call = urllib.request.Request(url, data=data, method=method,
                                  headers={"Content-Type": "application/json", "Accept": "application/json",
                                           **(headers or {})})
    with urllib.request.urlopen(call, timeout=30) as response:
        return json.load(response)


def status(url: str, headers: dict | None = None) -> int:
    """The HTTP status of a GET (0 when nothing answers)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def instance_name(task: dict) -> str:
    """A task instance as the REST API lists it, named: its task id, with `[i]` for instance i of a mapped task."""
    index = task.get("map_index", -1)
    return task["task_id"] if index is None or index < 0 else f"{task['task_id']}[{index}]"


class Airflow:
    """Airflow's REST API with a bearer token."""

    def __init__(self, url: str, user: str, password: str):
        self.url = url.rstrip("/")
        self.user, self.password = user, password
        self.token = ""
        # What each ended run's task counted, once read from its log.
        self._counts: dict[tuple[str, str, str], int] = {}

    def login(self) -> None:
        try:
            answer = request(f"{self.url}/auth/token", "POST", {"username": self.user, "password": self.password})
        except urllib.error.HTTPError as error:
            raise Failed(f"Airflow refused user {self.user} ({error.code}): check AIRFLOW_PASSWORD") from error
        self.token = answer["access_token"]

    def call(self, path: str, method: str = "GET", body: dict | None = None) -> dict:
        """One call; an error of the server's (a busy metadata database, say) is tried again, up to 5 times."""
        for attempt in range(1, 6):
            try:
                return request(self.url + path, method, body, {"Authorization": f"Bearer {self.token}"})
            except urllib.error.HTTPError as error:
                if error.code < 500 or attempt == 5:
                    raise
            time.sleep(2 * attempt)
        raise AssertionError("unreachable")

    def healthy(self) -> bool:
        try:
            health = request(f"{self.url}/api/v2/monitor/health")
        except (OSError, ValueError):
            return False
        return all((health.get(part) or {}).get("status") == "healthy"
                   for part in ("metadatabase", "scheduler", "dag_processor", "triggerer"))

    def trigger(self, dag_id: str, conf: dict | None = None) -> str:
        if self.call(f"/api/v2/dags/{dag_id}")["is_paused"]:
            raise Failed(f"{dag_id} is switched off: switch it on in Airflow's UI, then run verify again")
        run = self.call(f"/api/v2/dags/{dag_id}/dagRuns", "POST", {"logical_date": None, "conf": conf or {}})
        say(f"triggered {dag_id} ({run['dag_run_id']})")
        return run["dag_run_id"]

    def run(self, dag_id: str, run_id: str) -> dict:
        return self.call(f"/api/v2/dags/{dag_id}/dagRuns/{urllib.parse.quote(run_id)}")

    def runs_since(self, dag_id: str, since: datetime) -> list[dict]:
        """The DAG's runs that started at `since` or later, oldest first."""
        runs = self.call(f"/api/v2/dags/{dag_id}/dagRuns?order_by=-run_after&limit=100")["dag_runs"]
        started = [run for run in runs if run.get("start_date") and datetime.fromisoformat(run["start_date"]) >= since]
        return sorted(started, key=lambda run: run["start_date"])

    def tasks(self, dag_id: str, run_id: str) -> dict[str, dict]:
        """The run's task instances by name: the task id, and `[i]` after it for instance i of a mapped task
        (nids_etl's partition groups)."""
        path = f"/api/v2/dags/{dag_id}/dagRuns/{urllib.parse.quote(run_id)}/taskInstances"
        return {instance_name(task): task for task in self.call(path)["task_instances"]}

    def counted(self, dag_id: str, since: datetime, task_id: str, pattern: re.Pattern) -> int:
        """What the runs that ended well since `since` counted: the sum of the number `pattern` finds in the log of
        the task's last try, where it succeeded (a skipped task counted nothing), over every instance of a mapped
        task."""
        total = 0
        for run in self.runs_since(dag_id, since):
            if run["state"] != "success":
                continue
            key = (dag_id, run["dag_run_id"], task_id)
            if key not in self._counts:
                self._counts[key] = 0
                for task in self.tasks(dag_id, run["dag_run_id"]).values():
                    if task["task_id"] != task_id or task.get("state") != "success":
                        continue
                    path = (f"/api/v2/dags/{dag_id}/dagRuns/{urllib.parse.quote(run['dag_run_id'])}/taskInstances/"
                            f"{task_id}/logs/{task['try_number']}?map_index={task.get('map_index', -1)}")
                    found = pattern.findall(json.dumps(self.call(path)))
                    self._counts[key] += int(found[-1]) if found else 0
            total += self._counts[key]
        return total

    def wait_for_run(self, dag_id: str, run_id: str, timeout_s: float) -> dict[str, str]:
        """Waits until the run ends; its tasks' states. A failed run fails verify."""
        deadline = time.monotonic() + timeout_s
        while (state := self.run(dag_id, run_id)["state"]) not in ("success", "failed"):
            if time.monotonic() > deadline:
                raise Failed(f"{dag_id} run {run_id} still {state} after {timeout_s:.0f} s")
            time.sleep(POLL_S)
        tasks = {task_id: task["state"] for task_id, task in self.tasks(dag_id, run_id).items()}
        if state == "failed":
            raise Failed(f"{dag_id} run {run_id} failed: {tasks} (its task logs are in Airflow's UI)")
        return tasks

    def failed_since(self, dag_id: str, since: datetime) -> None:
        for run in self.runs_since(dag_id, since):
            if run["state"] == "failed":
                raise Failed(f"{dag_id} run {run['dag_run_id']} failed: "
                             f"{ {t: s['state'] for t, s in self.tasks(dag_id, run['dag_run_id']).items()} }")


class Mlflow:
    """MLflow's REST API, with basic authentication when credentials are given."""

    def __init__(self, url: str, user: str, password: str):
        self.url = url.rstrip("/")
        self.auth = {}
        if user:
            self.auth = {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}

    def check(self) -> None:
        if status(f"{self.url}/health") != 200:
            raise Failed(f"MLflow does not answer {self.url}/health")
        search = f"{self.url}/api/2.0/mlflow/experiments/search?max_results=1"
        if self.auth:
            if status(search) != 401:
                raise Failed("MLflow answers a request without credentials: its authentication is off")
            if status(search, self.auth) != 200:
                raise Failed("MLflow refuses MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD")
            say("MLflow: /health answers; the API refuses requests without credentials and accepts the pipeline's")
        elif status(search) != 200:
            raise Failed("MLflow refuses requests without credentials: set MLFLOW_TRACKING_USERNAME and _PASSWORD")
        else:
            say("MLflow: /health answers; no credentials given, and its API asks for none")

    def champion(self, model: str) -> str | None:
        """The champion's version, None when there is none."""
        query = urllib.parse.urlencode({"name": model, "alias": "champion"})
        try:
            answer = request(f"{self.url}/api/2.0/mlflow/registered-models/alias?{query}", headers=self.auth)
        except urllib.error.HTTPError as error:
            # No such model (404), or a model without that alias (400, "... not found").
            if error.code == 404 or (error.code == 400 and b"not found" in error.read()):
                return None
            raise
        return answer["model_version"]["version"]


def wait_until(ready, timeout_s: float, what) -> None:
    """Waits until ready() is true; fails saying what() was still the case after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not ready():
        if time.monotonic() > deadline:
            raise Failed(f"{what()} after {timeout_s:.0f} s")
        time.sleep(POLL_S)


def verify() -> None:
    file = env_file(setting("ENV_FILE", ".env"))
    airflow = Airflow(setting("AIRFLOW_URL", "http://127.0.0.1:8080"), setting("AIRFLOW_USER", "admin"),
                      setting("AIRFLOW_PASSWORD", file.get("AIRFLOW_ADMIN_PASSWORD", "")))
    mlflow = Mlflow(setting("MLFLOW_URL", "http://127.0.0.1:5000"),
                    *(setting(name, file.get(name, "")) for name in ("MLFLOW_TRACKING_USERNAME",
                                                                     "MLFLOW_TRACKING_PASSWORD")))
    model = setting("NIDS_MODEL_NAME", "gnn-nids-binary")
    replay = shlex.split(setting("VERIFY_REPLAY"))
    flows, hosts = int(setting("VERIFY_FLOWS", "20000")), int(setting("VERIFY_HOSTS", "50"))
    timeout_s = float(setting("VERIFY_TIMEOUT", "1800"))
    if not replay or not airflow.password:
        raise SystemExit("verify: set VERIFY_REPLAY and AIRFLOW_PASSWORD (or AIRFLOW_ADMIN_PASSWORD in ENV_FILE)")

    wait_until(airflow.healthy, timeout_s, lambda: f"Airflow at {airflow.url} is not healthy")
    airflow.login()
    say(f"Airflow: {airflow.url} healthy, signed in as {airflow.user}")
    mlflow.check()

    version = mlflow.champion(model)
    if version is None:
        say(f"no champion of {model} yet: nids_training trains a small one ({SMALL_TRAINING})")
        airflow.wait_for_run("nids_training", airflow.trigger("nids_training", SMALL_TRAINING), timeout_s)
        version = mlflow.champion(model)
        if version is None:
            raise Failed(f"nids_training succeeded, yet {model} has no champion")
    say(f"champion: {model} version {version}")

    since = datetime.now(UTC)
    seed = int(time.time())
    say(f"replay: {flows} generated flows of a {hosts}-host network, seed {seed}")
    sent = subprocess.run(replay + ["generate", "--flows", str(flows), "--hosts", str(hosts), "--seed", str(seed)],
                          stdout=subprocess.PIPE, text=True)
    if sent.returncode != 0:
        raise Failed(f"replay exited with {sent.returncode}: {shlex.join(replay)}")

    airflow.trigger("nids_etl")
    stored = 0

    def all_stored() -> bool:
        nonlocal stored
        airflow.failed_since("nids_etl", since)
        stored = airflow.counted("nids_etl", since, "partition_group.hot_write", STORED)
        return stored >= flows

    wait_until(all_stored, timeout_s, lambda: f"nids_etl runs stored {stored} of the {flows} flows sent")
    say(f"stored: nids_etl runs since the replay stored {stored} flows")

    tasks = airflow.wait_for_run("nids_inference", airflow.trigger("nids_inference"), timeout_s)
    if tasks.get("infer") not in ("success", "skipped"):
        raise Failed(f"nids_inference ended with {tasks}")
    airflow.failed_since("nids_inference", since)
    scored = airflow.counted("nids_inference", since, "infer", SCORED)
    if scored < stored:
        raise Failed(f"nids_inference runs since the replay scored {scored} flows, fewer than the {stored} stored")
    say(f"scored: nids_inference runs since the replay scored {scored} flows with {model} version {version}")
    say("the stack works: flows sent to Kafka were stored and scored")


def main() -> int:
    try:
        verify()
    except Failed as failure:
        say(f"FAILED: {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
