"""Old versions from git history never break a build, never read as what they were not,
never run what the repository's settings name, and never take long to compare."""

from __future__ import annotations

import os
import pickle
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefsite.app import BuildOptions, build, check
from briefsite.authoring.init import create_project
from briefsite.core import model as m
from briefsite.core.project import Project
from briefsite.core.wording import word_diff
from briefsite.read import git as git_module
from briefsite.read.history import Held, read_history, read_whole
from briefsite.read.library import load_library
from tests.conftest import REPO
from tests.test_history import BRIEFING, V1, V2, V3, committed, git


def dates(library: m.Library | None) -> list[str]:
    assert library is not None
    return [v.date.isoformat() for v in library.versions["first-briefing"]]


def relative(problem_line: str, project: Project) -> str:
    return problem_line.replace(str(project.root) + "/", "")


# --- A version that does not read ----------------------------------------------------------

BROKEN = {
    "key_judgments": ("    likelihood: roughly-even-chance", "    likelihood: probable"),
    "status": ("status: final", "status: finished"),
    "audience": ("audience: public", "audience: everyone"),
    "scenarios": ("    likelihood: unlikely\n    description", "    likelihood: maybe\n    description"),
    "updates": ("    trend: deteriorated", "    trend: worse"),
    "yaml": ("key_judgments:\n", "key_judgments: [\n"),
}


@pytest.mark.parametrize("field", sorted(BROKEN))
def test_a_version_that_does_not_read_is_left_out_with_one_warning(tmp_path: Path, field: str) -> None:
    old, new = BROKEN[field]
    assert old in V2
    project = committed(tmp_path, V1, V2.replace(old, new, 1), V3)
    library, report = check(project)
    assert dates(library) == ["2026-01-15", "2026-02-03"]
    unreadable = [p for p in report.problems if p.kind == "history-unreadable"]
    assert len(unreadable) == 1 and unreadable[0].severity == "warning"
    second = git(project.root, "rev-parse", "HEAD~1").strip()
    said = relative(unreadable[0].format(), project)
    assert said.startswith(f"warning: {second[:10]}:{BRIEFING}:"), said
    assert "the version of 2026-01-22 is left out of the briefing's history: as this commit holds it, " in said
    assert "history-unreadable to ignore_warnings in site.yaml" in said
    assert not [p for p in report.problems if p.kind == "history-incomplete"]


def test_the_warning_names_the_line_of_the_first_error(tmp_path: Path) -> None:
    project = committed(tmp_path, V1, V2.replace("    likelihood: roughly-even-chance", "    likelihood: probable"), V3)
    _, report = check(project)
    second = git(project.root, "rev-parse", "HEAD~1").strip()[:10]
    line = V2.split("\n").index("    likelihood: roughly-even-chance") + 1
    assert [p.format() for p in report.problems if p.kind == "history-unreadable"] == [
        f"warning: {second}:{BRIEFING}:{line}:17: key_judgments[2].likelihood: the version of 2026-01-22 is left "
        "out of the briefing's history: as this commit holds it, 'probable' is not a likelihood term (did you mean "
        "'likely'?) (allowed: ICD 203: almost-no-chance, very-unlikely, unlikely, "
        "roughly-even-chance, likely, very-likely, "
        "almost-certain; "
        "PHIA: remote-chance, highly-unlikely, unlikely, realistic-possibility, likely, "
               "highly-likely, almost-certain); a commit cannot be changed, so to stop this warning add "
        "history-unreadable to ignore_warnings in site.yaml"]


def test_the_build_and_validate_exit_0_and_the_warning_can_be_turned_off(tmp_path: Path) -> None:
    project = committed(tmp_path, V1, V2.replace("status: final", "status: finished"), V3)
    run = [sys.executable, str(REPO / "build_brief.py")]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    validated = subprocess.run([*run, "validate"], cwd=project.root, capture_output=True, text=True, env=env,
                               timeout=300)
    assert validated.returncode == 0, validated.stderr
    assert "left out of the briefing's history" in validated.stderr, validated.stderr
    build(project, BuildOptions(quiet=True, pdf=False))
    assert (project.site / "briefings" / "first-briefing" / "2026-01-15.html").is_file()
    assert not (project.site / "briefings" / "first-briefing" / "2026-01-22.html").exists()
    with (project.data / "site.yaml").open("a", encoding="utf-8") as site:
        site.write("ignore_warnings: [history-unreadable]\n")
    _, report = check(project)
    assert not [p for p in report.problems if p.kind == "history-unreadable"]


def test_a_version_whose_file_was_fixed_in_a_later_commit_is_read_as_fixed(tmp_path: Path) -> None:
    project = committed(tmp_path, V1, V2.replace("status: final", "status: finished"), V2, V3)
    library, report = check(project)
    assert dates(library) == ["2026-01-15", "2026-01-22", "2026-02-03"]
    assert library.versions["first-briefing"][1].commit == git(project.root, "rev-parse", "HEAD~1").strip()
    assert not [p for p in report.problems if p.kind.startswith("history-")]


