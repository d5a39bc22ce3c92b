"""Commented skeletons of new items (`new briefing|actor|source|term ID`), written where
the item belongs, never over a file or an id that exists. Each skeleton is written from the
record's fields in the model (`fields`): their order, docstrings, vocabularies and examples."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..core import model as m
from ..core.errors import BriefError, Problem, display_path
from ..core.project import Project
from .content import (
    LIST_HEADERS,
    TODO,
    Written,
    append_entries,
    check_id,
    existing_content,
    list_file,
    write_new,
    yaml_scalar,
)
from .fields import FieldShape, comment, fields_of, lower_first
from .schema import SCHEMA_KINDS, schema_comment

TITLE_PLACEHOLDER = f"{TODO}: write the title as the source gives it"
"""The title `sources import` leaves: a link alone does not tell it."""

HOW_TO = """\
# The format is docs/format.md. Replace every TODO. Optional fields are commented
# out: delete the "# " in front of a block to use it. In Markdown fields, [@source-id]
# cites a source and [[id]] or [[id|text]] links to a briefing, an actor or a term.
"""

NOTE_COLUMN = 28
"""Where the notes beside the values start, so that they line up."""


@dataclass(frozen=True)
class _Kind:
    record: type[m.Record]
    heading: str | None
    """The first line of a new file; None for an entry added to a list."""
    filled: tuple[str, ...] = ()
    """Optional fields written out all the same, with the value the tool knows."""


_KINDS: dict[str, _Kind] = {
    "briefing": _Kind(m.Briefing, "Briefing"),
    "actor": _Kind(m.Actor, "Actor"),
    # The day a source is added is, as a rule, the day it was read.
    "source": _Kind(m.Source, None, filled=("accessed",)),
    "term": _Kind(m.Term, None),
}
KINDS = tuple(_KINDS)


@dataclass(frozen=True)
class _Line:
    text: str
    """Indented, without the '# ' of a commented-out line."""
    note: str = ""
    commented_at: int | None = None
    """Where '# ' goes in a commented-out line: at the indentation of its record."""

    def __str__(self) -> str:
        at = self.commented_at
        code = self.text if at is None else f"{self.text[:at]}# {self.text[at:]}"
        if not self.note:
            return code
        return f"{code.ljust(NOTE_COLUMN - 2)}  # {self.note}"


def skeleton(kind: str, item_id: str, today: dt.date) -> str:
    """The text of a new item: a file with a heading, or an entry of a list."""
    spec = _KINDS[kind]
    indent = 0 if spec.heading else 2
    lines = _new_record(spec, item_id, today, indent)
    if spec.heading is None:
        return "\n".join(map(str, _as_item(lines, indent))) + "\n"
    body = "\n".join(map(str, lines))
    return f"# {spec.heading} '{item_id}'.\n{HOW_TO}\n{body}\n"


def _new_record(spec: _Kind, item_id: str, today: dt.date, indent: int) -> list[_Line]:
    """Required fields to write (and those the tool fills), vocabularies with a default showing
    it, and every other field as a commented-out example."""
    known = {"id": item_id}  # an id that differs from the file name would be an error
    lines: list[_Line] = []
    for shape in fields_of(spec.record):
        if shape.required or shape.name in spec.filled:
            lines += _to_write(shape, item_id, today, indent)
        elif shape.vocabulary and shape.default is not None:
            lines.append(_Line(f"{' ' * indent}{shape.name}: {shape.default}", comment(shape)))
        else:
            lines += [dataclasses.replace(ln, commented_at=indent) for ln in _example(shape, indent, known)]
    return lines


def _to_write(shape: FieldShape, item_id: str, today: dt.date, indent: int) -> list[_Line]:
    """A value the analyst must write: a TODO placeholder, or what the tool knows already."""
    key = f"{' ' * indent}{shape.name}:"
    todo = f"{TODO}: {lower_first(shape.doc.strip().removesuffix('.'))}"
    if shape.name == "id":
        return [_Line(f"{key} {item_id}", comment(shape))]
    if shape.item == m.IsoDate:
        return [_Line(f"{key} {today.isoformat()}", comment(shape))]
    if shape.item == m.HttpUrl:  # any text would do, but an address must look like one
        return [_Line(f"{key} https://example.com/{TODO}/{item_id}", comment(shape))]
    if shape.markdown:
        return [_Line(f"{key} |", "Markdown"), _Line(f"{' ' * (indent + 2)}{todo}")]
    if shape.item is str:
        return [_Line(f"{key} {yaml_scalar(todo)}")]
    return _example(shape, indent, {})


def _example(shape: FieldShape, indent: int, known: dict[str, str]) -> list[_Line]:
    """A field with its example value from the model (nested records with all their fields)."""
    key = f"{' ' * indent}{shape.name}:"
    note = comment(shape, default=True)
    if shape.record is not None:
        inner = indent + (4 if shape.many else 2)
        lines = [line for field in fields_of(shape.record) for line in _example(field, inner, {})]
        return [_Line(key, note), *(_as_item(lines, inner) if shape.many else lines)]
    value = known.get(shape.name, _first_example(shape))
    if shape.many and shape.markdown:  # long texts: one per line
        return [_Line(key, note), *(_Line(f"{' ' * (indent + 2)}- {_scalar(v, shape)}") for v in value)]
    if shape.many:
        return [_Line(f"{key} [{', '.join(_scalar(v, shape, in_list=True) for v in value)}]", note)]
    return [_Line(f"{key} {_scalar(value, shape)}", note)]


def _first_example(shape: FieldShape) -> Any:
    if not shape.examples:
        raise ValueError(f"the field '{shape.name}' has no example in the model: add Field(examples=[...])")
    return shape.examples[0]


def _scalar(value: Any, shape: FieldShape, in_list: bool = False) -> str:
    """An example as YAML: dates and numbers as YAML reads them, text plain or quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str) or shape.item in (m.IsoDate, m.PartialDate):
        return str(value)
    return yaml_scalar(value, in_list=in_list)


