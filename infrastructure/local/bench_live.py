"""`make bench-live`: the live pipeline of `make airflow` under a steady load, then how well it kept up.

A champion is trained first (a small model of two generated networks: these figures are about speed, not quality).
Then `make airflow` runs with RATE flows/s of live traffic, nids_etl and nids_inference are switched on with their
defaults, and the real scheduler runs them for LIVE_MINUTES. Everything is then stopped, and the hot store says:

  bench.live.sustained_flows_per_s  the rate, when the pipeline kept up (the flows waiting for a prediction grew
                                    no more in the run's second half than in its first, and at its end no more
                                    waited than arrive in two minutes: an ETL run and the inference run after
                                    it); otherwise the lower of the flows scored per second over the second half
                                    (what the pipeline sustains is at most what it did) and the rate less the
                                    flows left waiting beyond those two minutes, spread over the run (a pipeline
                                    that scored as fast as they came but fell that far behind kept up with less)
  bench.live.detect_latency_p95_s   from a flow's arrival in Kafka (replay stamps each flow when it sends it) to its
                                    stored prediction, over the flows sent before the last 5 minutes of the run (the
                                    last half of a shorter one); a flow still without a prediction counts with what
                                    it has waited, and one still in Kafka as waiting for ever
  bench.live.max_lag                the most flows sent and not yet stored at any moment of the run

Environment: LIVE_RATE (flows/s, default 20000), LIVE_MINUTES (10), LOCAL_STATE_DIR (default .local/bench-live:
emptied first), AIRFLOW_PORT, LOCAL_KAFKA_PORT, LOCAL_KAFKA_CONTROLLER_PORT, LOCAL_MLFLOW_PORT (free ones by
default). Ctrl-C stops everything it started. Runs in the project's .venv (duckdb).
"""

from __future__ import annotations

import bisect
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "infrastructure" / "local"
sys.path.insert(0, str(LOCAL))
from demo_report import free_port  # noqa: E402

LATENCY_HORIZON_S = 300
# The most a pipeline that keeps up leaves waiting: a minute of flows until the next ETL run, and the inference run
# after it.
CYCLE_S = 120
READY_TIMEOUT_S = 300


def say(message: str) -> None:
    print(f"[make bench-live] {message}", flush=True)


def as_a_terminal_starts_it() -> None:
    """For Popen's preexec_fn: SIGINT and SIGQUIT back to their defaults in the child. A shell without job control
    starts a background command with both ignored (`nohup make bench-live &`, many CI runners), the child inherits
    that, and a script started so cannot trap them: Ctrl-C, SIGINT to its group, would not stop `make airflow`."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def api(port: int, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    """One call of Airflow's REST API on 127.0.0.1:`port`, with a bearer token when given; the JSON answer."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


