"""Upgrades keep a desk's content building: the example as written for the format before ids
builds, judgments without ids are followed by their place (with one warning), and `fix ids`
writes the ids into the files and nothing else."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from briefsite.app import BuildOptions, build, check
from briefsite.authoring.fix import fix_ids
from briefsite.authoring.init import create_project
from briefsite.cli import main
from briefsite.core.project import Project
from tests.conftest import REPO, copy_project
from tests.test_history import BRIEFING, HEAD, commit_versions, escalation, git, judgment, updates

PREVIOUS = REPO / "tests" / "fixtures" / "previous-format" / "data"
"""The example data as it was written before key judgments had ids (kept as it was)."""


def test_the_example_of_the_previous_format_builds(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", PREVIOUS)
    build(project, BuildOptions(quiet=True, pdf=False))
    assert (project.site / "briefings" / "russia-options-nagorno-karabakh.html").is_file()


def test_fix_ids_adds_the_id_lines_and_changes_nothing_else(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(PREVIOUS, data)
    file = data / "briefings" / "russia-options-nagorno-karabakh.yaml"
    before = file.read_text(encoding="utf-8")
    result = fix_ids([file])
    after = file.read_text(encoding="utf-8")
    (fixed,) = result.fixed
    assert len(fixed.ids) == 9 and len(set(fixed.ids)) == 9
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(added) == 9 and all(re.fullmatch(r" {4}id: [a-z0-9]+(-[a-z0-9]+)*", line) for line in added)
    assert [line for line in after.splitlines() if line not in added] == before.splitlines()
    project = copy_project(tmp_path / "p", data)
    library, report = check(project)
    ids = [kj.id for kj in library.briefings["russia-options-nagorno-karabakh"].key_judgments]
    assert ids == fixed.ids[:6] and not report.errors
    assert fix_ids([file]).fixed == []  # a second run finds nothing to do


def test_fix_ids_dry_run_shows_the_diff_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", PREVIOUS)
    file = project.data / "briefings" / "russia-options-nagorno-karabakh.yaml"
    before = file.read_bytes()
    assert main(["fix", "ids", "--dry-run", "--config", str(project.config)]) == 0
    out = capsys.readouterr().out
    assert "+    id: the-kremlin-will-continue\n" in out and "would add 9 ids" in out and "Nothing written" in out
    assert file.read_bytes() == before
    assert main(["fix", "ids", "--config", str(project.config)]) == 0
    assert "added 9 ids" in capsys.readouterr().out and file.read_bytes() != before


def no_ids(text: str) -> str:
    return re.sub(r"(?m)^  - id: [a-z-]+\n    ", "  - ", text)


COURSE = "The example actor will keep its course."
OLD = no_ids(HEAD + "key_judgments:\n" + judgment("course", COURSE, "likely", "moderate")
             + escalation("unlikely", "unknown") + updates(("2026-01-15", "First issue.", None)))
NEW = no_ids(HEAD + "key_judgments:\n" + judgment("course", COURSE, "very-likely", "high")
             + escalation("unlikely", "unknown")
             + updates(("2026-01-22", "Troops moved.", None), ("2026-01-15", "First issue.", None)))


def test_judgments_without_ids_are_followed_by_their_place_with_one_warning(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    create_project(root)
    assert "id:" not in OLD + NEW
    commit_versions(root, OLD, NEW)
    project = Project.find(root)
    _, report = check(project)
    warned = [p for p in report.warnings if p.kind == "judgment-without-id"]
    assert len(warned) == 1 and "2 key judgments and scenarios of this briefing have no id" in warned[0].message
    build(project, BuildOptions(quiet=True, pdf=False))
    page = html.unescape((project.site / "briefings" / "first-briefing.html").read_text(encoding="utf-8"))
    assert "Very likely (80-95%), up from likely (55-80%) on 2026-01-15" in page

    assert main(["fix", "ids", "--project", str(root)]) == 0  # the ids written now: the old version has none
    assert "id: the-example-actor-will" in (root / BRIEFING).read_text(encoding="utf-8")
    git(root, "commit", "-qam", "ids")
    _, report = check(project)
    assert not [p for p in report.warnings if p.kind == "judgment-without-id"]
    build(project, BuildOptions(quiet=True, pdf=False))
    page = html.unescape((project.site / "briefings" / "first-briefing.html").read_text(encoding="utf-8"))
    assert "Very likely (80-95%), up from likely (55-80%) on 2026-01-15" in page and "New on" not in page
