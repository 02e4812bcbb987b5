"""What a step's exit code, a hung step and train's epochs do to its task, run through Airflow for real: DAGs built
with nids_dag and step_task, a stand-in `java` on PATH that exits with the code it is given (or hangs, or sleeps),
and `dag.test()` in a process of its own (its own Airflow home and DAG folder, as the DAG processor and task runner
need them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from conftest import DAGS_DIR

RETRIES = 2

# The stand-in for java: counts its runs, and exits as NIDS_TEST_EXIT says, with a one-line message as the steps
# write; `hang` sleeps until killed, `sleep<n>` for n seconds and succeeds.
FAKE_JAVA = """#!/bin/sh
echo run >> "$NIDS_TEST_RUNS"
if [ "$NIDS_TEST_EXIT" = hang ]; then exec sleep 120; fi
case "$NIDS_TEST_EXIT" in sleep*) sleep "${NIDS_TEST_EXIT#sleep}"; exit 0;; esac
[ "$NIDS_TEST_EXIT" = 2 ] && echo "error: unknown option '--bad'" >&2
exit "$NIDS_TEST_EXIT"
"""

DAG_FILE = """# Airflow DAGs whose one step exits with a given code (or hangs), and a training run of 500 epochs.
from datetime import timedelta

from airflow.sdk import Param

from nids_common import nids_dag, step_task

for outcome in ("2", "3", "1", "99", "hang"):
    with nids_dag(dag_id="exit_" + outcome, doc_md=None, schedule=None, tag="test", params={}) as dag:
        step = step_task("step", "consume-batch", args="--bad",
                         env={"NIDS_TEST_EXIT": outcome, "NIDS_TEST_RUNS": RUNS_DIR + "/" + outcome})
        step.retries = 0 if outcome == "hang" else RETRIES
        step.retry_delay = timedelta(0)
        if outcome == "hang":
            step.execution_timeout = timedelta(seconds=3)
    globals()["dag_" + outcome] = dag

# 2 seconds for 100 epochs: 500 epochs get 10, and the 4-second step succeeds.
with nids_dag(dag_id="exit_epochs", doc_md=None, schedule=None, tag="test",
              params={"max_epochs": Param(500, type="integer")}) as dag_epochs:
    train = step_task("step", "train", env={"NIDS_TEST_EXIT": "sleep4", "NIDS_TEST_RUNS": RUNS_DIR + "/epochs"})
    train.retries = 0
    train.execution_timeout = timedelta(seconds=2)
"""

# Runs every DAG of the file once and prints, per DAG, the run's and the task's state and the task's tries.
DRIVER = """
import importlib.util, json, sys
from airflow.utils import db