class Stack:
    """Kafka and MLflow (`make local-up`), then `make airflow` with the traffic, all under one state folder."""

    def __init__(self, state: Path, rate: float):
        self.state = state
        self.rate = rate
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NIDS_", "KAFKA_", "MLFLOW_"))}
        self.ports = {name: int(os.environ.get(name) or free_port(0)) for name in
                      ("AIRFLOW_PORT", "LOCAL_KAFKA_PORT", "LOCAL_KAFKA_CONTROLLER_PORT", "LOCAL_MLFLOW_PORT")}
        self.env.update({name: str(port) for name, port in self.ports.items()})
        self.env.update(LOCAL_STATE_DIR=str(state), RATE=f"{rate:g}")
        self.airflow: subprocess.Popen | None = None
        self.log = state / "bench-live.log"

    def make(self, *targets: str) -> None:
        with open(self.log, "ab") as out:
            subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", *targets], cwd=ROOT,
                           env=self.env, stdout=out, stderr=subprocess.STDOUT, check=True)

    def services_up(self) -> tuple[str, str]:
        self.make("local-up")
        return (f"127.0.0.1:{self.ports['LOCAL_KAFKA_PORT']}", f"http://127.0.0.1:{self.ports['LOCAL_MLFLOW_PORT']}")

    def start_airflow(self) -> None:
        with open(self.log, "ab") as out:
            # Its own session, as a terminal runs it: SIGINT to the group is Ctrl-C.
            self.airflow = subprocess.Popen([str(LOCAL / "airflow.sh")], cwd=ROOT, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True, preexec_fn=as_a_terminal_starts_it)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while "Ctrl-C stops everything" not in self.log.read_text(errors="replace"):
            self.check_airflow()
            if time.monotonic() > deadline:
                raise SystemExit(f"make airflow was not ready after {READY_TIMEOUT_S} s: see {self.log}")
            time.sleep(1)

    def check_airflow(self) -> None:
        if self.airflow is not None and self.airflow.poll() is not None:
            raise SystemExit(f"make airflow exited with {self.airflow.returncode}: see {self.log}")

    def stop(self) -> None:
        if self.airflow is not None and self.airflow.poll() is None:
            os.killpg(self.airflow.pid, signal.SIGINT)
            try:
                self.airflow.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(self.airflow.pid, signal.SIGKILL)
                self.airflow.wait()
        self.make("local-down")


