"""`make bench-live` as a user runs it, short and slow (three minutes at 500 flows/s): it trains a champion, runs the
live pipeline, prints its three figures, and stops by itself, leaving no process and no port behind."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

import services

pytestmark = pytest.mark.e2e

REPO_ROOT = services.REPO_ROOT


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
