"""The Docker deployment files, checked without Docker: docker-compose.yml and its docker-runner override parse,
hold every service with a health check, give Airflow the settings the steps read, publish ports on 127.0.0.1 only,
take every secret from .env (which .env.example lists, with every other variable the files read), and agree with the
DAGs on image, jar folder, network and volume names. Secured by default: MLflow behind its basic-auth app, the steps
signing in to it and to MinIO as an application user (never MinIO's root), every Kafka client given the properties
file of NIDS_KAFKA_CLIENT_PROPERTIES. The profile `celery` runs CeleryExecutor (Redis, a worker for the DuckDB queue
where the file is, scalable workers for the rest) and nothing of it runs, nor is Celery the executor, without it. The
init scripts run against stand-ins of kafka-topics.sh and mc, every file a Dockerfile copies exists, and
`docker-compose config` validates every combination of files and profiles where that binary is installed."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"
DOCKER_RUNNER = REPO_ROOT / "docker-compose.docker-runner.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"

AIRFLOW_SERVICES = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer")
# The profile `celery`: CeleryExecutor's broker and workers.
CELERY_WORKERS = ("airflow-worker-duckdb", "airflow-worker")
CELERY = ("redis",) + CELERY_WORKERS
LONG_RUNNING = ("kafka", "minio", "postgres", "mlflow") + AIRFLOW_SERVICES + CELERY
RUN_ONCE = ("kafka-init", "minio-init", "airflow-init")
# The configuration names of the design (ARCHITECTURE, Configuration): the steps read them from the worker.
STEP_SETTINGS = ("KAFKA_BOOTSTRAP_SERVERS", "NIDS_KAFKA_PROPERTIES", "NIDS_TOPIC", "NIDS_ALERTS_TOPIC",
                 "NIDS_GROUP_ID", "NIDS_WORK_DIR", "NIDS_DUCKDB_PATH", "NIDS_COLD_URI", "NIDS_ARCHIVE_URI",
                 "NIDS_MODEL_NAME", "MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD",
                 "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION")
SECRETS = ("POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "MINIO_APP_PASSWORD", "MLFLOW_TRACKING_PASSWORD",
           "MLFLOW_SECRET_KEY", "AIRFLOW_ADMIN_PASSWORD", "AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET",
           "AIRFLOW_API_SECRET_KEY")
KAFKA_PROPERTIES = "/run/secrets/kafka-client.properties"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def docker_runner() -> dict:
    return yaml.safe_load(DOCKER_RUNNER.read_text())


def env_example(optional: bool = False) -> dict[str, str]:
    """The NAME=value lines of .env.example; with `optional`, also the commented-out ones (`# NAME=default`)."""
    line_pattern = r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$" if optional else r"^()([A-Z][A-Z0-9_]*)=(.*)$"
    return {match[1]: match[2].strip() for match in re.findall(line_pattern, ENV_EXAMPLE.read_text(), re.M)}


def compose_variables(*files: Path) -> set[str]:
    """Every variable the files read (${NAME}, ${NAME:-default}, ${NAME:?message}); $$ is a literal dollar."""
    text = "".join(file.read_text() for file in files).replace("$$", "")
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text))


def test_compose_runs_the_whole_stack(compose):
    assert set(compose["services"]) == set(LONG_RUNNING + RUN_ONCE)


def test_every_long_running_service_has_a_health_check(compose):
    for name in LONG_RUNNING:
        healthcheck = compose["services"][name].get("healthcheck")
        assert healthcheck and healthcheck.get("test"), f"{name} has no health check"


def test_services_start_after_what_they_need_is_healthy(compose):
    services = compose["services"]
    for name in AIRFLOW_SERVICES + CELERY_WORKERS:
        needs = services[name]["depends_on"]
        for dependency in ("airflow-init", "kafka-init", "minio-init"):
            assert needs[dependency] == {"condition": "service_completed_successfully"}, (name, dependency)
        for dependency in ("postgres", "mlflow"):
            assert needs[dependency] == {"condition": "service_healthy"}, (name, dependency)
    for name in CELERY_WORKERS:
        assert services[name]["depends_on"]["redis"] == {"condition": "service_healthy"}, name
    assert services["mlflow"]["depends_on"]["minio-init"] == {"condition": "service_completed_successfully"}
    assert services["kafka-init"]["depends_on"]["kafka"] == {"condition": "service_healthy"}
    assert services["minio-init"]["depends_on"]["minio"] == {"condition": "service_healthy"}


def test_airflow_gives_the_steps_every_setting(compose):
    for name in AIRFLOW_SERVICES + CELERY_WORKERS + ("airflow-init",):
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
    # Every secret is an example to replace: `make up` refuses to start on a CHANGE value.
    assert all(env_example()[secret].startswith("CHANGE") for secret in SECRETS)


def test_env_example_lists_every_variable_the_compose_files_read():
    listed = set(env_example(optional=True))
    missing = compose_variables(COMPOSE, DOCKER_RUNNER) - listed
    assert not missing, f"read by the compose files, missing from .env.example: {sorted(missing)}"


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
    for name in AIRFLOW_SERVICES + CELERY_WORKERS:
        assert services[name]["environment"]["NIDS_RUNNER"] == "docker", name
    # The Celery workers run the tasks, so they start the step containers as the scheduler does with LocalExecutor.
    for name in CELERY_WORKERS:
        for key in ("group_add", "volumes", "depends_on"):
            assert services[name][key] == services["airflow-scheduler"][key], (name, key)


def test_the_celery_profile_runs_only_when_enabled(compose):
    """Without the profile the stack is the LocalExecutor one: no broker, no worker, the scheduler runs the tasks."""
    services = compose["services"]
    enabled = {name: service.get("profiles") for name, service in services.items()}
    assert {name for name, names in enabled.items() if names} == set(CELERY)
    assert all(enabled[name] == ["celery"] for name in CELERY)
    airflow = compose["x-airflow-common"]["environment"]
    assert airflow["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
    for name in AIRFLOW_SERVICES + CELERY_WORKERS + ("airflow-init",):
        assert services[name]["environment"]["AIRFLOW__CORE__EXECUTOR"] == airflow["AIRFLOW__CORE__EXECUTOR"], name
    # The broker is the profile's Redis; the results go to Airflow's own database in the stack's Postgres.
    assert airflow["AIRFLOW__CELERY__BROKER_URL"] == "redis://:${REDIS_PASSWORD:-}@redis:6379/0"
    database = airflow["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert airflow["AIRFLOW__CELERY__RESULT_BACKEND"] == "db+" + database
    assert database.endswith("@postgres:5432/airflow")
    # .env.example enables the profile and the executor together.
    optional = env_example(optional=True)
    assert optional["COMPOSE_PROFILES"] == "celery" and optional["AIRFLOW_EXECUTOR"] == "CeleryExecutor"
    assert "COMPOSE_PROFILES" not in env_example() and "AIRFLOW_EXECUTOR" not in env_example()


def test_redis_is_the_official_image_on_the_private_network(compose):
    redis = compose["services"]["redis"]
    assert re.fullmatch(r"redis:[0-9.]+", redis["image"])
    assert "ports" not in redis and "volumes" not in redis
    # It asks for the password the broker's URL holds; its health check gives it too (redis-cli reads REDISCLI_AUTH).
    assert redis["environment"]["REDISCLI_AUTH"] == "${REDIS_PASSWORD:-}"
    assert redis["command"] == ["redis-server", "--requirepass", "${REDIS_PASSWORD:-}"]
    assert redis["healthcheck"]["test"] == ["CMD-SHELL", "redis-cli ping | grep -qx PONG"]


def test_the_workers_scale_and_check_their_own_node(compose):
    services = compose["services"]
    for name in CELERY:
        assert not {"container_name", "hostname", "ports"} & set(services[name]), name
    assert services["airflow-worker"]["deploy"]["replicas"] == "${AIRFLOW_CELERY_WORKERS:-1}"
    # One worker holds the DuckDB file: it is not scaled.
    assert "deploy" not in services["airflow-worker-duckdb"]
    for name in CELERY_WORKERS:
        worker = services[name]
        assert worker["image"] == compose["x-airflow-common"]["image"], name
        # Each container answers for its own Celery node (celery@<container hostname>).
        check = " ".join(worker["healthcheck"]["test"])
        assert "celery --app airflow.providers.celery.executors.celery_executor.app inspect ping" in check
        assert '-d "celery@$${HOSTNAME}"' in check
        # Docker's stop signal reaches the Celery worker alone, which then finishes its running tasks.
        assert worker["environment"]["DUMB_INIT_SETSID"] == "0"
        assert worker["restart"] == "unless-stopped"


def test_the_duckdb_worker_serves_its_queue_where_the_file_is(compose):
    services = compose["services"]
    airflow = compose["x-airflow-common"]["environment"]
    queue = airflow["NIDS_DUCKDB_QUEUE"]
    assert queue == "${NIDS_DUCKDB_QUEUE:-duckdb}"
    duckdb = services["airflow-worker-duckdb"]
    # Two at a time: one task of the `duckdb` pool, and infer beside it.
    assert duckdb["command"] == ["celery", "worker", "--queues", queue, "--concurrency", "2"]
    # The file's folder is on the volume the worker mounts (as every Airflow container does).
    mounts = dict(volume.split(":", 1)[::-1] for volume in duckdb["volumes"])
    assert mounts["/data"] == "nids-data"
    assert Path(airflow["NIDS_DUCKDB_PATH"]).parent == Path("/data")
    assert duckdb["environment"]["NIDS_DUCKDB_PATH"] == airflow["NIDS_DUCKDB_PATH"]
    # Every other task is on Airflow's default queue, which a worker serves when given no --queues.
    assert services["airflow-worker"]["command"] == ["celery", "worker"]
    assert services["airflow-worker"]["volumes"] == duckdb["volumes"]


def worker_entrypoint(tmp_path: Path, compose: dict, executor: str) -> subprocess.CompletedProcess:
    """Runs a worker's entrypoint as its container would, with a stand-in for the image's /entrypoint that prints
    what it is given, and AIRFLOW__CORE__EXECUTOR set to `executor`."""
    entrypoint = compose["services"]["airflow-worker"]["entrypoint"]
    assert entrypoint[:5] == ["/usr/bin/dumb-init", "--", "bash", "-c", entrypoint[4]]
    stand_in = tmp_path / "entrypoint"
    stand_in.write_text('#!/usr/bin/env bash\necho "entrypoint $*"\n')
    stand_in.chmod(0o755)
    # Compose turns $$ into $.
    script = entrypoint[4].replace("$$", "$").replace("/entrypoint", str(stand_in))
    command = compose["services"]["airflow-worker-duckdb"]["command"]
    return subprocess.run(["bash", "-c", script, *entrypoint[5:], *command], capture_output=True, text=True,
                          env=dict(os.environ, AIRFLOW__CORE__EXECUTOR=executor), timeout=30)


def test_a_worker_beside_local_executor_refuses_to_start(tmp_path, compose):
    result = worker_entrypoint(tmp_path, compose, "LocalExecutor")
    assert result.returncode == 2
    assert "the celery profile's workers need AIRFLOW_EXECUTOR=CeleryExecutor in .env" in result.stderr
    assert result.stdout == ""
    result = worker_entrypoint(tmp_path, compose, "CeleryExecutor")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "entrypoint celery worker --queues ${NIDS_DUCKDB_QUEUE:-duckdb} --concurrency 2\n"
    # The entrypoint it hands over to is the Airflow image's own: the Dockerfile keeps it.
    dockerfile = (REPO_ROOT / "airflow" / "Dockerfile").read_text()
    assert "ENTRYPOINT" not in dockerfile and re.search(r"^FROM apache/airflow:", dockerfile, re.M)


def test_the_images_install_the_providers_of_the_requirements():
    """The Airflow image installs each provider (and celery) at the version .venv pins, the celery one included."""
    pins = dict(re.findall(r"^(apache-airflow[a-z-]*|celery)==(\S+)$",
                           (REPO_ROOT / "airflow" / "requirements.txt").read_text(), re.M))
    dockerfile = re.sub(r"\\\n", " ", (REPO_ROOT / "airflow" / "Dockerfile").read_text())
    installed = dict(re.findall(r"\b(apache-airflow[a-z-]*|celery)==(\S+)", dockerfile))
    assert installed == pins
    assert "apache-airflow-providers-celery" in pins and "celery" in pins


def profiles(*files: Path) -> set[str]:
    return {profile for file in files for service in yaml.safe_load(file.read_text())["services"].values()
            for profile in service.get("profiles", [])}


# Every combination of files an operator may run: the stack alone and with the docker runner, each with no profile
# and with each profile a service declares.
COMBINATIONS = [(files, profile) for files in ((COMPOSE,), (COMPOSE, DOCKER_RUNNER))
                for profile in (None, *sorted(profiles(*files)))]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
@pytest.mark.parametrize(("files", "profile"), COMBINATIONS,
                         ids=["+".join(f.name for f in files) + (f"+{p}" if p else "") for files, p in COMBINATIONS])
def test_docker_compose_accepts_the_files(files, profile):
    args = ["docker-compose", "--env-file", str(ENV_EXAMPLE)]
    for file in files:
        args += ["-f", str(file)]
    if profile:
        args += ["--profile", profile]
    # What .env adds for the docker runner.
    env = dict(os.environ, DOCKER_GID="999", NIDS_KAFKA_CLIENT_PROPERTIES="/srv/gnn-nids/kafka-client.properties")
    result = subprocess.run(args + ["config", "-q"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout


def resolved_config(tmp_path: Path, files: tuple[Path, ...], *, celery: bool) -> dict:
    """`docker-compose config` of the files with .env.example, and with its celery lines switched on when asked."""
    env_file = tmp_path / "env"
    text = ENV_EXAMPLE.read_text()
    if celery:
        text = re.sub(r"^# ((COMPOSE_PROFILES|AIRFLOW_EXECUTOR|AIRFLOW_CELERY_WORKERS)=)", r"\1", text, flags=re.M)
    env_file.write_text(text)
    args = ["docker-compose", "--env-file", str(env_file)]
    for file in files:
        args += ["-f", str(file)]
    env = {name: value for name, value in os.environ.items()
           if name not in ("COMPOSE_PROFILES", "AIRFLOW_EXECUTOR", "AIRFLOW_CELERY_WORKERS")}
    env.update(DOCKER_GID="999", NIDS_KAFKA_CLIENT_PROPERTIES="/srv/gnn-nids/kafka-client.properties")
    result = subprocess.run(args + ["config"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
@pytest.mark.parametrize("files", [(COMPOSE,), (COMPOSE, DOCKER_RUNNER)], ids=["stack", "stack+docker-runner"])
@pytest.mark.parametrize("celery", [False, True], ids=["local", "celery"])
def test_the_env_file_switches_the_executor_of_every_airflow_service(tmp_path, files, celery):
    services = resolved_config(tmp_path, files, celery=celery)["services"]
    executors = {name: services[name]["environment"]["AIRFLOW__CORE__EXECUTOR"]
                 for name in AIRFLOW_SERVICES + CELERY_WORKERS + ("airflow-init",)}
    assert set(executors.values()) == {"CeleryExecutor" if celery else "LocalExecutor"}, executors
    assert services["airflow-worker"]["deploy"]["replicas"] == (2 if celery else 1)
    assert "--queues" in services["airflow-worker-duckdb"]["command"]
    assert services["airflow-worker-duckdb"]["command"][3] == "duckdb"
    for name in AIRFLOW_SERVICES + CELERY_WORKERS:
        assert services[name]["environment"]["NIDS_DUCKDB_QUEUE"] == "duckdb", name
    if DOCKER_RUNNER in files:
        for name in CELERY_WORKERS + ("airflow-scheduler",):
            assert services[name]["environment"]["NIDS_RUNNER"] == "docker", name
            assert "/var/run/docker.sock:/var/run/docker.sock:rw" in services[name]["volumes"], name


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
def test_the_docker_runner_asks_for_the_kafka_properties_path():
    args = ["docker-compose", "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE), "-f", str(DOCKER_RUNNER), "config"]
    env = {k: v for k, v in os.environ.items() if k != "NIDS_KAFKA_CLIENT_PROPERTIES"}
    result = subprocess.run(args, cwd=REPO_ROOT, env=dict(env, DOCKER_GID="999"), capture_output=True, text=True)
    assert result.returncode != 0
    assert "set NIDS_KAFKA_CLIENT_PROPERTIES in .env to the absolute path" in result.stderr


def test_kafka_init_creates_the_topics_before_anything_uses_them(compose):
    services = compose["services"]
    init = services["kafka-init"]
    assert init["image"] == services["kafka"]["image"]
    assert init["restart"] == "no"
    assert init["entrypoint"] == ["/bin/bash", "/opt/gnn-nids/init-topics.sh"]
    assert "./infrastructure/kafka/init-topics.sh:/opt/gnn-nids/init-topics.sh:ro" in init["volumes"]
    airflow = compose["x-airflow-common"]["environment"]
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "NIDS_KAFKA_PROPERTIES", "NIDS_TOPIC", "NIDS_ALERTS_TOPIC"):
        assert init["environment"][name] == airflow[name], name
    assert init["environment"]["NIDS_TOPIC_PARTITIONS"] == "${NIDS_TOPIC_PARTITIONS:-3}"


def run_with_stand_in(tmp_path: Path, script: Path, command: str, stand_in: str, env: dict[str, str]) -> list[str]:
    """Runs `script` with `command` replaced by `stand_in` (a shell script that may read $CALLS), which records each
    call's arguments; those calls, one line each."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / command
    fake.write_text('#!/usr/bin/env bash\nprintf "%s\\n" "$*" >>"$CALLS"\n' + stand_in)
    fake.chmod(0o755)
    calls = tmp_path / "calls.txt"
    calls.write_text("")
    full_env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", CALLS=str(calls), **env)
    result = subprocess.run([str(script)], env=full_env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    return calls.read_text().splitlines()


def test_kafka_init_script_creates_the_topics_idempotently(tmp_path):
    script = REPO_ROOT / "infrastructure" / "kafka" / "init-topics.sh"
    env = {"KAFKA_TOPICS": "kafka-topics.sh", "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
           "NIDS_KAFKA_PROPERTIES": KAFKA_PROPERTIES, "NIDS_TOPIC": "zeek-conn", "NIDS_TOPIC_PARTITIONS": "6",
           "NIDS_ALERTS_TOPIC": "nids-alerts"}
    common = f"--bootstrap-server kafka:9092 --command-config {KAFKA_PROPERTIES}"
    assert run_with_stand_in(tmp_path, script, "kafka-topics.sh", "", env) == [
        f"{common} --create --if-not-exists --topic zeek-conn --partitions 6",
        f"{common} --describe --topic zeek-conn",
        f"{common} --create --if-not-exists --topic nids-alerts --partitions 1 --config cleanup.policy=compact",
        f"{common} --describe --topic nids-alerts",
    ]
    # No properties file, no alerts topic.
    env.update(NIDS_KAFKA_PROPERTIES="", NIDS_ALERTS_TOPIC="")
    assert run_with_stand_in(tmp_path, script, "kafka-topics.sh", "", env) == [
        "--bootstrap-server kafka:9092 --create --if-not-exists --topic zeek-conn --partitions 6",
        "--bootstrap-server kafka:9092 --describe --topic zeek-conn",
    ]


def test_every_kafka_client_gets_the_properties_file(compose):
    secret = compose["secrets"]["kafka-client-properties"]
    assert secret["file"] == "${NIDS_KAFKA_CLIENT_PROPERTIES:-./infrastructure/kafka/client.properties}"
    for name in AIRFLOW_SERVICES + CELERY_WORKERS + ("airflow-init", "kafka-init"):
        service = compose["services"][name]
        assert service["environment"]["NIDS_KAFKA_PROPERTIES"] == KAFKA_PROPERTIES, name
        assert {"source": "kafka-client-properties", "target": Path(KAFKA_PROPERTIES).name} in service["secrets"], name
    bootstrap = compose["x-airflow-common"]["environment"]["KAFKA_BOOTSTRAP_SERVERS"]
    assert bootstrap == "${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
    # The default file sets nothing: the stack's own broker is plaintext on its private network.
    default = REPO_ROOT / "infrastructure" / "kafka" / "client.properties"
    assert [line for line in default.read_text().splitlines() if line.strip() and not line.startswith("#")] == []


def properties(path: Path) -> dict[str, str]:
    """A Java properties file's settings, continuation lines joined as java.util.Properties joins them."""
    text = re.sub(r"\\\n\s*", "", path.read_text())
    pairs = (line.split("=", 1) for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_the_kafka_properties_example_shows_tls_and_sasl():
    example = properties(REPO_ROOT / "infrastructure" / "kafka" / "client-sasl-ssl.properties.example")
    assert example["security.protocol"] == "SASL_SSL"
    assert example["sasl.mechanism"].startswith("SCRAM-SHA-")
    assert example["sasl.jaas.config"].startswith("org.apache.kafka.common.security.scram.ScramLoginModule required ")
    assert example["sasl.jaas.config"].endswith(";")
    assert example["ssl.truststore.type"] == "PEM"
    assert re.fullmatch(r"-----BEGIN CERTIFICATE----- .+ -----END CERTIFICATE-----",
                        example["ssl.truststore.certificates"])
    # Filled-in copies hold secrets: git ignores them.
    ignored = subprocess.run(["git", "check-ignore", "-q", "infrastructure/kafka/client-sasl-ssl.properties"],
                             cwd=REPO_ROOT)
    assert ignored.returncode == 0


def test_minio_root_credentials_stay_in_minio_and_its_init(compose):
    for name, service in compose["services"].items():
        uses_root = "MINIO_ROOT_PASSWORD" in json.dumps(service.get("environment", {}))
        assert uses_root == (name in ("minio", "minio-init")), name
    for environment in (compose["x-airflow-common"]["environment"], compose["services"]["mlflow"]["environment"]):
        assert environment["AWS_ACCESS_KEY_ID"] == "${MINIO_APP_USER:?set MINIO_APP_USER in .env}"
        assert environment["AWS_SECRET_ACCESS_KEY"] == "${MINIO_APP_PASSWORD:?set MINIO_APP_PASSWORD in .env}"
    init = compose["services"]["minio-init"]
    assert init["entrypoint"] == ["/bin/sh", "/opt/gnn-nids/init.sh"]
    assert "./infrastructure/minio/init.sh:/opt/gnn-nids/init.sh:ro" in init["volumes"]


def test_minio_init_gives_the_application_user_the_projects_buckets_only(tmp_path):
    policy = tmp_path / "policy.json"
    # The stand-in keeps the policy file `mc admin policy create ALIAS NAME FILE` is given.
    stand_in = f'if [[ "$1 $2 $3" == "admin policy create" ]]; then cp "$6" {policy}; fi\n'
    env = {"MINIO_ROOT_USER": "root", "MINIO_ROOT_PASSWORD": "root-secret", "MINIO_APP_USER": "app",
           "MINIO_APP_PASSWORD": "app-secret", "NIDS_COLD_BUCKET": "cold", "NIDS_ARCHIVE_BUCKET": "archive",
           "MLFLOW_BUCKET": "models"}
    calls = run_with_stand_in(tmp_path, REPO_ROOT / "infrastructure" / "minio" / "init.sh", "mc", stand_in, env)
    assert calls == [
        "alias set local http://minio:9000 root root-secret",
        "mb --ignore-existing local/cold", "mb --ignore-existing local/archive", "mb --ignore-existing local/models",
        "admin policy create local gnn-nids-app /tmp/gnn-nids-app-policy.json",
        "admin user add local app app-secret",
        "admin policy attach local gnn-nids-app --user app",
    ]
    statements = json.loads(policy.read_text())["Statement"]
    assert {statement["Effect"] for statement in statements} == {"Allow"}
    resources = {resource for statement in statements for resource in statement["Resource"]}
    buckets = {f"arn:aws:s3:::{bucket}" for bucket in ("cold", "archive", "models")}
    assert resources == buckets | {f"{arn}/*" for arn in buckets}
    actions = {action for statement in statements for action in statement["Action"]}
    assert {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"} <= actions
    assert not any(action.endswith("*") or action.startswith("admin:") for action in actions)


def test_mlflow_runs_behind_its_basic_auth_app(compose):
    mlflow = compose["services"]["mlflow"]
    environment = mlflow["environment"]
    airflow = compose["x-airflow-common"]["environment"]
    # Its admin is the user the steps sign in as, with MLflow's own client variables.
    assert environment["MLFLOW_ADMIN_USERNAME"] == airflow["MLFLOW_TRACKING_USERNAME"]
    assert environment["MLFLOW_ADMIN_PASSWORD"] == airflow["MLFLOW_TRACKING_PASSWORD"]
    assert environment["MLFLOW_FLASK_SERVER_SECRET_KEY"] == "${MLFLOW_SECRET_KEY:?set MLFLOW_SECRET_KEY in .env}"
    assert "command" not in mlflow and "entrypoint" not in mlflow
    dockerfile = (REPO_ROOT / "infrastructure" / "mlflow" / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["python", "/opt/gnn-nids/serve.py"]' in dockerfile
    assert re.search(r"Flask-WTF==[0-9.]+", dockerfile)
    serve = (REPO_ROOT / "infrastructure" / "mlflow" / "serve.py").read_text()
    assert '"--app-name", "basic-auth"' in serve
    # The health check needs no credentials: the basic-auth app leaves /health open.
    assert "http://localhost:5000/health" in " ".join(mlflow["healthcheck"]["test"])


def test_airflows_admin_password_comes_from_the_env_file(compose):
    init = compose["services"]["airflow-init"]
    assert init["environment"]["AIRFLOW_ADMIN_PASSWORD"] == \
        "${AIRFLOW_ADMIN_PASSWORD:?set AIRFLOW_ADMIN_PASSWORD in .env}"
    assert "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE" in init["command"][-1]
    for name in AIRFLOW_SERVICES + CELERY_WORKERS:
        assert "AIRFLOW_ADMIN_PASSWORD" not in compose["services"][name]["environment"], name


def mounted_scripts(*documents: dict) -> list[Path]:
    """The scripts the compose files mount into a container (./path:target)."""
    return [REPO_ROOT / volume.split(":", 1)[0] for document in documents
            for service in document["services"].values() for volume in service.get("volumes", [])
            if isinstance(volume, str) and volume.startswith("./")]


def test_every_mounted_script_exists_and_passes_shellcheck(compose, docker_runner):
    scripts = mounted_scripts(compose, docker_runner)
    assert {script.name for script in scripts} == {"init-topics.sh", "init.sh", "init-databases.sh"}
    # make lint-scripts shellchecks every *.sh; here they are checked on their own as well.
    shellcheck = REPO_ROOT / ".venv" / "bin" / "shellcheck"
    result = subprocess.run([str(shellcheck), *map(str, scripts)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def dockerfile_copies(dockerfile: Path, context: Path) -> list[Path]:
    """The paths of the build context a Dockerfile copies (COPY without --from)."""
    copied = []
    for line in re.sub(r"\\\n", " ", dockerfile.read_text()).splitlines():
        words = line.split()
        if words[:1] != ["COPY"] or any(word.startswith("--from=") for word in words):
            continue
        sources = [word for word in words[1:-1] if not word.startswith("--")]
        copied += [context / source for source in sources]
    return copied


def test_every_file_a_dockerfile_copies_exists(compose, docker_runner):
    builds = [service["build"] for document in (compose, docker_runner) for service in document["services"].values()
              if "build" in service]
    checked = 0
    for build in itertools.chain(builds, [compose["x-airflow-common"]["build"]]):
        context = REPO_ROOT / build["context"]
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        copies = dockerfile_copies(dockerfile, context)
        missing = [str(path.relative_to(REPO_ROOT)) for path in copies if not path.exists()]
        assert not missing, f"{dockerfile.relative_to(REPO_ROOT)} copies what is not there: {missing}"
        checked += len(copies)
    assert checked >= 6
