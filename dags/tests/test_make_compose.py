"""The Makefile's compose targets (up, down, status, health, logs, logs-<service>, clean, verify) as an operator runs
them, against a fake `docker` first on PATH: it records each command and answers `compose config --services`,
`compose config` and `compose ps` as Docker Compose v2 does. No Docker engine is needed; what is checked is the exact
compose command each target runs, that `up` refuses a missing or example .env and an executor its profiles do not run,
how `health` reads the services' states (a scaled service's too), and that `clean` deletes the volumes only when told
to."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO_ROOT

SERVICES = ("kafka", "kafka-init", "minio", "minio-init", "postgres", "mlflow", "airflow-init", "airflow-apiserver")
HEALTHY = {"kafka": "running|healthy|0", "kafka-init": "exited||0", "minio": "running|healthy|0",
           "minio-init": "exited||0", "postgres": "running|healthy|0", "mlflow": "running|healthy|0",
           "airflow-init": "exited||0", "airflow-apiserver": "running|healthy|0"}
# The celery profile's services, which `compose config --services` lists when the profile is enabled.
CELERY_SERVICES = ("redis", "airflow-worker-duckdb", "airflow-worker")
FAKE_DOCKER = """#!/usr/bin/env bash
# Records its arguments, a line per call; answers what the compose targets ask.
printf '%s\\n' "$*" >>"$FAKE_DOCKER_LOG"
case "$*" in
  "compose config --services") printf '%s\\n' $FAKE_SERVICES ;;
  "compose config") printf '    environment:\\n      AIRFLOW__CORE__EXECUTOR: %s\\n' $FAKE_EXECUTOR
    printf '      AIRFLOW__CELERY__BROKER_URL: %s\\n' $FAKE_BROKER ;;
  "compose ps --all --format "*) cat "$FAKE_PS" ;;
