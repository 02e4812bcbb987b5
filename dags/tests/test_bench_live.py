"""`make bench-live` as a user runs it, short and slow (three minutes at 500 flows/s): it trains a champion, runs the
live pipeline, prints its three figures, and stops by itself, leaving no process and no port behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import duckdb
import pytest

import services

REPO_ROOT = services.REPO_ROOT
sys.path.insert(0, str(REPO_ROOT / "infrastructure" / "local"))
import bench_live  # noqa: E402


def hot_store(path, rate: float, scored_per_s: float, delay: float, seconds: float, started: float):
    """A hot store of a run that received `rate` flows/s and, from `delay` s on, scored them `scored_per_s` a
    second."""
    offset = time.localtime(started).tm_gmtoff  # the hot store's clock is local time
    rows = []
    for i in range(round(rate * seconds)):
        arrived = started + i / rate
        predicted = started + i / scored_per_s + delay
        rows.append((arrived, arrived + 5 + offset, predicted + offset if predicted < started + seconds else None))
    with duckdb.connect(str(path)) as db:
        db.execute("CREATE TABLE flows (ts DOUBLE, ingested_at TIMESTAMP, predicted_at TIMESTAMP)")
        db.executemany("INSERT INTO flows VALUES (?, to_timestamp(?), to_timestamp(?))", rows)


# 10 flows/s for 10 minutes: scored as they come, 30 s late; scored too slowly; scored too slowly after a slow
# start, whose backlog in the first half hides from a comparison of the halves that the second half fell behind too;
# and scored as fast as they come but 250 s late, which leaves 2,500 waiting at the end where a pipeline that keeps
# up leaves at most two minutes of them (1,200): 10 - 1,300 / 600 = 7.8 flows/s.
@pytest.mark.parametrize(("scored_per_s", "delay", "sustained", "kept_up"),
                         [(10, 30, 10, True), (7, 30, 7, False), (8, 150, 8, False), (10, 250, 8, False)])
def test_the_rate_is_sustained_only_when_the_flows_left_waiting_stay_within_a_cycle(
        tmp_path, scored_per_s, delay, sustained, kept_up):
    started = time.time() - 600
    hot_store(tmp_path / "hot.duckdb", 10, scored_per_s, delay, 600, started)
    f = bench_live.figures(tmp_path / "hot.duckdb", started, started + 600, 6_000, 600)
    assert f["bounded"] is kept_up
    assert round(f["sustained"]) == sustained


@pytest.mark.e2e
def test_bench_live_measures_the_live_pipeline_and_stops_by_itself(tmp_path):
    state = tmp_path / "state"
    ports = {name: services.free_port() for name in
             ("AIRFLOW_PORT", "LOCAL_KAFKA_PORT", "LOCAL_KAFKA_CONTROLLER_PORT", "LOCAL_MLFLOW_PORT")}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NIDS_", "KAFKA_", "MLFLOW_"))}
    env.update({name: str(port) for name, port in ports.items()})
    env.update(LOCAL_STATE_DIR=str(state), LIVE_RATE="500", LIVE_MINUTES="3")
    bench = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "bench-live"], cwd=REPO_ROOT,
                           env=env, capture_output=True, text=True, timeout=900)
    assert bench.returncode == 0, bench.stdout + bench.stderr
    figures = dict(re.findall(r"^(bench\.live\.\w+) (\S+) ", bench.stdout, re.MULTILINE))
    assert set(figures) == {"bench.live.sustained_flows_per_s", "bench.live.detect_latency_p95_s",
                            "bench.live.max_lag"}, bench.stdout
    # At 500 flows/s the pipeline keeps up: the whole rate is sustained and a flow is scored within minutes.
    assert float(figures["bench.live.sustained_flows_per_s"]) >= 450, bench.stdout
    assert 0 < float(figures["bench.live.detect_latency_p95_s"]) < 180, bench.stdout
    assert [name for name, port in ports.items() if services.port_open(port)] == []
    # Everything it started had the state folder in its environment (Kafka, MLflow, Airflow, the traffic, tasks).
    assert services.marked(f"LOCAL_STATE_DIR={state}") == set()
