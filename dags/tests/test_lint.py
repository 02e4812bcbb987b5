"""`make lint` as make test runs it: clean on the repository, and failing on a file that breaks a rule."""
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def lint(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-o", ".venv/.installed", "lint"], cwd=directory, capture_output=True, text=True)


def project_copy(tmp_path: Path) -> Path:
    """The Makefile, the lint configuration and the CI script in a folder of their own, with the repository's .venv."""
    copy = tmp_path / "repo"
    (copy / ".ci").mkdir(parents=True)
    for name in ("Makefile", "ruff.toml", ".ci/run"):
        shutil.copy2(ROOT / name, copy / name)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    return copy


def test_the_repository_passes():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_python_file_that_breaks_a_rule_fails(tmp_path):
    copy = project_copy(tmp_path)
    assert lint(copy).returncode == 0
    # An unused import, and a DAG argument that Airflow 3 removed (one of Airflow's own AIR rules).
    (copy / "dag.py").write_text("import os\n\nfrom airflow.sdk import DAG\n\n"
                                 "with DAG('x', schedule_interval='@daily'):\n    pass\n")
    result = lint(copy)
    assert result.returncode != 0
    assert "F401" in result.stdout and "AIR301" in result.stdout, result.stdout


def test_a_shell_script_that_breaks_a_rule_fails(tmp_path):
    copy = project_copy(tmp_path)
    (copy / "run.sh").write_text("#!/usr/bin/env bash\nrm -rf $1/*\n")
    result = lint(copy)
    assert result.returncode != 0
    assert "SC2086" in result.stdout + result.stderr, result.stdout + result.stderr