esac
"""


class Repo:
    """The Makefile and the compose scripts in a folder of their own, a fake docker on PATH, a filled-in .env."""

    def __init__(self, tmp_path: Path):
        self.root = tmp_path / "repo"
        (self.root / "infrastructure").mkdir(parents=True)
        shutil.copy2(REPO_ROOT / "Makefile", self.root / "Makefile")
        shutil.copytree(REPO_ROOT / "infrastructure" / "compose", self.root / "infrastructure" / "compose")
        self.env_file = self.root / ".env"
        self.env_file.write_text("POSTGRES_PASSWORD=a-real-secret\n")
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        (bin_dir / "docker").write_text(FAKE_DOCKER)
        (bin_dir / "docker").chmod(0o755)
        self.log = tmp_path / "docker.log"
        self.ps = tmp_path / "ps.txt"
        self.states(HEALTHY)
        self.env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", FAKE_DOCKER_LOG=str(self.log),
                        FAKE_SERVICES=" ".join(SERVICES), FAKE_PS=str(self.ps), FAKE_EXECUTOR="LocalExecutor",
                        FAKE_BROKER="redis://:@redis:6379/0")

    def states(self, states: dict[str, str]) -> None:
        """What `compose ps` answers: service|state|health|exit code, a line per container."""
        self.ps.write_text("".join(f"{service}|{state}\n" for service, state in states.items()))

    def make(self, *args: str) -> subprocess.CompletedProcess:
        self.log.write_text("")
        return subprocess.run(["make", "--no-print-directory", "MVN=true", *args], cwd=self.root, env=self.env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)

    def docker_calls(self) -> list[str]:
        return self.log.read_text().splitlines()


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path)


PS_FORMAT = "compose ps --all --format {{.Service}}|{{.State}}|{{.Health}}|{{.ExitCode}}"
# What `up` asks before it starts anything: the services its profiles enable and the executor Airflow is given.
EXECUTOR_CHECK = ["compose config --services", "compose config"]


def test_up_builds_and_starts_the_stack_then_waits_until_it_is_healthy(repo):
    result = repo.make("up")
    assert result.returncode == 0, result.stdout + result.stderr
    assert repo.docker_calls() == [*EXECUTOR_CHECK, "compose up -d --build", "compose config --services", PS_FORMAT]
    assert "kafka-init               done" in result.stdout
    assert "airflow-apiserver        healthy" in result.stdout


def test_up_waits_while_a_service_is_starting(repo):
    repo.states({**HEALTHY, "mlflow": "running|starting|0"})
    started = time.monotonic()
    result = repo.make("up", "UP_WAIT=6")
    assert result.returncode != 0, result.stdout
    assert time.monotonic() - started >= 5
    # Asked again after 5 s, then gave up.
    assert repo.docker_calls().count(PS_FORMAT) >= 2
    assert "mlflow                   running, starting: see make logs-mlflow" in result.stdout
    assert "make health: the stack is not healthy" in result.stdout


def test_up_refuses_a_missing_env_file_or_the_examples_secrets(repo):
    repo.env_file.unlink()
    result = repo.make("up")
    assert result.returncode != 0 and "no .env: cp .env.example .env" in result.stdout
    repo.env_file.write_text((REPO_ROOT / ".env.example").read_text())
    result = repo.make("up")
    assert result.returncode != 0 and "replace every CHANGE value" in result.stdout
    assert repo.docker_calls() == []


def test_up_runs_the_celery_profile_with_celery_executor(repo):
    repo.env.update(FAKE_SERVICES=" ".join(SERVICES + CELERY_SERVICES), FAKE_EXECUTOR="CeleryExecutor",
                    FAKE_BROKER="redis://:0f3a9c@redis:6379/0")
    repo.states({**HEALTHY, "redis": "running|healthy|0", "airflow-worker-duckdb": "running|healthy|0",
                 "airflow-worker": "running|healthy|0"})
    result = repo.make("up")
    assert result.returncode == 0, result.stdout + result.stderr
    assert repo.docker_calls() == [*EXECUTOR_CHECK, "compose up -d --build", "compose config --services", PS_FORMAT]
    assert "airflow-worker           healthy" in result.stdout


@pytest.mark.parametrize(("services", "executor", "message"), [
    (SERVICES + CELERY_SERVICES, "LocalExecutor",
     "the profile celery runs Celery workers, but Airflow's executor is LocalExecutor: set "
     "AIRFLOW_EXECUTOR=CeleryExecutor in .env"),
    (SERVICES, "CeleryExecutor",
     "AIRFLOW_EXECUTOR=CeleryExecutor needs the profile celery (its broker and workers): set COMPOSE_PROFILES=celery"),
])
def test_up_refuses_an_executor_that_the_profiles_do_not_run(repo, services, executor, message):
    repo.env.update(FAKE_SERVICES=" ".join(services), FAKE_EXECUTOR=executor)
    result = repo.make("up")
    assert result.returncode != 0
    assert message in result.stdout
    # Nothing was started.
    assert repo.docker_calls() == EXECUTOR_CHECK


@pytest.mark.parametrize("broker", ["redis://:@redis:6379/0", "redis://:a@b@redis:6379/0"])
def test_up_refuses_the_celery_profile_without_a_usable_redis_password(repo, broker):
    repo.env.update(FAKE_SERVICES=" ".join(SERVICES + CELERY_SERVICES), FAKE_EXECUTOR="CeleryExecutor",
                    FAKE_BROKER=broker)
    result = repo.make("up")
    assert result.returncode != 0
    assert "the profile celery's Redis needs a password: set REDIS_PASSWORD in .env" in result.stdout
    assert repo.docker_calls() == EXECUTOR_CHECK


@pytest.mark.parametrize(("target", "command"), [
    ("down", "compose down"),
    ("status", "compose ps --all"),
    ("logs", "compose logs --follow --tail=200"),
    ("logs-kafka-init", "compose logs --follow --tail=200 kafka-init"),
    ("logs-airflow-scheduler", "compose logs --follow --tail=200 airflow-scheduler"),
])
def test_each_target_runs_its_compose_command(repo, target, command):
    result = repo.make(target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert repo.docker_calls() == [command]


def test_the_compose_command_can_be_changed(repo):
    result = repo.make("down", "COMPOSE=docker compose -p other")
    assert result.returncode == 0, result.stderr
    assert repo.docker_calls() == ["compose -p other down"]


def test_health_says_which_service_is_not_as_it_should_be(repo):
    assert repo.make("health").returncode == 0
    states = dict(HEALTHY)
    states["minio-init"] = "exited||1"
    states["kafka"] = "running|unhealthy|0"
    del states["airflow-apiserver"]
    repo.states(states)
    result = repo.make("health")
    assert result.returncode != 0
    assert "minio-init               exited (exit 1): see make logs-minio-init" in result.stdout
    assert "kafka                    running, unhealthy: see make logs-kafka" in result.stdout
    assert "airflow-apiserver        not created" in result.stdout
    assert "postgres                 healthy" in result.stdout


def test_health_wants_every_container_of_a_scaled_service(repo):
    repo.env.update(FAKE_SERVICES=" ".join(SERVICES + ("airflow-worker",)))
    worker = "airflow-worker|running|healthy|0"
    repo.ps.write_text(repo.ps.read_text() + f"{worker}\n{worker}\n{worker}\n")
    result = repo.make("health")
    assert result.returncode == 0, result.stdout
    assert "airflow-worker           healthy (3 of 3 containers fine)" in result.stdout
    repo.ps.write_text(repo.ps.read_text().replace(worker, "airflow-worker|running|starting|0", 1))
    result = repo.make("health")
    assert result.returncode != 0
    assert ("airflow-worker           running, starting: see make logs-airflow-worker (2 of 3 containers fine)"
            in result.stdout)
    # A service of one container reads as before.
    assert "postgres                 healthy\n" in result.stdout


def test_clean_keeps_the_volumes_unless_confirmed(repo):
    result = repo.make("clean")
    assert result.returncode == 0, result.stderr
    assert repo.docker_calls() == []
    assert "volumes are kept" in result.stdout
    result = repo.make("clean", "CONFIRM=no")
    assert repo.docker_calls() == []
    result = repo.make("clean", "CONFIRM=yes")
    assert result.returncode == 0, result.stderr
    assert repo.docker_calls() == ["compose down --volumes --remove-orphans"]


def clean_at_a_terminal(repo: Repo, answer: bytes) -> str:
    """`make clean` at a terminal, typing `answer` at its question; what it printed."""
    repo.log.write_text("")
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(repo.root)
        os.execvpe("make", ["make", "--no-print-directory", "MVN=true", "clean"], repo.env)
    output, answered = b"", False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 1)[0]:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if not answered and b"[y/N]" in output:
                os.write(fd, answer)
                answered = True
    os.waitpid(pid, 0)
    os.close(fd)
    assert answered, output
    return output.decode(errors="replace")


def test_clean_asks_at_a_terminal_before_it_deletes_the_volumes(repo):
    output = clean_at_a_terminal(repo, b"\n")
    assert "Also delete the compose stack and its volumes" in output
    assert repo.docker_calls() == []
    clean_at_a_terminal(repo, b"n\n")
    assert repo.docker_calls() == []
    clean_at_a_terminal(repo, b"y\n")
    assert repo.docker_calls() == ["compose down --volumes --remove-orphans"]


def test_clean_without_docker_only_removes_the_build_outputs(repo):
    result = repo.make("clean", "CONFIRM=yes", "COMPOSE=no-docker-here compose")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "true -B -ntp -q clean\n"


def test_verify_runs_replay_in_the_schedulers_container(repo):
    result = repo.make("-n", "verify")
    assert ('VERIFY_REPLAY="docker compose exec -T airflow-scheduler java -jar /opt/gnn-nids/jars/replay.jar" '
            "python3 infrastructure/compose/verify.py") in result.stdout, result.stdout
