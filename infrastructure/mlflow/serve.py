"""The compose stack's MLflow server (the image's entrypoint): MLflow's basic-auth app in front of the tracking
server, runs and registry in Postgres, artifacts in MinIO through the server's artifact proxy.

The basic-auth app takes its settings from an ini file (MLFLOW_AUTH_CONFIG_PATH) that cannot refer to the environment,
so this writes one from the container's environment, then becomes `mlflow server`. MLflow creates the admin on its
first start only; on every later one this sets the admin's password to the environment's, so that .env stays the one
place it is changed.

Environment: POSTGRES_USER, POSTGRES_PASSWORD (the databases), MLFLOW_ADMIN_USERNAME, MLFLOW_ADMIN_PASSWORD (the
admin, whom the steps sign in as), MLFLOW_FLASK_SERVER_SECRET_KEY (read by the app itself), MLFLOW_BUCKET.
"""

from __future__ import annotations

import os
import sys
import tempfile
from urllib.parse import quote

# The Host headers MLflow 3 accepts: the container's name is how the steps reach it, 127.0.0.1 how the host does.
ALLOWED_HOSTS = "mlflow,mlflow:5000,localhost,localhost:5000,127.0.0.1,127.0.0.1:5000"


def postgres_uri() -> str:
    """The tracking store; the basic-auth app keeps its users beside it, with a migration table of its own."""
    user, password = (quote(os.environ[name], safe="") for name in ("POSTGRES_USER", "POSTGRES_PASSWORD"))
    return f"postgresql://{user}:{password}@postgres:5432/mlflow"


def write_auth_config(path: str, database_uri: str, username: str, password: str) -> None:
    """The basic-auth app's ini: MLflow reads it with configparser, which takes a lone % for interpolation."""
    values = {"default_permission": "READ", "database_uri": database_uri, "admin_username": username,
              "admin_password": password}
    lines = ["[mlflow]"] + [f"{key} = {value.replace('%', '%%')}" for key, value in values.items()]
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")


def sync_admin_password(database_uri: str, username: str, password: str) -> None:
    """Sets the admin's password to `password` when the admin exists (MLflow creates it on its first start)."""
    from mlflow.server.auth.sqlalchemy_store import SqlAlchemyStore

    store = SqlAlchemyStore()
    store.init_db(database_uri)
    if store.has_user(username):
        store.update_user(username, password=password, is_admin=True)


def main() -> None:
    username, password = os.environ["MLFLOW_ADMIN_USERNAME"], os.environ["MLFLOW_ADMIN_PASSWORD"]
    database = postgres_uri()
    config = os.path.join(tempfile.mkdtemp(prefix="mlflow-auth-"), "basic_auth.ini")
    write_auth_config(config, database, username, password)
    sync_admin_password(database, username, password)
    os.environ["MLFLOW_AUTH_CONFIG_PATH"] = config
    artifacts = f"s3://{os.environ['MLFLOW_BUCKET']}/artifacts"
    os.execvp("mlflow", ["mlflow", "server", "--app-name", "basic-auth", "--host", "0.0.0.0", "--port", "5000",
                         "--workers", "2", "--backend-store-uri", database, "--artifacts-destination", artifacts,
                         "--serve-artifacts", "--allowed-hosts", ALLOWED_HOSTS, *sys.argv[1:]])


if __name__ == "__main__":
    main()
