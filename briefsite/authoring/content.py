"""What a content folder already holds, read leniently, and adding entries to it without
losing a byte of what is there: the ground the authoring tools stand on."""

from __future__ import annotations

import json
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core import model as m
from ..core.errors import BriefError, LoadError, Problem, display_path
from ..core.project import Project
from ..core.sourcing import host_of
from ..read.document import load_file
from ..read.rules import normalise_url
from .schema import schema_comment, schema_kind_of

TODO = "TODO"
"""Marks every value a skeleton or an import leaves for the analyst to write."""

LIST_HEADERS = {
    "sources": "# Sources: a YAML list. The format is docs/format.md.\n",
    "imported": "# Sources made from links by `build_brief.py sources import`: write each title.\n",
    "references": "# Sources made from a reference manager's export by `build_brief.py sources import`.\n",
    "glossary": "# Glossary: a YAML list of terms. The format is docs/format.md.\n",
}


def choices(vocabulary: Any) -> str:
    """A vocabulary's terms: 'low | moderate | high'."""
    return " | ".join(str(v) for v in typing.get_args(vocabulary))


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when there is one: the same reading, ten times as fast."""


def yaml_scalar(text: str, *, in_list: bool = False) -> str:
    """Text as a YAML value (or an item of a [flow, list]): plain when it reads back the
    same, else double-quoted."""
    written = f"[{text}]" if in_list else text
    try:
        if yaml.load(f"k: {written}", Loader=_LOADER) == {"k": [text] if in_list else text}:
            return text
    except (yaml.YAMLError, ValueError):  # PyYAML raises a bare ValueError for '2020-13-45'
        pass
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Existing:
    """Ids and source addresses already taken, read leniently: the rest of the content
    need not be valid for a new item to be added."""

    ids: dict[str, str] = field(default_factory=dict)
    """id -> the file that holds it."""
    urls: dict[str, str] = field(default_factory=dict)
    """normalised URL -> the id of the source that has it."""
    publishers: dict[str, str] = field(default_factory=dict)
    """host -> the publisher its existing sources name."""


def existing_content(data_dir: Path) -> Existing:
    found = Existing()
    for folder in ("briefings", "actors"):
        for file in sorted((data_dir / folder).glob("*.yaml")):
            found.ids.setdefault(file.stem, display_path(file))
    lists = sorted((data_dir / "sources").glob("*.yaml")) + [data_dir / "glossary.yaml"]
    for file in lists:
        for entry in list_entries(file):
            if not isinstance(entry, dict):
                continue
            if isinstance(entry.get("id"), str):
                found.ids.setdefault(entry["id"], display_path(file))
            url = entry.get("url")
            if isinstance(url, str):
                found.urls.setdefault(normalise_url(url), str(entry.get("id")))
                if isinstance(entry.get("publisher"), str):
                    found.publishers.setdefault(host_of(url), entry["publisher"])
    return found


def list_entries(file: Path) -> list[Any]:
    """The entries of a YAML list file; none when the file is missing or holds only comments."""
    if not file.is_file() or only_comments(file.read_text(encoding="utf-8-sig")):
        return []
    doc = load_file(file)
    if not isinstance(doc.data, list):
        raise LoadError([doc.problem((), "expected a list (lines starting with '- '); new entries cannot be added")])
    return doc.data


def only_comments(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())




def check_id(item_id: str, where: Path) -> None:
    """Refuse an id that breaks the id rule."""
    if len(item_id) > m.ID_MAX or not re.match(m.ID_PATTERN, item_id):
        raise BriefError([Problem(display_path(where), None, (), f"'{item_id}' is not a valid id: use lowercase "
                                  f"letters, digits and single hyphens, like 'moscow-times-2020' (at most "
                                  f"{m.ID_MAX} characters)")])


def list_file(data_dir: Path, name: str | None, default: str) -> Path:
    """A sources file given by name (`links.yaml`) or path; it must sit directly in sources/."""
    folder = data_dir / "sources"
    given = Path(name or default)
    path = folder / given if len(given.parts) == 1 else given
    if path.suffix != ".yaml":
        path = path.with_name(path.name + ".yaml")
    if path.resolve().parent != folder.resolve():
        raise BriefError([Problem(display_path(path), None, (), f"a sources file must be directly in "
                                  f"{display_path(folder)}/; give a file name such as 'links.yaml'")])
    return path


@dataclass(frozen=True)
class Written:
    """What a command wrote, for the command line to report."""

    file: Path
    ids: list[str]
    created: bool
    lines: list[int]
    """The line of each new entry's first key."""
    first: int = 0
    """The index of the first new entry in a list file."""


def append_entries(project: Project, target: Path, entries: dict[str, str], header: str) -> Written:
    """Add entries to a YAML list file, creating it (with its schema line) when missing."""
    created = not target.exists()
    kind = schema_kind_of(project.data, target)
    assert kind is not None
    old = "" if created else target.read_text(encoding="utf-8-sig")
    if created:
        text = f"{schema_comment(project, target, kind)}\n{header}"
    else:
        text = old if old.endswith("\n") or not old else old + "\n"
    before = len(list_entries(target))
    lines: list[int] = []
    parts = [text]
    # counted as they are added: rescanning the whole text for each entry made thousands slow
    separate, line = bool(text.strip()) and not only_comments(text), text.count("\n")
    for entry in entries.values():
        if separate:
            parts.append("\n")
            line += 1
        lines.append(line + 1)
        parts.append(entry)
        line += entry.count("\n")
        separate = True
    text = "".join(parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        doc = load_file(tmp)
        if not isinstance(doc.data, list) or len(doc.data) != before + len(entries):
            raise BriefError([Problem(display_path(target), None, (), "new entries cannot be added after the "
                                      "last one: write the list as lines starting with '- '")])
    except BriefError:
        tmp.unlink()
        raise
    tmp.replace(target)
    return Written(target, list(entries), created, lines, first=before)


def write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise BriefError([Problem(display_path(path), None, (), "the file already exists")]) from None
