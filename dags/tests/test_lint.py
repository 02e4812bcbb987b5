"""`make lint` as make test runs it: clean on the repository, and failing on a file that breaks a rule."""
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def lint(directory: Path, target: str = "lint") -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-o", ".venv/.installed", target], cwd=directory, capture_output=True, text=True)


def project_copy(tmp_path: Path) -> Path:
    """The Makefile, the ruff configuration and the CI script in a folder of their own, with the repository's .venv."""
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
    assert lint(copy, "lint-scripts").returncode == 0
    # An unused import, and a DAG argument that Airflow 3 removed (one of Airflow's own AIR rules).
    (copy / "dag.py").write_text("import os\n\nfrom airflow.sdk import DAG\n\n"
                                 "with DAG('x', schedule_interval='@daily'):\n    pass\n")
    result = lint(copy, "lint-scripts")
    assert result.returncode != 0
    assert "F401" in result.stdout and "AIR301" in result.stdout, result.stdout


def test_a_shell_script_that_breaks_a_rule_fails(tmp_path):
    copy = project_copy(tmp_path)
    (copy / "run.sh").write_text("#!/usr/bin/env bash\nrm -rf $1/*\n")
    result = lint(copy, "lint-scripts")
    assert result.returncode != 0
    assert "SC2086" in result.stdout + result.stderr, result.stdout + result.stderr


def test_a_java_line_over_120_characters_fails(tmp_path):
    copy = project_copy(tmp_path)
    source = copy / "tasks" / "example" / "src" / "Example.java"
    source.parent.mkdir(parents=True)
    source.write_text("class Example {\n    String s = \"" + "x" * 100 + "\";\n}\n")
    assert lint(copy, "lint-line-length").returncode == 0
    source.write_text("class Example {\n    String s = \"" + "x" * 120 + "\";\n}\n")
    result = lint(copy, "lint-line-length")
    assert result.returncode != 0
    assert "Example.java:2:" in result.stdout and "over 120 characters" in result.stdout, result.stdout


def test_a_java_file_that_is_not_formatted_fails(tmp_path):
    """A module under the project's parent POM, as every step is: its sources are held to the same format.

    The parent's path is relative: Maven did not resolve an absolute one, and then looked for the parent in the local
    repository, where a fresh machine has none."""
    module = tmp_path / "module"
    source = module / "src" / "main" / "java" / "example" / "Example.java"
    source.parent.mkdir(parents=True)
    (module / "pom.xml").write_text(f"""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>io.gnnnids</groupId><artifactId>gnn-nids</artifactId><version>0.1.0</version>
    <relativePath>{os.path.relpath(ROOT / "pom.xml", module)}</relativePath></parent>
  <artifactId>example</artifactId>
</project>
""")
    check = ["mvn", "-B", "-q", "spotless:check"]
    source.write_text("package example;\n\npublic class Example {\n    int x;\n}\n")
    assert subprocess.run(check, cwd=module, capture_output=True, text=True).returncode == 0
    source.write_text("package example;\npublic class Example { int x; }\n")
    result = subprocess.run(check, cwd=module, capture_output=True, text=True)
    assert result.returncode != 0 and "spotless:apply" in result.stdout, result.stdout[-2000:]
