"""`fix`: rewrite a desk's content for the current format, keeping everything else as written.

`fix ids` gives every key judgment and scenario written without an `id` one made from its
words, so that it is followed by its id from one version to the next (content of the format
before ids is followed by its place, with a warning). The files are edited round trip
(ruamel.yaml): comments, the order of keys, quotes, block texts and indentation stay as they
are, and each id is written on a line of its own after the item's first key, so that the
change is the added lines and nothing else.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..core.errors import BriefError, display_path
from ..core.text import slug

ID_WORDS = 4
"""Words of a judgment's text (or a scenario's title) that make its id."""


@dataclass
class FileFix:
    """What `fix ids` changes in one file."""

    file: Path
    ids: list[str]
    diff: str
    new_text: str


@dataclass
class FixResult:
    fixed: list[FileFix] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Files left as they are, with why (they do not read: validate says more)."""


def fix_ids(briefings: Iterable[Path], *, write: bool = True) -> FixResult:
    """Give each key judgment and scenario without an id one, in each of these briefing files."""
    result = FixResult()
    for file in sorted(briefings):
        try:
            fixed = _fix_file(file)
        except (YAMLError, UnicodeDecodeError, OSError) as exc:
            result.skipped.append(f"{display_path(file)}: not changed, it does not read ({type(exc).__name__}); "
                                  "run validate")
            continue
        if fixed is None:
            continue
        if write:
            _write(file, fixed.new_text)
        result.fixed.append(fixed)
    return result


def _round_trip() -> YAML:
    yaml = YAML()  # round trip: comments, order and styles are kept
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never fold a long line that was not folded
    yaml.indent(mapping=2, sequence=4, offset=2)  # items as the format writes them: "  - text: ..."
    return yaml


def _fix_file(file: Path) -> FileFix | None:
    text = file.read_text(encoding="utf-8")
    yaml = _round_trip()
    data = yaml.load(text)
    if not isinstance(data, CommentedMap):
        return None
    taken = {str(item["id"]) for key in ("key_judgments", "scenarios") for item in _items(data.get(key))
             if item.get("id") is not None}
    added = []
    for key, words in (("key_judgments", "text"), ("scenarios", "title")):
        for item in _items(data.get(key)):
            if item.get("id") is not None:
                continue
            new_id = _new_id(str(item.get(words) or key.rstrip("s")), taken)
            item.insert(1 if len(item) else 0, "id", new_id)
            taken.add(new_id)
            added.append(new_id)
    if not added:
        return None
    out = io.StringIO()
    yaml.dump(data, out)
    new_text = _keep_head(text, out.getvalue())
    diff = "".join(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                        fromfile=display_path(file), tofile=display_path(file)))
    return FileFix(file, added, diff, new_text)


def _items(value: Any) -> list[CommentedMap]:
    return [item for item in value if isinstance(item, CommentedMap)] if isinstance(value, CommentedSeq) else []


def _new_id(words: str, taken: set[str]) -> str:
    """An id from the first words of a text ('Russia will keep balancing' -> 'russia-will-keep-balancing'),
    unique in the briefing."""
    base = slug(" ".join(slug(words).split("-")[:ID_WORDS])) or "judgment"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    return found


def _keep_head(before: str, after: str) -> str:
    """The dumped text with the file's own start (a leading comment or a `---` line that the
    round trip may write otherwise) and its own end of file."""
    if not before.endswith("\n") and after.endswith("\n"):
        after = after[:-1]
    return after


def _write(file: Path, text: str) -> None:
    tmp = file.with_name(f".{file.name}.fix.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(file)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BriefError(f"{display_path(file)}: could not be written ({exc.strerror or exc}); nothing in it was "
                         "changed") from None
