"""Reading YAML: syntax errors, encodings, tags and the limits that keep the tool alive.

The bad inputs and their exact messages are in tests/catalogue.py (shared with docs/errors.md).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from briefsite.core.errors import LoadError, Mark
from briefsite.read.document import MAX_FILE_BYTES, load_file
from tests.catalogue import Big, Case, cases_for, problems_of, whole, write_project

LOAD_CASES = list(cases_for("load"))


@pytest.mark.parametrize("case", LOAD_CASES, ids=[c.key for c in LOAD_CASES])
def test_bad_input_gives_exactly_its_message(case: Case, tmp_path: Path) -> None:
    assert problems_of(tmp_path, case.edits) == list(case.expected)


LIMIT_CASES = [c for c in LOAD_CASES if c.section == "Limits"]


@pytest.mark.parametrize("case", LIMIT_CASES, ids=[c.key for c in LIMIT_CASES])
def test_limits_are_refused_quickly(case: Case, tmp_path: Path) -> None:
    problems_of(tmp_path / "warm-up")  # imports and the minimal project, outside the timing
    start = time.perf_counter()
    problems = problems_of(tmp_path / "case", case.edits)
    assert time.perf_counter() - start < 2.0
    assert len(problems) == 1 and problems[0].startswith("error: data/actors/russia.yaml")


def test_a_file_over_the_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "big.yaml"
    with file.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "read_text", no_reading)
    with pytest.raises(LoadError) as info:
        load_file(file)
    assert info.value.problems[0].message == "the file is 5.0 MiB; a file may be at most 5 MiB"


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    file = tmp_path / "full.yaml"
    line = "- " + "x" * 1000 + "\n"
    file.write_text(line * (MAX_FILE_BYTES // len(line)), encoding="utf-8")
    doc = load_file(file)
    assert len(doc.data) == MAX_FILE_BYTES // len(line)


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.mkdir [MARKER]",
    "!!python/object/new:os.mkdir [MARKER]",
    "!!python/name:os.mkdir",
    "!!python/module:os",
    "!!python/object:pathlib.Path {}",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
])
def test_python_and_other_tags_are_refused_and_never_run(tag: str, tmp_path: Path) -> None:
    marker = tmp_path / "made-by-yaml"
    file = tmp_path / "x.yaml"
    file.write_text(f"name: Russia\nsummary: {tag.replace('MARKER', str(marker))}\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(file)
    problem = info.value.problems[0]
    assert problem.mark == Mark(2, 10) and problem.path == ("summary",)
    shown = tag.split()[0]
    assert problem.message == (f"the tag {shown} is not allowed; YAML tags are refused: write plain text, "
                               "numbers, dates, lists and mappings")
    assert not marker.exists()


def test_a_tagged_document_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_text("--- !!python/object:builtins.dict\nname: Russia\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(file)
    assert info.value.problems[0].message.startswith("the tag !!python/object:builtins.dict is not allowed")


def test_positions_of_keys_and_values(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_text("\ufefftitle: Россия и Турция\nlist:\n  - a: 1\n    b: [x, y]\n", encoding="utf-8")
    doc = load_file(file)
    assert doc.data == {"title": "Россия и Турция", "list": [{"a": 1, "b": ["x", "y"]}]}
    assert doc.key_marks[("title",)] == Mark(1, 1)
    assert doc.value_marks[("title",)] == Mark(1, 8)
    assert doc.key_marks[("list", 0, "b")] == Mark(4, 5)
    assert doc.value_marks[("list", 0, "b", 1)] == Mark(4, 12)
    assert doc.raw_scalars[("list", 0, "a")] == "1"


def test_scalars_keep_what_was_written(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_text("a: yes\nb: 2020\nc: 2020-10-15\nd: ~\ne: 2020-02-30\nf: '2020'\n", encoding="utf-8")
    doc = load_file(file)
    assert doc.data == {"a": True, "b": 2020, "c": dt.date(2020, 10, 15), "d": None, "e": "2020-02-30", "f": "2020"}
    assert doc.raw_scalars == {("a",): "yes", ("b",): "2020", ("c",): "2020-10-15", ("d",): "~"}


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_text("a: &x [1, 2]\nb: *x\nc: *x\n", encoding="utf-8")
    assert load_file(file).data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_nesting_up_to_the_limit_is_fine(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_text("a: " + "[" * 49 + "]" * 49 + "\n", encoding="utf-8")
    value, depth = load_file(file).data["a"], 1
    while value:
        value, depth = value[0], depth + 1
    assert depth == 49


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        load_file(tmp_path / "nowhere.yaml")
    assert info.value.problems[0].message == "cannot read the file: No such file or directory"


def test_a_folder_named_like_a_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "data" / "actors" / "odd.yaml").mkdir(parents=True)
    assert problems_of(tmp_path) == ["error: data/actors/odd.yaml: this is a folder, not a file; rename it "
                                     "(only files may end in .yaml)"]


def test_a_pipe_named_like_a_file_is_refused_without_waiting(tmp_path: Path) -> None:
    write_project(tmp_path)
    for folder in ("actors", "sources"):
        os.mkfifo(tmp_path / "data" / folder / "pipe.yaml")
    assert problems_of(tmp_path) == [
        f"error: data/{folder}/pipe.yaml: this is not a regular file (a pipe or a device); put a file here instead"
        for folder in ("actors", "sources")
    ]


def test_the_catalogue_makes_its_big_file_sparse(tmp_path: Path) -> None:
    problems_of(tmp_path, [whole("actors/russia.yaml", Big(100 * 1024 * 1024))])
    file = tmp_path / "data" / "actors" / "russia.yaml"
    assert file.stat().st_size == 100 * 1024 * 1024
    assert file.stat().st_blocks * 512 < 1024 * 1024  # nothing written but the first line


def test_a_link_out_of_the_content_folder_is_refused_unread(tmp_path: Path) -> None:
    """A file or a folder of data/ that is a link leading out of it is an error that quotes
    nothing of what it leads to; a link that stays inside is read."""
    root = tmp_path / "p"
    write_project(root)
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: SECRET FIRST LINE\nkind: person\n", encoding="utf-8")
    (root / "data" / "actors" / "outside.yaml").symlink_to(secret)
    (root / "data" / "actors" / "same.yaml").symlink_to(root / "data" / "actors" / "russia.yaml")
    problems = problems_of(root)
    assert problems[0] == ("error: data/actors/outside.yaml: a link to a file outside the content folder: links are "
                           "not followed out of it, so that nothing outside the project is read; copy the file into "
                           "the folder instead")
    assert not any("SECRET" in p for p in problems) and not any("same.yaml" in p for p in problems if "error" in p)
    (root / "data" / "actors" / "outside.yaml").unlink()
    elsewhere = tmp_path / "elsewhere"
    (root / "data" / "sources").rename(elsewhere)
    (root / "data" / "sources").symlink_to(elsewhere)
    assert problems_of(root)[0].startswith("error: data/sources: a link to a folder outside the content folder")


def test_controls_that_reorder_text_are_read_away(tmp_path: Path) -> None:
    """A right-to-left override in a title would show 'gnp.exe' as 'exe.png' (and reorder what
    follows it on the page): every text is read without such controls."""
    from briefsite.read.library import load_library

    root = tmp_path / "p"
    write_project(root)
    putin = root / "data" / "actors" / "putin.yaml"
    putin.write_text(putin.read_text(encoding="utf-8").replace("name: Vladimir Putin", "name: \"\\u202egnp.exe\""),
                     encoding="utf-8")
    library, report = load_library(root / "data", today=dt.date(2026, 1, 1))
    assert library is not None, [p.format() for p in report.errors]
    assert library.actors["putin"].name == "gnp.exe"
