"""The compose stack's MLflow behind its basic-auth app, run here as its image runs it: infrastructure/mlflow/serve.py
writes the app's configuration from the environment, and `mlflow server --app-name basic-auth` reads it (on SQLite
instead of Postgres). /health answers everyone, so the health check needs no credentials; the API refuses a request
without them and serves MLflow's client signing in with MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, as
the steps do; a password changed in the environment replaces the admin's at the next start."""

from __future__ import annotations

import base64
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import services

pytest.importorskip("flask_wtf", reason="MLflow's basic-auth app needs Flask-WTF (mlflow[auth]): run make venv")
sys.path.insert(0, str(services.REPO_ROOT / "infrastructure" / "mlflow"))
import serve  # noqa: E402

USER = "gnn-nids"
# Longer than 12 characters, as MLflow asks, and with a % that configparser would otherwise take for interpolation.
PASSWORD = "first-password-50%-strong"
SEARCH = "/api/2.0/mlflow/experiments/search?max_results=1"


def status(url: str, user: str | None = None, password: str | None = None) -> int:
    headers = {}
    if user:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def start(state: Path, password: str) -> tuple[services.Service, str]:
    """MLflow as serve.py starts it, with the admin's password `password`."""
    database = f"sqlite:///{state / 'mlflow.db'}"
    config = state / "basic_auth.ini"
    serve.write_auth_config(str(config), database, USER, password)
    serve.sync_admin_password(database, USER, password)
    port = services.free_port()
    env = dict(os.environ, MLFLOW_AUTH_CONFIG_PATH=str(config), MLFLOW_FLASK_SERVER_SECRET_KEY="test-secret-key",
               MLFLOW_ENABLE_TELEMETRY="false", DO_NOT_TRACK="true")
    mlflow = Path(sys.executable).parent / "mlflow"
    server = services.Service("mlflow", [str(mlflow), "server", "--app-name", "basic-auth", "--host", "127.0.0.1",
                                         "--port", str(port), "--workers", "1", "--backend-store-uri", database,
                                         "--artifacts-destination", (state / "artifacts").as_uri(),
                                         "--serve-artifacts"], state / "mlflow.log", env=env)
    url = f"http://127.0.0.1:{port}"
    server.wait_until(lambda: services.port_open(port) and status(url + "/health") == 200, 120)
    return server, url


def test_mlflow_asks_for_credentials_and_the_steps_client_signs_in(tmp_path, monkeypatch):
    server, url = start(tmp_path, PASSWORD)
    try:
        assert status(url + "/health") == 200
        assert status(url + SEARCH) == 401
        assert status(url + SEARCH, USER, "a-wrong-password") == 401
        assert status(url + SEARCH, USER, PASSWORD) == 200

        # MLflow's own client, signing in from the environment as the steps do.
        import mlflow

        monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", USER)
        monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", PASSWORD)
        client = mlflow.MlflowClient(tracking_uri=url)
        experiment = client.create_experiment("gnn-nids-auth-test")
        run = client.create_run(experiment)
        client.log_metric(run.info.run_id, "test_pr_auc", 0.97)
        client.create_registered_model("gnn-nids-auth-test")
        assert client.get_run(run.info.run_id).data.metrics == {"test_pr_auc": 0.97}
        monkeypatch.delenv("MLFLOW_TRACKING_PASSWORD")
        with pytest.raises(mlflow.exceptions.MlflowException):
            client.get_run(run.info.run_id)
    finally:
        server.stop()

    # A new password in the environment replaces the admin's at the next start.
    server, url = start(tmp_path, "second-password-long-enough")
    try:
        assert status(url + SEARCH, USER, PASSWORD) == 401
        assert status(url + SEARCH, USER, "second-password-long-enough") == 200
    finally:
        server.stop()
