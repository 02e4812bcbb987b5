"""Airflow runs against a throwaway home (SQLite) so the tests never touch a user's Airflow."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

DAGS_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = DAGS_DIR.parent

# Airflow reads its configuration when first imported: set it before any test module imports airflow.
_home = tempfile.mkdtemp(prefix="nids-airflow-home-")
os.environ["AIRFLOW_HOME"] = _home
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS_DIR)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(REPO_ROOT / "airflow" / "plugins")
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "False"
os.environ.pop("NIDS_RUNNER", None)
os.environ.pop("NIDS_TASK_RETRIES", None)
os.environ.pop("NIDS_ETL_MAX_RECORDS", None)
os.environ.pop("NIDS_MONITOR_MAX_LAG", None)
os.environ.pop("NIDS_DUCKDB_QUEUE", None)
for _name in ("NIDS_TASK_TIMEOUT", "NIDS_EVALUATE_TIMEOUT", "NIDS_TRAIN_TIMEOUT"):
    os.environ.pop(_name, None)
# The DAG processor puts the bundle (the DAG folder) on sys.path; so do the tests.
if str(DAGS_DIR) not in sys.path:
    sys.path.append(str(DAGS_DIR))


@pytest.fixture(scope="session")
def airflow_home() -> Path:
    return Path(_home)


def load_dagbag():
    from airflow.dag_processing.dagbag import BundleDagBag

    return BundleDagBag(dag_folder=str(DAGS_DIR), bundle_path=DAGS_DIR)


@pytest.fixture(scope="session")
def dagbag():
    return load_dagbag()


@pytest.fixture
def reparse(monkeypatch):
    """reparse(NAME=value, ...) sets those environment variables for the test. nids_common reads its settings when
    imported, so it is forgotten and imported afresh by the next DAG load, and forgotten again after the test."""

    def with_env(**env: str) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delitem(sys.modules, "nids_common", raising=False)

    yield with_env
    sys.modules.pop("nids_common", None)


@pytest.fixture
def docker_dagbag(reparse):
    """The DAGs parsed as a deployment with NIDS_RUNNER=docker parses them."""
    reparse(NIDS_RUNNER="docker", NIDS_TASKS_IMAGE="gnn-nids-tasks:test", NIDS_DUCKDB_PATH="/data/hot.duckdb")
    return load_dagbag()
