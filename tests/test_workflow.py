"""The GitHub Pages workflow: valid by the published workflow schema, and it runs the public build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    checker = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True, timeout=120)


def test_workflow_is_valid() -> None:
    result = lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_linter_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs_on: ubuntu"),
                      encoding="utf-8")
    assert lint(broken).returncode != 0


def test_workflow_deploys_the_public_build() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    assert any(step.get("run") == "make site PUBLIC=1" for step in steps)
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"


def test_workflow_keeps_the_build_cache_before_it_builds() -> None:
    """A build in CI starts from the last one's cache: it needs the generated pages too,
    since the cache keeps their digests, not their text."""
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    uses = [str(s.get("uses", "")) for s in steps]
    cached = next(i for i, u in enumerate(uses) if u.startswith("actions/cache@"))
    assert cached < next(i for i, s in enumerate(steps) if s.get("run") == "make site PUBLIC=1")
    assert set(steps[cached]["with"]["path"].split()) == {"build/cache", "build/docs", "build/pdf-cache",
                                                           "build/version-cache"}


def test_workflow_signs_the_cache_with_a_secret() -> None:
    """The restored cache is trusted only under the key it was signed with: a secret, not in the cache."""
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    build = next(s for s in steps if s.get("run") == "make site PUBLIC=1")
    assert build["env"]["BRIEFSITE_CACHE_KEY"] == "${{ secrets.BRIEFSITE_CACHE_KEY }}"
