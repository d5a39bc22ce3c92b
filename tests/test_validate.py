"""Checking records and the rules between them: every message exact, warnings apart.

The bad inputs and their exact messages are in tests/catalogue.py (shared with docs/errors.md).
"""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefsite.cli import main
from briefsite.core.errors import Severity
from briefsite.core.vocabulary import WARNING_KINDS
from briefsite.incremental.files import FileMemo
from briefsite.read import document as load_module
from briefsite.read import files as validate_module
from briefsite.read.library import load_library
from briefsite.read.rules import normalise_url
from tests.catalogue import (
    CASES,
    HISTORY_KINDS,
    TODAY,
    Case,
    cases_for,
    edit,
    problems_of,
    render_docs,
    whole,
    write_project,
)

REPO = Path(__file__).resolve().parent.parent
VALIDATE_CASES = list(cases_for("validate"))


def test_the_minimal_project_is_valid_without_warnings(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == []
    library, report = load_library(write_project(tmp_path), today=TODAY)
    assert library is not None and report.problems == []
    assert list(library.briefings) == ["alpha", "beta"]


@pytest.mark.parametrize("case", VALIDATE_CASES, ids=[c.key for c in VALIDATE_CASES])
def test_bad_input_gives_exactly_its_message(case: Case, tmp_path: Path) -> None:
    assert problems_of(tmp_path, case.edits) == list(case.expected)


def test_the_catalogue_is_big_and_keys_are_unique() -> None:
    assert len(CASES) >= 45
    assert len({c.key for c in CASES}) == len(CASES)
    assert all(c.module in ("load", "validate") and c.fix for c in CASES)


def test_docs_errors_page_is_up_to_date() -> None:
    page = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    assert page == render_docs(), "docs/errors.md is stale: run `python -m tests.catalogue > docs/errors.md`"


def test_every_warning_kind_the_code_can_emit_is_in_docs_errors() -> None:
    """Each kind named where a warning is made in briefsite/ is a known kind, and the manual
    explains each known kind (with an example, or when it comes for the git history's)."""
    emitted = set()
    for source in (REPO / "briefsite").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        emitted |= set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"\)', text)) & set(WARNING_KINDS) | {
            kind for kind in WARNING_KINDS if f'"{kind}"' in text and "Severity.WARNING" in text}
    assert emitted == set(WARNING_KINDS), set(WARNING_KINDS) ^ emitted
    page = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    assert all(f"| `{kind}` |" in page for kind in WARNING_KINDS)
    keys = {c.key for c in CASES if c.section == "Warnings"}
    assert set(WARNING_KINDS) == (keys & set(WARNING_KINDS)) | set(HISTORY_KINDS), \
        "each kind has an example (a case whose key is the kind) or an explanation"
    assert all(any(key.startswith(f"{kind}-") for kind in WARNING_KINDS) for key in keys - set(WARNING_KINDS)), \
        "a further case of the Warnings section is named after its kind: <kind>-<what it shows>"


