"""The Docker deployment files, checked without Docker: docker-compose.yml and its docker-runner override parse,
hold every service with a health check, give Airflow the settings the steps read, publish ports on 127.0.0.1 only,
take every secret from .env, and agree with the DAGs on image, jar folder, network and volume names.
`docker-compose config` validates them too where that binary is installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"
DOCKER_RUNNER = REPO_ROOT / "docker-compose.docker-runner.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"

AIRFLOW_SERVICES = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer")
LONG_RUNNING = ("kafka", "minio", "postgres", "mlflow") + AIRFLOW_SERVICES
RUN_ONCE = ("minio-init", "airflow-init")
# The configuration names of the design (ARCHITECTURE, Configuration): the steps read them from the worker.
STEP_SETTINGS = ("KAFKA_BOOTSTRAP_SERVERS", "NIDS_TOPIC", "NIDS_GROUP_ID", "NIDS_WORK_DIR", "NIDS_DUCKDB_PATH",
                 "NIDS_COLD_URI", "NIDS_ARCHIVE_URI", "NIDS_MODEL_NAME", "MLFLOW_TRACKING_URI", "AWS_ENDPOINT_URL",
                 "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION")
SECRETS = ("POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET",
           "AIRFLOW_API_SECRET_KEY")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def docker_runner() -> dict:
    return yaml.safe_load(DOCKER_RUNNER.read_text())


def env_example() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in ENV_EXAMPLE.read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def test_compose_runs_the_whole_stack(compose):
    assert set(compose["services"]) == set(LONG_RUNNING + RUN_ONCE)


def test_every_long_running_service_has_a_health_check(compose):
    for name in LONG_RUNNING:
        healthcheck = compose["services"][name].get("healthcheck")
        assert healthcheck and healthcheck.get("test"), f"{name} has no health check"


def test_services_start_after_what_they_need_is_healthy(compose):
    services = compose["services"]
    for name in AIRFLOW_SERVICES:
        needs = services[name]["depends_on"]
        assert needs["airflow-init"] == {"condition": "service_completed_successfully"}
        for dependency in ("postgres", "kafka", "mlflow"):
            assert needs[dependency] == {"condition": "service_healthy"}, (name, dependency)
    assert services["mlflow"]["depends_on"]["minio-init"] == {"condition": "service_completed_successfully"}


def test_airflow_gives_the_steps_every_setting(compose):
    for name in AIRFLOW_SERVICES + ("airflow-init",):
        environment = compose["services"][name]["environment"]
        missing = [setting for setting in STEP_SETTINGS if not environment.get(setting)]
        assert not missing, f"{name} lacks {missing}"
        assert environment["AIRFLOW__API_AUTH__JWT_SECRET"] == "${AIRFLOW_JWT_SECRET:?set AIRFLOW_JWT_SECRET in .env}"


def test_host_ports_bind_loopback_only(compose, docker_runner):
    for document in (compose, docker_runner):
        for name, service in document["services"].items():
            for port in service.get("ports", []):
                assert isinstance(port, str) and port.startswith("127.0.0.1:"), f"{name} publishes {port!r}"


def test_secrets_come_from_env_file_without_defaults():
    text = COMPOSE.read_text() + DOCKER_RUNNER.read_text()
    for secret in SECRETS:
        uses = re.findall(r"\$\{" + secret + r"([^}]*)\}", text)
        assert uses, f"{secret} is not used"
        assert all(use.startswith(":?") for use in uses), f"{secret} must be required (${{{secret}:?...}}): {uses}"


def test_env_example_names_every_required_variable():
    required = set(re.findall(r"\$\{([A-Z_]+):\?", COMPOSE.read_text()))
    assert required <= set(env_example()), f"missing from .env.example: {required - set(env_example())}"
    assert set(SECRETS) <= required


def test_images_agree_with_the_dags():
    import nids_common

    airflow_pin = re.search(r"^apache-airflow==(\S+)$", (REPO_ROOT / "airflow" / "requirements.txt").read_text(), re.M)
    airflow_dockerfile = (REPO_ROOT / "airflow" / "Dockerfile").read_text()
    tasks_dockerfile = (REPO_ROOT / "tasks" / "Dockerfile").read_text()
    assert f"FROM apache/airflow:{airflow_pin.group(1)}" in airflow_dockerfile
    assert f"NIDS_JARS_DIR={nids_common.IMAGE_JARS_DIR}" in airflow_dockerfile
    assert f"{nids_common.IMAGE_JARS_DIR}/" in tasks_dockerfile
    for dockerfile in (airflow_dockerfile, tasks_dockerfile):
        assert "eclipse-temurin:17" in dockerfile


def test_docker_runner_matches_the_stack(compose, docker_runner):
    services = docker_runner["services"]
    environment = services["airflow-scheduler"]["environment"]
    assert environment["NIDS_RUNNER"] == "docker"
    assert environment["NIDS_TASKS_IMAGE"] == services["tasks-image"]["image"]
    assert services["tasks-image"]["build"]["dockerfile"] == "tasks/Dockerfile"
    assert environment["NIDS_DOCKER_NETWORK"] == compose["networks"]["default"]["name"]
    assert environment["NIDS_DOCKER_DATA_VOLUME"] == compose["volumes"]["nids-data"]["name"]
    assert environment["NIDS_DOCKER_DATA_PATH"] == "/data"
    assert "/var/run/docker.sock:/var/run/docker.sock" in services["airflow-scheduler"]["volumes"]
    # Every component that parses the DAG files builds the same operators.
    for name in AIRFLOW_SERVICES:
        assert services[name]["environment"]["NIDS_RUNNER"] == "docker", name


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
@pytest.mark.parametrize("files", [(COMPOSE,), (COMPOSE, DOCKER_RUNNER)], ids=["stack", "with-docker-runner"])
def test_docker_compose_accepts_the_files(files):
    args = ["docker-compose", "--env-file", str(ENV_EXAMPLE)]
    for file in files:
        args += ["-f", str(file)]
    env = dict(os.environ, DOCKER_GID="999")
    result = subprocess.run(args + ["config", "-q"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
