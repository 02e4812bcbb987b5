"""Real services for the end-to-end test, each on free 127.0.0.1 ports with its state in a temp folder: a
single-node Kafka (KRaft) from the Maven Central jars, as infrastructure/local/kafka.sh runs it, and an MLflow
server (SQLite, proxied artifacts) from this environment."""

from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
KAFKA_CONF = REPO_ROOT / "infrastructure" / "kafka"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Service:
    """A child process in its own process group, stopped (then killed) with that group."""

    def __init__(self, name: str, args: list[str], log: Path, env: dict[str, str] | None = None):
        self.name = name
        self.log = log
        self._log_file = open(log, "ab")
        self.process = subprocess.Popen(args, stdout=self._log_file, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env=env, start_new_session=True)

    def wait_until(self, ready, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode} while starting: see {self.log}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} was not ready after {timeout_s} s: see {self.log}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()


def kafka_classpath(state: Path) -> str:
    # The classpath `make local-up` resolved is reused; otherwise Maven resolves it (offline first).
    cached = REPO_ROOT / ".local" / "kafka" / "classpath.txt"
    fresh = cached.is_file() and cached.stat().st_mtime >= (KAFKA_CONF / "pom.xml").stat().st_mtime
    if fresh and cached.stat().st_size:
        return cached.read_text().strip()
    out = state / "classpath.txt"
    base = ["mvn", "-q", "-B", "-f", str(KAFKA_CONF / "pom.xml"), "dependency:build-classpath",
            f"-Dmdep.outputFile={out}"]
    if subprocess.run(base[:1] + ["-o"] + base[1:]).returncode != 0:
        subprocess.run(base, check=True)
    return out.read_text().strip()


def cluster_id() -> str:
    """A Kafka cluster id (16 bytes, base64url); one starting with '-' would read as an option."""
    while True:
        candidate = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not candidate.startswith("-"):
            return candidate


def start_kafka(state: Path) -> tuple[Service, str]:
    state.mkdir(parents=True, exist_ok=True)
    port, controller_port = free_port(), free_port()
    props = (KAFKA_CONF / "server.properties").read_text() \
        .replace("@PORT@", str(port)).replace("@CONTROLLER_PORT@", str(controller_port)) \
        .replace("@DATA_DIR@", str(state / "data"))
    (state / "server.properties").write_text(props)
    java = shutil.which("java")
    jvm = [java, "-Xmx512m", "-XX:+UseSerialGC", f"-Dlog4j2.configurationFile={KAFKA_CONF / 'log4j2.properties'}",
           "-cp", kafka_classpath(state)]
    subprocess.run(jvm + ["kafka.tools.StorageTool", "format", "-t", cluster_id(),
                          "-c", str(state / "server.properties"), "--ignore-formatted"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kafka = Service("kafka", jvm + ["kafka.Kafka", str(state / "server.properties")], state / "kafka.log")
    kafka.wait_until(lambda: port_open(port) and b"Kafka Server started" in kafka.log.read_bytes(), 120)
    return kafka, f"127.0.0.1:{port}"


def start_mlflow(state: Path) -> tuple[Service, str]:
    state.mkdir(parents=True, exist_ok=True)
    port = free_port()
    mlflow = Path(sys.executable).parent / "mlflow"
    server = Service("mlflow", [str(mlflow), "server", "--host", "127.0.0.1", "--port", str(port),
                                "--backend-store-uri", f"sqlite:///{state / 'mlflow.db'}",
                                "--artifacts-destination", (state / "artifacts").as_uri(),
                                "--serve-artifacts", "--workers", "1"], state / "mlflow.log",
                     env=dict(os.environ, MLFLOW_ENABLE_TELEMETRY="false", DO_NOT_TRACK="true"))
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    server.wait_until(healthy, 120)
    return server, url


def marked(mark: str) -> set[int]:
    """Processes whose environment holds `mark`: every process started by make and its descendants that were not
    renamed (process titles overwrite the environment)."""
    found = set()
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mark.encode() in environ.read_bytes().split(b"\0"):
                found.add(int(environ.parent.name))
        except OSError:
            pass
    return found
