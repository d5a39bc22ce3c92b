"""The command line as a user runs it: exit codes, messages, help, live preview."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from briefsite.cli import make_parser
from briefsite.core.project import Project
from tests.conftest import REPO

BRIEFING = "briefings/russia-options-nagorno-karabakh.yaml"


def run(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build_brief.py"), *args], cwd=project.root,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def edit(project: Project, rel: str, old: str, new: str) -> None:
    path = project.data / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines of a run's output that report an error."""
    return [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]


def line_of(project: Project, rel: str, needle: str) -> int:
    lines = (project.data / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_every_command_has_help_and_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in make_parser()._actions if a.dest == "command")
    for name, parser in sub.choices.items():  # type: ignore[union-attr]
        assert parser.description, name
        assert f"build_brief.py {name}" in readme, f"README does not document '{name}'"
        result = subprocess.run([sys.executable, str(REPO / "build_brief.py"), name, "--help"],
                                capture_output=True, text=True, cwd=REPO)
        assert result.returncode == 0 and "--data" in result.stdout


def test_validate_example_passes(project: Project) -> None:
    result = run(project, "validate")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_misspelled_likelihood(project: Project) -> None:
    edit(project, BRIEFING, "likelihood: likely", "likelihood: probable")
    line = line_of(project, BRIEFING, "likelihood: probable")
    result = run(project, "validate")
    assert result.returncode == 1
    errors = error_lines(result)
    assert errors == [f"error: data/{BRIEFING}:{line}:17: key_judgments[0].likelihood: 'probable' is not a "
                      "likelihood term (did you mean 'likely'?) (allowed: almost-no-chance, very-unlikely, unlikely, "
                      "roughly-even-chance, "
                      "likely, very-likely, almost-certain)"]
    assert "Traceback" not in result.stderr


def test_dangling_actor_id(project: Project) -> None:
    edit(project, BRIEFING, "- actor: putin", "- actor: putinn")
    line = line_of(project, BRIEFING, "- actor: putinn")
    result = run(project, "validate")
    assert result.returncode == 1
    errors = error_lines(result)
    assert len(errors) == 1
    assert re.fullmatch(rf"error: data/{BRIEFING}:{line}:\d+: actors\[\d+\]\.actor: no actor has the id 'putinn' "
                        r"\(did you mean 'putin'\?\)", errors[0]), errors[0]


def test_duplicate_source_url(project: Project) -> None:
    sources = project.data / "sources" / "extra.yaml"
    sources.write_text("- id: mt-again\n  title: Same article\n"
                       "  url: HTTPS://www.TheMoscowTimes.com/2020/10/15/russias-options-in-nagorno-karabakh-range"
                       "-from-bad-to-worse-a71760/\n  kind: opinion\n", encoding="utf-8")
    result = run(project, "validate")
    assert result.returncode == 1
    errors = error_lines(result)
    assert len(errors) == 1
    assert re.fullmatch(r"error: data/sources/\w+\.yaml:\d+:8: \[0\]\.url: source '[\w-]+' has the same URL as "
                        r"source '[\w-]+' \(data/sources/\w+\.yaml:\d+\); keep one of them", errors[0]), errors[0]
    assert "mt-again" in errors[0] and "mt-options" in errors[0]


def test_yaml_syntax_error(project: Project) -> None:
    edit(project, BRIEFING, "status: final", "status: 'final")
    result = run(project, "validate")
    assert result.returncode == 1
    errors = error_lines(result)
    assert len(errors) == 1
    assert re.fullmatch(rf"error: data/{BRIEFING}:\d+:\d+: YAML syntax error: .*quote may be left open.*", errors[0])
    assert "Traceback" not in result.stderr


def test_build_with_errors_builds_nothing(project: Project) -> None:
    edit(project, BRIEFING, "likelihood: likely", "likelihood: probable")
    result = run(project, "build")
    assert result.returncode == 1
    assert "nothing was built" in result.stderr
    assert not project.site.exists()


def test_data_flag_points_elsewhere(project: Project, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    project.data.rename(other)
    assert run(project, "validate").returncode == 1
    result = run(project, "validate", "--data", str(other))
    assert result.returncode == 0, result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return str(response.read().decode("utf-8"))


def wait_for(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


# The live preview (`serve`) is tested with every site engine in test_engines.py.
