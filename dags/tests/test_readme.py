"""What the README has a user type, run as typed from the repository's root: `make local-up`, then its shell blocks in
one shell (one ETL batch by hand; the first training on a new network, inference and evaluation), `make local-status`
and `make local-down`. Only the ports and the state folder are the test's own, so that it runs beside a user's
services."""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.request
from pathlib import Path

import duckdb
import pytest

import services

pytestmark = pytest.mark.e2e

ROOT = services.REPO_ROOT
STEPS = ("replay", "consume-batch", "hot-write", "cold-write", "commit-offsets", "train", "infer", "evaluate")


def shell_blocks() -> list[str]:
    """The README's bash blocks that run a step's jar, in the README's order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block for block in re.findall(r"^```bash\n(.*?)^```", readme, re.S | re.M) if "java -jar tasks/" in block]


def as_typed(block: str, kafka: str, mlflow: str, state: Path) -> str:
    """The block with the test's addresses and state folder; a command whose comment says it may exit 99 (nothing to
    do) may, as the README says."""
    block = block.replace("127.0.0.1:9092", kafka).replace("http://127.0.0.1:5000", mlflow) \
        .replace("$PWD/.local", str(state))
    lines = []
    for line in block.splitlines():
        command = re.match(r"^(.*?)\s+#\s(.*)$", line)
        if command and "exit 99" in command.group(2):
            line = f"{command.group(1)} || test $? -eq 99  # {command.group(2)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def make(target: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", target], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_the_readme_blocks_run_as_typed_against_make_local_up(tmp_path):
    missing = [step for step in STEPS if not (ROOT / "tasks" / step / "target" / f"{step}.jar").is_file()]
    if missing:
        pytest.fail(f"missing jars of {', '.join(missing)}: run `make build` first")
    blocks = shell_blocks()
    assert len(blocks) == 2, "the README's blocks that run the jars changed: update this test"
    kafka_port, mlflow_port = services.free_port(), services.free_port()
    # A user's shell: none of the pipeline's settings but what the README exports.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIDS_", "KAFKA_", "MLFLOW_"))}
    env.update(LOCAL_STATE_DIR=str(tmp_path / "services"), LOCAL_KAFKA_PORT=str(kafka_port),
               LOCAL_KAFKA_CONTROLLER_PORT=str(services.free_port()), LOCAL_MLFLOW_PORT=str(mlflow_port))
    kafka, mlflow, state = f"127.0.0.1:{kafka_port}", f"http://127.0.0.1:{mlflow_port}", tmp_path / "local"

    up = make("local-up", env)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        status = make("local-status", env)
        assert status.returncode == 0, status
        script = "".join(as_typed(block, kafka, mlflow, state) for block in blocks)
        typed = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=1800)
        assert typed.returncode == 0, f"{script}\nexited with {typed.returncode}:\n{typed.stderr[-6000:]}"

        # One batch stored once in each store and every stored flow scored by the baseline's model.
        with duckdb.connect(str(state / "hot.duckdb"), read_only=True) as db:
            stored, scored = db.execute("SELECT count(*), count(prediction) FROM flows").fetchone()
            cold = db.execute(f"SELECT count(*) FROM read_parquet('{state}/cold/**/*.parquet')").fetchone()[0]
        assert stored == cold == scored > 0, (stored, cold, scored)
        with urllib.request.urlopen(f"{mlflow}/api/2.0/mlflow/registered-models/alias"
                                    "?name=gnn-nids-binary&alias=champion", timeout=30) as response:
            assert json.load(response)["model_version"]["version"] == "1"
        reports = list((state / "work" / "evaluate").glob("*/evaluation.json"))
        assert len(reports) == 1, reports
        evaluated = json.loads(reports[0].read_text())
        assert evaluated["model"]["version"] == "1", evaluated["model"]
        captures = sorted(str(path) for path in (ROOT / "data" / "iot23").glob("*.csv"))
        assert sorted(i["source"] for i in evaluated["inputs"]) == captures
        assert evaluated["overall"]["attacks"] > 0
    finally:
        down = make("local-down", env)
    assert down.returncode == 0, down.stdout + down.stderr
    status = make("local-status", env)
    assert status.returncode != 0 and status.stdout == "kafka: not running\nmlflow: not running\n", status