db.initdb()
spec = importlib.util.spec_from_file_location("exit_dags", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
results = {}
for outcome in ("2", "3", "1", "99", "hang", "epochs"):
    run = getattr(module, "dag_" + outcome).test()
    ti = run.get_task_instance("step")
    results[outcome] = {"run": run.state, "task": ti.state, "try_number": ti.try_number}
    if outcome in ("hang", "epochs"):
        results[outcome]["seconds"] = ti.duration
print("RESULTS " + json.dumps(results))
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("exit-codes")
    bin_dir, dags_dir, runs_dir = root / "bin", root / "dags", root / "runs"
    for folder in (bin_dir, dags_dir, runs_dir):
        folder.mkdir()
    java = bin_dir / "java"
    java.write_text(FAKE_JAVA)
    java.chmod(0o755)
    dag_file = dags_dir / "exit_dags.py"
    dag_file.write_text(f"RUNS_DIR = {str(runs_dir)!r}\nRETRIES = {RETRIES}\n" + DAG_FILE)
    env = dict(os.environ,
               AIRFLOW_HOME=str(root / "home"),
               AIRFLOW__CORE__DAGS_FOLDER=str(dags_dir),
               PYTHONPATH=os.pathsep.join([str(DAGS_DIR), os.environ.get("PYTHONPATH", "")]),
               PATH=os.pathsep.join([str(bin_dir), os.environ["PATH"]]))
    result = subprocess.run([sys.executable, "-c", DRIVER, str(dag_file)], env=env, capture_output=True,
                            text=True, timeout=300)
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULTS ")]
    assert result.returncode == 0 and lines, result.stdout[-4000:] + result.stderr[-4000:]
    states = json.loads(lines[-1].removeprefix("RESULTS "))
    for outcome, state in states.items():
        state["java_runs"] = len((runs_dir / outcome).read_text().splitlines())
    return states


def test_exit_2_fails_the_task_at_once_without_its_retries(runs):
    assert runs["2"] == {"run": "failed", "task": "failed", "try_number": 1, "java_runs": 1}


def test_exit_3_a_refused_result_fails_the_task_at_once_too(runs):
    assert runs["3"] == {"run": "failed", "task": "failed", "try_number": 1, "java_runs": 1}


def test_exit_1_is_retried_as_often_as_the_task_says(runs):
    assert runs["1"] == {"run": "failed", "task": "failed", "try_number": RETRIES + 1, "java_runs": RETRIES + 1}


def test_exit_99_skips_the_task(runs):
    assert runs["99"] == {"run": "success", "task": "skipped", "try_number": 1, "java_runs": 1}


def test_a_hung_step_is_killed_at_its_execution_timeout(runs):
    hang = dict(runs["hang"])
    # Its 3-second timeout, not the 120 seconds it would sleep.
    assert hang.pop("seconds") < 60
    assert hang == {"run": "failed", "task": "failed", "try_number": 1, "java_runs": 1}


def test_a_training_run_of_more_epochs_gets_a_longer_timeout(runs):
    epochs = dict(runs["epochs"])
    assert epochs.pop("seconds") >= 4
    assert epochs == {"run": "success", "task": "success", "try_number": 1, "java_runs": 1}


class FakeDockerClient:
    """The part of docker's APIClient that DockerOperator uses to run a container, which exits with `code`."""

    def __init__(self, code: int):
        self.code = code

    def images(self, name):
        return [{"Id": name}]

    def create_host_config(self, **kwargs):
        return kwargs

    def create_container(self, **kwargs):
        return {"Id": "step"}

    def attach(self, **kwargs):
        return iter([b"error: unknown option '--bad'\n"])

    def start(self, container_id):
        pass

    def wait(self, container_id):
        return {"Error": None, "StatusCode": self.code}

    def remove_container(self, container_id, **kwargs):
        pass


class FakeDockerHook:
    def __init__(self, code: int):
        self.api_client = FakeDockerClient(code)
        self.client_created = True


def docker_step(code: int):
    from nids_operators import StepDockerOperator

    task = StepDockerOperator(task_id="step", image="gnn-nids-tasks:test", command=["/bin/sh", "-c", "exit"],
                              mount_tmp_dir=False, skip_on_exit_code=99)
    task.hook = FakeDockerHook(code)
    return task


def test_the_docker_runner_fails_exits_2_and_3_at_once_and_leaves_exit_1_to_the_retries():
    """DockerOperator's own execute, on a container that exits 2, 3, 1 or 99 (no Docker daemon needed)."""
    from airflow.providers.docker.exceptions import DockerContainerFailedException, DockerContainerFailedSkipException
    from airflow.sdk.exceptions import AirflowFailException

    with pytest.raises(AirflowFailException, match="exited with 2"):
        docker_step(2).execute({})
    with pytest.raises(AirflowFailException, match="exited with 3, its result was refused"):
        docker_step(3).execute({})
    with pytest.raises(DockerContainerFailedException) as failure:
        docker_step(1).execute({})
    assert not isinstance(failure.value, AirflowFailException)
    with pytest.raises(DockerContainerFailedSkipException):
        docker_step(99).execute({})


def test_train_timeout_grows_with_the_runs_epochs():
    from nids_operators import StepBashOperator

    task = StepBashOperator(task_id="train", bash_command="exit 0", execution_timeout=timedelta(hours=4))
    task.epochs_param, task.base_epochs = "max_epochs", 100
    task.pre_execute({"params": {"max_epochs": 300}})
    assert task.execution_timeout == timedelta(hours=12)
    # Fewer epochs keep the whole budget; a second try starts from the budget, not from the last try's timeout.
    task.pre_execute({"params": {"max_epochs": 30}})
    assert task.execution_timeout == timedelta(hours=4)
    task.pre_execute({"params": {"max_epochs": 150}})
    assert task.execution_timeout == timedelta(hours=6)
