"""The class-data archives `make build` writes beside the ETL steps' jars (infrastructure/local/class-archives.sh,
through a throwaway Kafka): each one is written, and the JVM maps it for its jar when told it must (-Xshare:on fails
on an archive that does not match), loading the step's own classes and picocli's from it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import services

pytestmark = pytest.mark.e2e

REPO_ROOT = services.REPO_ROOT
ARCHIVED = ("consume-batch", "hot-write", "cold-write", "commit-offsets")


def target(step: str) -> Path:
    return REPO_ROOT / "tasks" / step / "target"


def test_the_etl_steps_start_from_their_class_archives():
    missing = [str(target(s) / f"{s}.jar") for s in (*ARCHIVED, "replay") if not (target(s) / f"{s}.jar").is_file()]
    if missing:
        pytest.fail("missing " + ", ".join(missing) + ": run `make build` first")
    script = subprocess.run([str(REPO_ROOT / "infrastructure" / "local" / "class-archives.sh")], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=300)
    assert script.returncode == 0, script.stdout + script.stderr
    for step in ARCHIVED:
        archive = target(step) / f"{step}.jsa"
        assert archive.stat().st_mtime >= (target(step) / f"{step}.jar").stat().st_mtime
        shared = subprocess.run(
            ["java", "-Xshare:on", f"-XX:SharedArchiveFile={archive}", "-Xlog:class+load=info",
             "-jar", str(target(step) / f"{step}.jar"), "--version"],
            capture_output=True, text=True, timeout=60)
        assert shared.returncode == 0, shared.stdout + shared.stderr
        # The step's own classes and picocli's (compiled for Java 5, which only a static archive holds) come from
        # the archive, not from the jar.
        for prefix in ("io.gnnnids.", "picocli.CommandLine "):
            assert any(f"] {prefix}" in line and "source: shared objects file" in line
                       for line in shared.stdout.splitlines()), prefix + " not mapped:\n" + shared.stdout[-2000:]