def test_a_version_too_large_to_read_is_left_out_unread(tmp_path: Path) -> None:
    huge = V2 + "# " + "long " * (5 * 2**20 // 5) + "\n"  # over 5 MiB: refused from its size
    library, report = check(committed(tmp_path, V1, huge, V3))
    assert dates(library) == ["2026-01-15", "2026-02-03"]
    said = [p.message for p in report.problems if p.kind == "history-unreadable"]
    assert len(said) == 1 and "a file may be at most 5 MiB" in said[0], said


# --- Old versions are read as validate reads them ------------------------------------------

CANARY = "CANARY-OF-AN-INTERNAL-VERSION"
CRAFTED = (V1.replace("status: final\naudience: public\n", "status: draft\naudience: internal\n")
           .replace("summary: The example actor keeps its course [@first-source].",
                    f"summary: 'The example actor keeps its course [@first-source].\naudience: public\n"
                    f"status: final\nregion: {CANARY} nowhere'")
           .replace("Talks will resume before spring.", f"Talks will resume before spring {CANARY}."))


def test_a_quoted_value_that_looks_like_keys_never_makes_a_version_public(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert "\naudience: public\nstatus: final\n" in CRAFTED and "audience: internal" in CRAFTED
    project = committed(tmp_path, CRAFTED, V2, V3)
    library, _ = check(project)
    first = library.versions["first-briefing"][0]
    assert (first.date.isoformat(), first.briefing.audience, first.briefing.status) == (
        "2026-01-15", "internal", "draft")
    monkeypatch.setenv("SITE_URL", "https://example.org/briefs/")
    build(project, BuildOptions(quiet=True, pdf=False, public=True))
    assert not (project.site / "briefings" / "first-briefing" / "2026-01-15.html").exists()
    for page in project.site.rglob("*"):
        if page.is_file() and page.suffix in (".html", ".xml", ".json", ".js", ".txt"):
            assert CANARY not in page.read_text(encoding="utf-8", errors="replace"), page


def test_whole_files_are_read_the_same_strict_way(tmp_path: Path) -> None:
    project = committed(tmp_path, CRAFTED, V2.replace("status: final", "status: finished"), V3)
    library, _ = check(project)
    versions = library.versions["first-briefing"]
    whole = read_whole(project.data, list(versions))
    first = whole[(versions[0].commit, versions[0].path)]
    assert (first.title, first.audience, first.status) == ("A first briefing", "internal", "draft")
    assert first.summary.startswith("The example actor keeps its course [@first-source]. audience: public")
    second = git(project.root, "rev-parse", "HEAD~1").strip()
    unread = m.Version(versions[0].date, "", None, second, versions[0].briefing, BRIEFING)
    assert read_whole(project.data, [unread]) == {}


# --- The cache -------------------------------------------------------------------------------

def test_what_was_read_once_is_never_asked_of_git_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    desk = committed(tmp_path, V1, V2, V3)
    library, _ = load_library(desk.data)
    assert library is not None
    files = {bid: desk.data / "briefings" / f"{bid}.yaml" for bid in library.briefings}
    kept: dict[tuple[str, str], Held] = {}
    first = read_history(desk.data, library.briefings, files, kept)
    kept = pickle.loads(pickle.dumps(kept))  # as the build cache keeps it
    asked: list[tuple[str, ...]] = []
    run_git = git_module.run_git

    def recording(top: Path, *args: str, given: bytes | None = None) -> bytes | None:
        asked.append(args)
        return run_git(top, *args, given=given)

    monkeypatch.setattr(git_module, "run_git", recording)
    again = read_history(desk.data, library.briefings, files, kept)
    assert again.versions == first.versions
    assert [args[0] for args in asked] == ["rev-parse", "log"]


# --- Any folder name -------------------------------------------------------------------------

def test_a_project_in_a_folder_with_a_non_ascii_name_gets_all_its_versions(tmp_path: Path) -> None:
    top = tmp_path / "Désk"
    root = top / "данные"
    create_project(root)
    git(top, "init", "-q", "-b", "main")
    for n, text in enumerate((V1, V2, V3), start=1):
        (root / BRIEFING).write_text(text, encoding="utf-8")
        git(top, "add", "-A")
        git(top, "commit", "-q", "-m", f"version {n}")
    assert "\\" in git(top, "-c", "core.quotePath=true", "log", "--name-only", "--format=", "-1")  # git quotes it
    library, report = check(Project.find(root))
    assert dates(library) == ["2026-01-15", "2026-01-22", "2026-02-03"]
    assert library.versions["first-briefing"][0].path == f"данные/{BRIEFING}"
    assert not [p for p in report.problems if p.kind.startswith("history-")]


# --- The repository's settings run nothing --------------------------------------------------

def sign_head(root: Path) -> None:
    """Give the newest commit a (fake) signature, so that a git told to show signatures runs gpg."""
    commit = git(root, "cat-file", "commit", "HEAD")
    head, _, message = commit.partition("\n\n")
    fake = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
    signed = f"{head}\n{fake}\n\n{message}"
    made = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=root, input=signed,
                          capture_output=True, text=True, check=True).stdout.strip()
    git(root, "update-ref", "HEAD", made)


def test_the_repository_settings_never_run_a_program(tmp_path: Path) -> None:
    desk = committed(tmp_path, V1, V2, V3)
    root = desk.root
    sign_head(root)
    marker = tmp_path / "ran"
    script = tmp_path / "program.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    (root / ".gitattributes").write_text("*.yaml diff=shown\n", encoding="utf-8")
    for key, value in [("log.showSignature", "true"), ("gpg.program", str(script)), ("core.fsmonitor", str(script)),
                       ("core.pager", str(script)), ("diff.external", str(script)),
                       ("diff.shown.textconv", str(script))]:
        git(root, "config", key, value)
    # the settings are live: a plain git runs the program
    subprocess.run(["git", "log", "-1", "--format=%H"], cwd=root, capture_output=True, check=False)
    subprocess.run(["git", "status"], cwd=root, capture_output=True, check=False)
    assert marker.exists()
    marker.unlink()
    library, report = check(desk)
    assert not marker.exists(), marker.read_text(encoding="utf-8")
    assert dates(library) == ["2026-01-15", "2026-01-22", "2026-02-03"]
    assert not [p for p in report.problems if p.kind.startswith("history-")]
    build(desk, BuildOptions(quiet=True, pdf=False))
    assert not marker.exists(), marker.read_text(encoding="utf-8")


def test_every_git_setting_overridden_is_documented() -> None:
    page = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    for setting in [*git_module.SETTINGS, *git_module.ENVIRONMENT, *git_module.LOG_OPTIONS]:
        assert f"`{setting.split('=')[0]}" in page, setting


# --- The word comparison ---------------------------------------------------------------------

TEXT = st.text(alphabet=st.sampled_from(list("ab c,.\n\n  éд\t-")), max_size=80)


@st.composite
def text_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two texts, unrelated or the second an edit of the first."""
    old = draw(TEXT)
    if draw(st.booleans()):
        return old, draw(TEXT)
    new = old
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(new)))
        cut = draw(st.integers(0, 5))
        new = new[:at] + draw(TEXT) + new[at + cut:]
    return old, new


@given(text_pairs())
@settings(max_examples=400, deadline=None)
def test_a_comparison_gives_back_both_texts(texts: tuple[str, str]) -> None:
    old, new = texts
    runs = word_diff(old, new)
    assert "".join(text for kind, text in runs if kind != "removed") == new
    assert "".join(text for kind, text in runs if kind != "added") == old
    assert all(kind in ("same", "removed", "added") and text for kind, text in runs)


def prose(rng: random.Random, size: int) -> list[str]:
    """Paragraphs of words whose frequencies fall off as in a language (a few very common)."""
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 9)))
                  for _ in range(3000)] + [",", "."]
    weights = [1 / (n + 1) for n in range(len(vocabulary))]
    paragraphs, length = [], 0
    while length < size:
        paragraph = " ".join(rng.choices(vocabulary, weights, k=rng.randint(20, 150))) + ".\n\n"
        paragraphs.append(paragraph)
        length += len(paragraph)
    return paragraphs


def test_two_texts_of_5_mib_compare_in_seconds() -> None:
    rng = random.Random(7)
    old = prose(rng, 5 * 2**20)
    new = list(old)
    for n in range(3, len(new), 97):  # a word changed, here and there
        words = new[n].split(" ")
        words[len(words) // 2] = "changed"
        new[n] = " ".join(words)
    new.insert(len(new) // 2, "A paragraph added.\n\n")
    del new[len(new) // 3]
    start = time.perf_counter()
    runs = word_diff("".join(old), "".join(new))
    spent = time.perf_counter() - start
    assert spent < 10, f"{spent:.1f} s"
    assert "".join(text for kind, text in runs if kind != "removed") == "".join(new)
    assert [text for kind, text in runs if kind == "added"][:2] == [" changed", " changed"]


def test_a_comparison_of_the_same_words_reordered_stays_quick() -> None:
    rng = random.Random(3)
    lines = [f"Line {n} says the same, the same, the same.\n" for n in range(100_000)]
    shuffled = list(lines)
    rng.shuffle(shuffled)
    start = time.perf_counter()
    runs = word_diff("".join(lines), "".join(shuffled))
    spent = time.perf_counter() - start
    assert spent < 10, f"{spent:.1f} s"
    assert "".join(text for kind, text in runs if kind != "added") == "".join(lines)