def train_champion(env: dict[str, str], work: Path) -> None:
    """A small model, registered and made champion whatever its quality: inference needs one to run."""
    subprocess.run(["java", "-Xmx2g", "-jar", str(ROOT / "tasks" / "train" / "target" / "train.jar"), "--days", "0",
                    "--synthetic-networks", "2", "--synthetic-flows", "20000", "--max-epochs", "3", "--min-pr-auc", "0",
                    "--promote", "always", "--work-dir", str(work)],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def traffic_sent(run_dir: Path) -> tuple[int, float]:
    """Flows the traffic source sent and over how many seconds: the line replay logs when it stops."""
    for log in sorted(run_dir.glob("traffic*.log")):
        found = re.findall(r"sent (\d+) flows in ([0-9.]+) s", log.read_text(errors="replace"))
        if found:
            return int(found[-1][0]), float(found[-1][1])
    raise SystemExit(f"the traffic source logged no total in {run_dir}: see its log there")


def figures(db_path: Path, started: float, ended: float, sent: int, sending_s: float) -> dict:
    """The live figures from the hot store: its clock (ingested_at, predicted_at) is the machine's local time."""
    local_offset = time.localtime(ended).tm_gmtoff
    with duckdb.connect(str(db_path), read_only=True) as db:
        rows = db.execute(
            "SELECT ts, epoch(ingested_at) - ?, epoch(predicted_at) - ? FROM flows",
            [local_offset, local_offset]).fetchall()
    traffic_start = ended - sending_s
    actual_rate = sent / sending_s
    stored = sorted(r[1] for r in rows)
    scored = sorted(r[2] for r in rows if r[2] is not None)
    half = started + (ended - started) / 2

    def waiting(done: list[float]) -> tuple[float, float]:
        """The most flows sent and not yet in `done` (times, sorted), in the first and in the second half."""
        most = [0.0, 0.0]
        k, t = 0, traffic_start
        while t <= ended:
            while k < len(done) and done[k] <= t:
                k += 1
            most[t >= half] = max(most[t >= half], actual_rate * (t - traffic_start) - k)
            t += 5
        return most[0], max(most[1], sent - len(done))

    # The lag: sent and not yet stored. Kept up: the flows waiting for a prediction grow no more in the second half
    # than in the first (the batches come a minute apart, so both see a minute of traffic waiting at times), and at
    # the end no more wait than one cycle brings. The first test alone passes a short run whose first half was
    # slow to start: at 20,000 flows/s a 6-minute run scored 14,000 flows/s and passed it.
    max_lag = max(waiting(stored))
    first, second = waiting(scored)
    left_waiting = sent - bisect.bisect_right(scored, ended)
    bounded = second <= 1.25 * first + 30 * actual_rate and left_waiting <= CYCLE_S * actual_rate
    throughput = sum(1 for t in scored if half <= t <= ended) / (ended - half)
    behind = max(0.0, left_waiting - CYCLE_S * actual_rate) / (ended - started)
    # Latency of the flows sent from the switch-on until the horizon (half of a short run); those still in Kafka
    # waited longer still.
    horizon = ended - min(LATENCY_HORIZON_S, (ended - started) / 2)
    waits = [(r[2] if r[2] is not None else ended) - r[0] for r in rows if started <= r[0] < horizon]
    unstored = max(0, round(actual_rate * (horizon - started)) - len(waits))
    waits += [float("inf")] * unstored
    waits.sort()
    p95 = waits[int(0.95 * (len(waits) - 1))] if waits else float("nan")
    return {
        "sustained": actual_rate if bounded else min(throughput, actual_rate - behind),
        "bounded": bounded,
        "p95": p95,
        "max_lag": max_lag,
        "actual_rate": actual_rate,
        "throughput": throughput,
        "left_waiting": max(0, left_waiting),
        "stored": len(stored),
        "scored": sum(1 for r in rows if r[2] is not None),
        "sent": sent,
        "latency_flows": len(waits),
        "horizon_s": ended - horizon,
    }


def main() -> int:
    rate = float(os.environ.get("LIVE_RATE") or 20000)
    minutes = float(os.environ.get("LIVE_MINUTES") or 10)
    state = Path(os.environ.get("LOCAL_STATE_DIR") or ROOT / ".local" / "bench-live").resolve()
    if state.exists():
        shutil.rmtree(state)
    state.mkdir(parents=True)
    stack = Stack(state, rate)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        say(f"starting Kafka and MLflow (log: {stack.log})")
        bootstrap, tracking_uri = stack.services_up()
        say("training a small champion (two generated networks, three epochs)")
        train_champion({**stack.env, "MLFLOW_TRACKING_URI": tracking_uri}, state / "train-work")
        say(f"starting make airflow with {rate:g} flows/s of live traffic")
        stack.start_airflow()
        port = stack.ports["AIRFLOW_PORT"]
        password = json.loads((state / "airflow" / "simple_auth_manager_passwords.json.generated").read_text())["admin"]
        token = api(port, "POST", "/auth/token", {"username": "admin", "password": password})["access_token"]
        for dag_id in ("nids_inference", "nids_etl"):
            api(port, "PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False}, token)
        started = time.time()
        say(f"nids_etl and nids_inference switched on; measuring for {minutes:g} minutes")
        while time.time() < started + minutes * 60:
            stack.check_airflow()
            time.sleep(5)
        ended = time.time()
    except KeyboardInterrupt:
        say("interrupted: stopping everything")
        stack.stop()
        return 130
    except BaseException:
        stack.stop()
        raise
    say("stopping make airflow, Kafka and MLflow")
    stack.stop()
    sent, sending_s = traffic_sent(state / "airflow" / "run")
    f = figures(state / "airflow" / "data" / "hot.duckdb", started, ended, sent, sending_s)
    print(f"bench.live.sustained_flows_per_s {round(f['sustained'])} flows/s")
    print(f"bench.live.detect_latency_p95_s {f['p95']:.1f} s")
    print(f"bench.live.max_lag {round(f['max_lag'])} flows")
    print(f"# {f['sent']} flows sent at {f['actual_rate']:.0f} flows/s (asked {rate:g}); {f['stored']} stored, "
          f"{f['scored']} scored; second half: {f['throughput']:.0f} flows/s scored "
          f"({'lag bounded' if f['bounded'] else 'the pipeline fell behind'}), "
          f"{round(f['left_waiting'])} waiting at the end (at most {round(CYCLE_S * f['actual_rate'])} when it "
          f"keeps up); latency over "
          f"{f['latency_flows']} flows sent from the switch-on until {f['horizon_s']:.0f} s before the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
