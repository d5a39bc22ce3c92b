"""The promise a desk publishes on: a build after any other builds (internal, public, `pdf`,
edits, deletions, new versions) gives the same site as a build from scratch of the same
state, and a public build carries nothing withheld, whatever ran before it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from briefsite.app import BuildOptions, build
from briefsite.core.project import Project
from briefsite.output.writer import read_tree
from tests.test_history import BRIEFING, V1, V2, V3, git

SITE_URL = "https://example.org/briefs/"
SECRET = """\
title: The secret assessment
date: 2026-01-10
status: final
audience: internal
region: Example region
tags: [example]
summary: Only for colleagues [@secret-source].
actors:
  - actor: example-actor
    role: What it does in this situation.
"""
SECRET_SOURCE = """\
- id: secret-source
  title: The secret source's title
  url: https://example.org/secret
  reliability: B
  credibility: 2
"""
GONE_ACTOR = "name: Gone Actor\nkind: person\n"


def fresh_site(project: Project, options: BuildOptions, where: Path) -> dict[str, bytes]:
    """The site a build from scratch of the same state gives: the project (with its git
    history) copied without build/ and site/, and built once."""
    copy = where / "fresh" / project.root.name
    shutil.rmtree(copy.parent, ignore_errors=True)
    shutil.copytree(project.root, copy, symlinks=True, ignore=shutil.ignore_patterns("build", "site"))
    build(Project.find(copy), options)
    return read_tree(copy / "site")


def assert_as_fresh(project: Project, options: BuildOptions, where: Path) -> None:
    built = read_tree(project.site)
    fresh = fresh_site(project, options, where)
    assert sorted(built) == sorted(fresh)
    differing = [name for name in built if built[name] != fresh[name]]
    assert not differing, f"differs from a build from scratch: {differing[:5]}"


def desk_with(root: Path, versions: list[str], extra: dict[str, str] | None = None) -> Project:
    """A new desk with `extra` files (path under data/ -> text) and the briefing committed once per version."""
    from briefsite.authoring.init import create_project

    create_project(root)
    git(root, "init", "-q", "-b", "main")
    for name, text in (extra or {}).items():
        (root / "data" / name).write_text(text, encoding="utf-8")
    for n, text in enumerate(versions, start=1):
        (root / BRIEFING).write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"version {n}")
    return Project.find(root)


def texts_of_site(site: Path) -> str:
    """Every page's bytes and every PDF's text, to search for words that must not be there."""
    parts = [p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
             if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt")]
    parts += [subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True, check=True).stdout
              for p in site.rglob("*.pdf")]
    return "\n".join(parts)


@pytest.fixture
def secret_desk(tmp_path: Path) -> Project:
    """A public briefing whose second version linked an internal briefing and cited its source."""
    linking = V2.replace("keeps its course [@first-source].",
                         "keeps its course [@first-source], as [[secret]] says [@secret-source].")
    return desk_with(tmp_path / "desk", [V1, linking, V3],
                     {"briefings/secret.yaml": SECRET, "sources/secret.yaml": SECRET_SOURCE})


def test_a_public_build_after_an_internal_one_carries_nothing_withheld(secret_desk: Project, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    build(secret_desk, BuildOptions(quiet=True))
    internal = texts_of_site(secret_desk.site)
    assert "The secret assessment" in internal and "The secret source's title" in internal  # the test can fail
    monkeypatch.setenv("SITE_URL", SITE_URL)
    public = BuildOptions(quiet=True, public=True)
    build(secret_desk, public)
    shown = texts_of_site(secret_desk.site)
    assert "The secret assessment" not in shown and "The secret source's title" not in shown
    assert (secret_desk.site / "briefings" / "first-briefing" / "2026-01-22.html").is_file()
    assert_as_fresh(secret_desk, public, tmp_path)

    build(secret_desk, BuildOptions(quiet=True))  # and back: the internal site whole again
    assert "The secret assessment" in texts_of_site(secret_desk.site)
    assert_as_fresh(secret_desk, BuildOptions(quiet=True), tmp_path)


def test_an_actor_deleted_leaves_no_version_page_naming_it(tmp_path: Path) -> None:
    naming = V1.replace("keeps its course [@first-source].", "keeps its course [@first-source] beside [[gone-actor]].")
    project = desk_with(tmp_path / "desk", [naming, V2], {"actors/gone-actor.yaml": GONE_ACTOR})
    root = project.root
    options = BuildOptions(quiet=True, pdf=False)
    build(project, options)
    first = project.site / "briefings" / "first-briefing" / "2026-01-15.html"
    assert "Gone Actor" in first.read_text(encoding="utf-8")  # the test can fail
    (root / "data" / "actors" / "gone-actor.yaml").unlink()
    build(project, options)
    page = first.read_text(encoding="utf-8")
    assert "Gone Actor" not in page and "gone-actor.html" not in page
    assert_as_fresh(project, options, tmp_path)


def test_a_version_page_is_made_again_exactly_when_something_it_shows_changed(tmp_path: Path) -> None:
    project = desk_with(tmp_path / "desk", [V1, V2, V3])
    root = project.root
    options = BuildOptions(quiet=True, pdf=False)
    build(project, options)
    folder = project.site / "briefings" / "first-briefing"
    first, second = folder / "2026-01-15.html", folder / "2026-01-22.html"
    inodes = {p.name: p.stat().st_ino for p in (first, second)}
    # an edit of the current file touches no earlier version: both are the very same files
    (root / BRIEFING).write_text(V3.replace("Troop moves confirmed.", "Troop moves seen."), encoding="utf-8")
    build(project, options)
    assert {p.name: p.stat().st_ino for p in (first, second)} == inodes
    # the actor they name is renamed: what they show changed, so both are made again
    actor = root / "data" / "actors" / "example-actor.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("name: ", "name: Renamed ", 1), encoding="utf-8")
    build(project, options)
    assert all(p.stat().st_ino != inodes[p.name] for p in (first, second))
    assert "Renamed" in first.read_text(encoding="utf-8")
    assert_as_fresh(project, options, tmp_path)
