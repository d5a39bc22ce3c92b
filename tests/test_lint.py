"""Lint and type checks run with the tests, so style and types stay kept."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=300)


def test_ruff() -> None:
    result = run_tool("ruff", "check", "briefsite", "tests", "bench", "build_brief.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = run_tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