def test_the_docs_page_generator_runs_as_a_module() -> None:
    result = subprocess.run([sys.executable, "-m", "tests.catalogue"], cwd=REPO, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == render_docs()


def test_errors_stop_the_library_but_warnings_do_not(tmp_path: Path) -> None:
    data = write_project(tmp_path / "warned", [edit("briefings/beta.yaml", "status: final", "status: draft")])
    library, report = load_library(data, today=TODAY)
    assert library is not None and [p.severity for p in report.problems] == [Severity.WARNING]
    data = write_project(tmp_path / "wrong", [edit("briefings/beta.yaml", "status: final", "status: finale")])
    library, report = load_library(data, today=TODAY)
    assert library is None and [p.severity for p in report.problems] == [Severity.ERROR]


def test_one_broken_file_gives_one_error_not_a_trail(tmp_path: Path) -> None:
    """Every other file names the broken actor; none of them is reported for it."""
    for bad in ["", "name: [Russia\n", "- name: Russia\n", "name: Russia\nkind: stat\n"]:
        problems = problems_of(tmp_path / str(len(bad)), [whole("actors/russia.yaml", bad)])
        assert len(problems) == 1 and problems[0].startswith("error: data/actors/russia.yaml"), problems


def test_a_broken_source_file_hides_no_real_dangling_reference(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, [edit("sources/news.yaml", "  title: Russia's options", "  title: 'Russia"),
                                      edit("actors/russia.yaml", "sources: [src-one]", "sources: [src-nine]")])
    assert problems == [
        "error: data/sources/news.yaml:2:10: YAML syntax error: this quote is never closed",
        "error: data/actors/russia.yaml:3:11: sources[0]: no source has the id 'src-nine' (to add it, run the command: "
        "new source src-nine)",
    ]


@pytest.mark.parametrize(("a", "b"), [
    ("https://example.org/one", "http://example.org/one"),
    ("https://example.org/one", "HTTPS://EXAMPLE.ORG/one/"),
    ("https://example.org/one?x=1", "https://Example.org/one/?x=1"),
])
def test_urls_that_are_the_same_source(a: str, b: str) -> None:
    assert normalise_url(a) == normalise_url(b)


def test_urls_that_are_different_sources() -> None:
    assert normalise_url("https://example.org/One") != normalise_url("https://example.org/one")
    assert normalise_url("https://example.org/one?x=1") != normalise_url("https://example.org/one?x=2")


def test_the_example_data_is_valid() -> None:
    library, report = load_library(REPO / "data")
    assert library is not None, [p.format() for p in report.errors]


# --- The command line: exit codes, --strict and JSON -----------------------------------------

def run_validate(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    (root / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    here = Path.cwd()
    os.chdir(root)
    try:
        code = main(["validate", "--config", "mkdocs.yml", "--data", "data", *args])
    finally:
        os.chdir(here)
    out, err = capsys.readouterr()
    return code, out, err


DRAFT = [edit("briefings/beta.yaml", "status: final", "status: draft")]


def test_validate_with_a_warning_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path, DRAFT)
    code, out, err = run_validate(tmp_path, capsys=capsys)
    assert code == 0
    assert err.startswith("warning: data/briefings/beta.yaml:3:9: status: this briefing is still a draft")
    assert "valid" in out


def test_validate_strict_fails_on_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path, DRAFT)
    code, out, err = run_validate(tmp_path, "--strict", capsys=capsys)
    assert code == 1
    assert "warning: data/briefings/beta.yaml:3:9: status: this briefing is still a draft" in err
    assert "Traceback" not in err


def test_validate_reports_every_error_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    several = next(c for c in CASES if c.key == "several-errors")
    write_project(tmp_path, several.edits)
    code, out, err = run_validate(tmp_path, capsys=capsys)
    assert code == 1
    assert [line for line in err.splitlines() if line.startswith("error:")] == list(several.expected)
    assert "4 errors, 0 warnings: fix them and run again" in err
    assert "Traceback" not in err


def test_validate_json_holds_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edits = [*DRAFT, edit("briefings/alpha.yaml", "    likelihood: likely", "    likelihood: probable"),
             edit("sources/news.yaml", "  archive_url: https://archive.example.org/two\n", "")]
    write_project(tmp_path, edits)
    code, out, err = run_validate(tmp_path, "--format", "json", capsys=capsys)
    assert code == 1
    result = json.loads(out)
    assert result["ok"] is False
    expected = problems_of(tmp_path / "again", edits)
    assert len(result["problems"]) == len(expected) == 3
    for problem, line in zip(result["problems"], expected, strict=True):
        assert set(problem) == {"severity", "file", "line", "column", "path", "message", "kind"}
        where = f"{problem['file']}:{problem['line']}:{problem['column']}"
        assert line == f"{problem['severity']}: {where}: {problem['path']}: {problem['message']}"
    assert [p["severity"] for p in result["problems"]] == ["error", "warning", "warning"]


def test_validate_json_when_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path, DRAFT)
    code, out, _ = run_validate(tmp_path, "--format", "json", capsys=capsys)
    assert code == 0
    assert json.loads(out) == {"ok": True, "problems": [{
        "severity": "warning", "file": "data/briefings/beta.yaml", "line": 3, "column": 9, "path": "status",
        "message": "this briefing is still a draft (marked as such everywhere, and left out of public builds); "
                   "set status: final when it is ready", "kind": "draft"}]}


def test_the_command_never_shows_a_traceback_for_bad_bytes(tmp_path: Path) -> None:
    write_project(tmp_path, [whole("actors/russia.yaml", b"\x00\xff\xfe garbage \x80"),
                             whole("glossary.yaml", b"- id: \xc3\x28\n")])
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "build_brief.py"), "validate"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:2] == [
        "error: data/actors/russia.yaml:1:2: the file is not UTF-8 text: byte 0xff here is not UTF-8 (was it saved "
        "as Latin-1 or Windows-1252?); save the file as UTF-8",
        "error: data/glossary.yaml:1:7: the file is not UTF-8 text: byte 0xc3 here is not UTF-8 (was it saved as "
        "Latin-1 or Windows-1252?); save the file as UTF-8",
    ]


# --- What a run keeps for the next (FileMemo) -------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[c.key for c in CASES])
def test_a_run_that_remembers_the_last_gives_the_same_messages(case: Case, tmp_path: Path) -> None:
    """Every bad input of the catalogue, met after a clean run whose memory went through
    the cache file's pickling: the same messages, at the same lines, as a fresh run. Problems
    in files that did not change (a reference to a record just removed) still find their place."""
    memo = FileMemo()
    assert problems_of(tmp_path, (), memo) == []
    memo = pickle.loads(pickle.dumps(memo))
    assert problems_of(tmp_path, case.edits, memo) == list(case.expected)
    assert problems_of(tmp_path, case.edits, memo) == list(case.expected), "and again, all from memory"


def test_only_changed_files_are_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = write_project(tmp_path)
    memo = FileMemo()
    first, _ = load_library(data, today=TODAY, memo=memo)
    parsed: list[str] = []
    real_parse = load_module.parse_text

    def counting(file: Path, text: str) -> object:
        parsed.append(file.name)
        return real_parse(file, text)

    monkeypatch.setattr(validate_module, "parse_text", counting)
    again, _ = load_library(data, today=TODAY, memo=memo)
    assert parsed == [] and again == first
    briefing = data / "briefings" / "alpha.yaml"
    briefing.write_text(briefing.read_text(encoding="utf-8").replace("title: ", "title: Changed ", 1),
                        encoding="utf-8")
    changed, report = load_library(data, today=TODAY, memo=memo)
    assert parsed == ["alpha.yaml"] and report.problems == []
    assert changed is not None and changed.briefings["alpha"].title.startswith("Changed ")
    assert changed == load_library(data, today=TODAY)[0], "the same library as a run without memory"
    (data / "briefings" / "beta.yaml").unlink()  # alpha, unchanged, relates to it
    _, remembered = load_library(data, today=TODAY, memo=memo)
    _, fresh = load_library(data, today=TODAY)
    messages = [p.format() for p in remembered.problems]
    assert messages == [p.format() for p in fresh.problems]
    assert len(messages) == 1 and "alpha.yaml:29:11: related[0]: no briefing has the id 'beta'" in messages[0]