def _as_item(lines: list[_Line], indent: int) -> list[_Line]:
    """Lines of a record written at indent, made an item of a list: '- ' before the first."""
    first = lines[0]
    return [dataclasses.replace(first, text=f"{first.text[: indent - 2]}- {first.text[indent:]}"), *lines[1:]]


def scaffold(project: Project, kind: str, item_id: str, file: str | None = None,
             today: dt.date | None = None) -> Written:
    """Write a skeleton of a new briefing, actor, source or term; refuse to overwrite or reuse an id."""
    today = today or dt.date.today()
    data = project.data
    if kind in ("briefing", "actor"):
        target = data / f"{kind}s" / f"{item_id}.yaml"
    elif kind == "source":
        target = list_file(data, file, "new.yaml")
    else:
        target = data / "glossary.yaml"
    if file and kind != "source":
        raise BriefError([Problem(display_path(target), None, (), "--file is only for sources")])
    check_id(item_id, target)
    if kind in ("briefing", "actor") and target.exists():
        raise BriefError([Problem(display_path(target), None, (), f"the file already exists; "
                                  f"choose another id or edit {display_path(target)}")])
    taken = existing_content(data).ids
    if item_id in taken:
        raise BriefError([Problem(display_path(target), None, (), f"the id '{item_id}' is already used in "
                                  f"{taken[item_id]}; briefings, actors, sources and terms need distinct ids")])
    body = skeleton(kind, item_id, today)
    if kind in ("briefing", "actor"):
        kind_ = SCHEMA_KINDS[kind]
        write_new(target, f"{schema_comment(project, target, kind_)}\n{body}")
        return Written(target, [item_id], created=True, lines=[2])
    header = LIST_HEADERS["sources" if kind == "source" else "glossary"]
    return append_entries(project, target, {item_id: body}, header)
