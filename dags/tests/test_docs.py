"""The documents stand alone: every link in a Markdown file of the repository points at a file in it."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".git", ".venv", "target", "node_modules", ".local", ".pytest_cache", "__pycache__"}
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def documents():
    for path in ROOT.rglob("*.md"):
        if not SKIP & set(path.relative_to(ROOT).parts):
            yield path


def test_every_relative_link_points_at_a_file_in_the_repository():
    broken = []
    for doc in documents():
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or a place in the same page
            resolved = (doc.parent / target.split("#", 1)[0]).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert not broken, "links to files outside the repository or missing: " + ", ".join(broken)


def test_no_document_points_outside_the_repository():
    outside = [str(doc.relative_to(ROOT)) for doc in documents() if "../shared" in doc.read_text(encoding="utf-8")]
    assert not outside, f"these documents refer to files outside the repository: {outside}"


def test_the_architecture_is_described_in_the_repository():
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for section in ("## Layout", "## The step contract", "## The flow schema", "## Storage", "## Delivery",
                    "## Configuration"):
        assert section in architecture
