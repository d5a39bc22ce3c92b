"""Random damage to the example data never crashes the tool and never goes unexplained.

Each example changes one or more files of a copy of data/ (delete a key, change a type,
swap a reference, insert odd Unicode, truncate at a random byte, ...) and validates the
whole folder. It must either be valid or give problems of our own (each with a file, a
message in our words, and printable as text and as JSON); any exception is a bug.

The default run is small and derandomised (the same examples every time, about 20 s);
`make fuzz` sets HYPOTHESIS_PROFILE=long for thousands of fresh examples.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefsite.core.errors import BriefError, Problem, Report
from briefsite.core.model import ID_PATTERN
from briefsite.read.library import load_library
from briefsite.render.pages import render_pages

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data"
TEMPLATES = REPO / "templates"

_COMMON: dict[str, Any] = {"deadline": None, "database": None,
                           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("fuzz-default", max_examples=150, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=5000, **_COMMON)
PROFILE = "long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "fuzz-default"
FUZZ = settings(settings.get_profile(PROFILE))
FUZZ_RENDER = settings(FUZZ, max_examples=10 if PROFILE == "fuzz-default" else 300)  # a render takes ~1 s

FILES = sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*.yaml"))
ORIGINAL = {rel: (EXAMPLE / rel).read_bytes() for rel in FILES}
_LIBRARY, _ = load_library(EXAMPLE)
assert _LIBRARY is not None, "the example data must be valid"
IDS = sorted({*_LIBRARY.briefings, *_LIBRARY.actors, *_LIBRARY.sources, *_LIBRARY.terms})
_ALTERNATIVES = "|".join(re.escape(i) for i in sorted(IDS, key=len, reverse=True))
ID_WORD = re.compile(rf"(?<![\w-])({_ALTERNATIVES})(?![\w-])")

# Characters that mean something to YAML or to our references, and odd Unicode of every kind.
SPECIALS = ["\t", "\x00", "\x07", "\ufeff", "\u2028", "\u2029", "\x85", "\r", "\r\n", "#", ": ", "- ", "&a ",
            "*a", "!!str ", "!x ", "[", "]", "{", "}", "'", '"', "|", ">", "%", "@", "`", "\\", "[@", "[[", "]]",
            "<<: ", "---\n", "...\n", "? ", "\u202e", "\u200b", "\ud800", "\U0001f600", "é", "Ω", "ﬁ", "\u0301"]
ODD_TEXT = st.one_of(
    st.sampled_from(SPECIALS),
    st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=6),
)
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), st.dates(dt.date(1, 1, 1)),
    st.text(max_size=20), st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2), st.sampled_from(IDS),
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(EXAMPLE, data)
    return data


@contextmanager
def changed(data: Path, files: dict[str, bytes]) -> Iterator[None]:
    """The workspace with some files replaced, put back afterwards."""
    try:
        for rel, content in files.items():
            (data / rel).write_bytes(content)
        yield
    finally:
        for rel in files:
            (data / rel).write_bytes(ORIGINAL[rel])


def check(data: Path) -> tuple[Any, Report]:
    """Validate; every outcome must be a library or problems of our own, never an exception."""
    library, report = load_library(data)
    assert isinstance(report, Report)
    for p in report.problems:
        assert isinstance(p, Problem)
        assert p.file and p.message, p
        line = p.format()
        json.dumps(p.to_dict(), ensure_ascii=False)
        assert "Traceback" not in line and "object at 0x" not in line, line
        # pydantic's own wording means an error that _explain does not translate yet
        assert "Input should" not in p.message and "validation error" not in p.message, line
    assert (library is None) == bool(report.errors)
    return library, report


# --- Mutations: each takes the file's bytes and returns new bytes -------------------------------

def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


def _set(root: Any, path: tuple[Any, ...], value: Any, delete: bool = False) -> Any:
    if not path:
        return value
    parent = root
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return root


def _dump(value: Any) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8", errors="surrogatepass")


@st.composite
def delete_a_key(draw: st.DrawFn, raw: bytes) -> bytes:
    data = yaml.safe_load(raw)
    paths = [p for p in _paths(data) if p and isinstance(p[-1], (str, int))]
    if not paths:
        return raw
    return _dump(_set(data, draw(st.sampled_from(paths)), None, delete=True))


@st.composite
def change_a_type(draw: st.DrawFn, raw: bytes) -> bytes:
    data = yaml.safe_load(raw)
    path = draw(st.sampled_from(list(_paths(data))))
    return _dump(_set(data, path, draw(VALUES)))


@st.composite
def swap_a_reference(draw: st.DrawFn, raw: bytes) -> bytes:
    text = raw.decode("utf-8-sig")
    found = list(ID_WORD.finditer(text))
    if not found:
        return raw
    match = draw(st.sampled_from(found))
    other = draw(st.one_of(st.sampled_from(IDS), st.from_regex(ID_PATTERN, fullmatch=True), st.text(max_size=8)))
    return (text[:match.start()] + other + text[match.end():]).encode("utf-8", errors="surrogatepass")


@st.composite
def insert_odd_text(draw: st.DrawFn, raw: bytes) -> bytes:
    text = raw.decode("utf-8-sig")
    at = draw(st.integers(0, len(text)))
    odd = draw(ODD_TEXT)
    return (text[:at] + odd + text[at:]).encode("utf-8", errors="surrogatepass")


@st.composite
def truncate(draw: st.DrawFn, raw: bytes) -> bytes:
    return raw[:draw(st.integers(0, len(raw)))]


@st.composite
def overwrite_bytes(draw: st.DrawFn, raw: bytes) -> bytes:
    at = draw(st.integers(0, len(raw)))
    return raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at + draw(st.integers(0, 8)):]


@st.composite
def shuffle_lines(draw: st.DrawFn, raw: bytes) -> bytes:
    """Duplicate, drop or re-indent one line: duplicate keys and broken indentation."""
    lines = raw.decode("utf-8-sig").split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    how = draw(st.sampled_from(["duplicate", "drop", "indent", "dedent"]))
    if how == "duplicate":
        lines.insert(i, lines[i])
    elif how == "drop":
        del lines[i]
    elif how == "indent":
        lines[i] = " " * draw(st.integers(1, 5)) + lines[i]
    else:
        lines[i] = lines[i].lstrip()
    return "\n".join(lines).encode("utf-8")


def misspelt(key: str, how: int) -> str:
    """A key as a hurried hand writes it: a letter dropped, two swapped, a digit before it, capitals."""
    if how == 0 and len(key) > 1:
        return key[:1] + key[2:]
    if how == 1 and len(key) > 2:
        return key[0] + key[2] + key[1] + key[3:]
    return f"0{key}" if how == 2 else key.upper()


def _renamed(value: Any, path: tuple[Any, ...], new_key: str) -> Any:
    """`value` with the key at `path` renamed, its place among the keys kept."""
    parent = value
    for part in path[:-1]:
        parent = parent[part]
    items = list(parent.items())
    parent.clear()
    parent.update((new_key if k == path[-1] else k, v) for k, v in items)
    return value


@st.composite
def misspell_a_key(draw: st.DrawFn, raw: bytes) -> bytes:
    data = yaml.safe_load(raw)
    paths = [p for p in _paths(data) if p and isinstance(p[-1], str)]
    assume(paths)
    path = draw(st.sampled_from(paths))
    return _dump(_renamed(data, path, misspelt(path[-1], draw(st.integers(0, 3)))))


MUTATIONS = [delete_a_key, change_a_type, swap_a_reference, insert_odd_text, truncate, overwrite_bytes,
             shuffle_lines, misspell_a_key]


def list_item_keys() -> list[tuple[str, tuple[Any, ...]]]:
    """One (file, path) for each key of each kind of list item in the example (a relation's
    `actor`, a timeline entry's `event`, a scenario's indicator's `text`, a source's `title`...)."""
    found: dict[tuple[str, tuple[Any, ...]], tuple[str, tuple[Any, ...]]] = {}
    for rel in FILES:
        data = yaml.safe_load(ORIGINAL[rel])
        kind = rel.split("/")[0]
        for path in _paths(data):
            if len(path) >= 2 and isinstance(path[-1], str) and isinstance(path[-2], int):
                shape = (kind, tuple("[]" if isinstance(part, int) else part for part in path))
                found.setdefault(shape, (rel, path))
    return sorted(found.values(), key=str)


@pytest.mark.parametrize("how", ["missing", "misspelt"])
def test_every_key_of_every_list_item_missing_or_misspelt_is_explained(workspace: Path, how: str) -> None:
    """The fixed examples of `make test`: every key of every kind of list item, left out or
    misspelt (the crash of a relation's `actr:` for `actor:` was in no random run)."""
    cases = list_item_keys()
    assert {path[-1] for _, path in cases} >= {"actor", "event", "text", "title", "term", "type"}
    for rel, path in cases:
        data = yaml.safe_load(ORIGINAL[rel])
        changed_data = _set(data, path, None, delete=True) if how == "missing" else _renamed(
            data, path, misspelt(str(path[-1]), 0))
        with changed(workspace, {rel: _dump(changed_data)}):
            library, report = check(workspace)
        if how == "misspelt":
            assert any("unknown key" in p.message for p in report.errors), (rel, path, report.problems)


@st.composite
def damage(draw: st.DrawFn) -> dict[str, bytes]:
    """One to three mutations, on one file or several."""
    files: dict[str, bytes] = {}
    for _ in range(draw(st.integers(1, 3))):
        rel = draw(st.sampled_from(FILES))
        mutation = draw(st.sampled_from(MUTATIONS))
        try:
            files[rel] = draw(mutation(files.get(rel, ORIGINAL[rel])))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # a structured mutation of a file an earlier one already broke: skip it
    return files


@FUZZ
@given(files=damage())
def test_damaged_data_is_valid_or_explained(workspace: Path, files: dict[str, bytes]) -> None:
    with changed(workspace, files):
        check(workspace)


@FUZZ
@given(rel=st.sampled_from(FILES), mutation=st.sampled_from(MUTATIONS), data=st.data())
def test_each_mutation_on_each_file(workspace: Path, rel: str, mutation: Any, data: st.DataObject) -> None:
    with changed(workspace, {rel: data.draw(mutation(ORIGINAL[rel]))}):
        check(workspace)


@st.composite
def odd_but_valid_text(draw: st.DrawFn) -> dict[str, bytes]:
    """Odd Unicode inside a quoted text value: the data stays valid, and must render."""
    rel = draw(st.sampled_from(FILES))
    data = yaml.safe_load(ORIGINAL[rel])
    texts = [p for p in _paths(data) if p and isinstance(_get(data, p), str) and p[-1] not in
             ("id", "url", "archive_url", "actor", "country", "status", "audience", "kind", "type", "likelihood",
              "confidence", "reliability", "date", "published", "accessed", "sources", "actors", "related")
             and not (len(p) > 1 and p[-2] in ("sources", "actors", "related"))]
    if not texts:
        return {}
    path = draw(st.sampled_from(texts))
    odd = draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=10))
    at = draw(st.integers(0, len(_get(data, path))))
    value = _get(data, path)
    return {rel: _dump(_set(data, path, value[:at] + odd + value[at:]))}


def _get(root: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        root = root[part]
    return root


@FUZZ_RENDER
@given(files=odd_but_valid_text())
def test_odd_unicode_in_text_validates_and_renders(workspace: Path, files: dict[str, bytes]) -> None:
    with changed(workspace, files):
        library, report = check(workspace)
        if library is not None:
            try:
                assert render_pages(library, TEMPLATES)
            except BriefError:
                pass  # explained in our own words (a template error names its template)
