"""A record's fields as the authoring tools see them, read from the model alone: what kind of
value each holds, its vocabulary, the record inside it, its docstring and its example. The
skeletons of `new` are written from this, so they cannot drift from the format."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from ..core import model as m
from .content import choices

SCALES: dict[Any, dict[Any, str]] = {m.Reliability: m.RELIABILITY_MEANINGS, m.Credibility: m.CREDIBILITY_MEANINGS}
"""Vocabularies that are graded scales: shown as their two ends and what those mean."""


@dataclass(frozen=True)
class FieldShape:
    """One field of a record."""

    name: str
    doc: str
    """Its docstring, the description in the JSON Schemas."""
    required: bool
    default: Any
    """None for a required field."""
    many: bool
    """A list of values (or of records)."""
    item: Any
    """The kind of the value, or of each item of a list: a record class, a vocabulary (a
    Literal), or one of the model's kinds of value (m.Markdown, m.IsoDate, m.Id, ...)."""
    examples: tuple[Any, ...]
    """The examples the model gives for it (none for lists of records)."""

    @property
    def record(self) -> type[m.Record] | None:
        """The record each value is, if it holds records."""
        return self.item if isinstance(self.item, type) and issubclass(self.item, m.Record) else None

    @property
    def vocabulary(self) -> tuple[Any, ...]:
        """The values it allows, if it holds a vocabulary term."""
        return typing.get_args(self.item) if typing.get_origin(self.item) is Literal else ()

    @property
    def markdown(self) -> bool:
        return bool(self.item == m.Markdown)


def fields_of(cls: type[m.Record]) -> Iterator[FieldShape]:
    """The fields of a record, in the order the model declares them."""
    hints = typing.get_type_hints(cls, include_extras=True)
    for name, info in cls.model_fields.items():
        hint = _without_none(hints[name])
        many = typing.get_origin(hint) is list
        item = _without_validators(typing.get_args(hint)[0] if many else hint)
        required = info.is_required()
        yield FieldShape(name, info.description or "", required, None if required else info.default, many, item,
                         tuple(info.examples or ()))


def records_in(cls: type[m.Record]) -> Iterator[tuple[str, type[m.Record]]]:
    """Every record class reachable from cls, with the key path that leads to it
    (`scenarios[].indicators[]`), cls itself first as ''."""
    yield "", cls
    for shape in fields_of(cls):
        if shape.record is not None:
            for path, inner in records_in(shape.record):
                yield f"{shape.name}{'[]' if shape.many else ''}{'.' + path if path else ''}", inner


def _without_none(hint: Any) -> Any:
    if typing.get_origin(hint) in (Union, types.UnionType):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return hint


def _without_validators(hint: Any) -> Any:
    """A record behind validators (an indicator's shorthand) is the record; the model's own
    kinds of value stay as they are, to be compared with m.Markdown and the rest."""
    if typing.get_origin(hint) is Annotated:
        inner = typing.get_args(hint)[0]
        if isinstance(inner, type) and issubclass(inner, m.Record):
            return inner
    return hint


def comment(shape: FieldShape, *, default: bool = False) -> str:
    """The note beside a field in a skeleton: its docstring, what a vocabulary allows unless
    the docstring names it all already, and the default where the line does not show it."""
    note = " ".join(shape.doc.split()).removesuffix(".")  # one line, however the docstring wraps
    if shape.item in SCALES:
        note += f": {scale(SCALES[shape.item])}"
    elif shape.vocabulary and not all(_names(note, str(v)) for v in shape.vocabulary):
        note += f": {choices(shape.item)}"
    if default and shape.vocabulary and shape.default is not None:
        note += f" (default {shape.default})"
    if shape.markdown and "Markdown" not in note:
        note += " (Markdown)"
    return note


def _names(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def scale(meanings: dict[Any, str]) -> str:
    """An Admiralty scale in a few words: 'A (completely reliable) to F (reliability cannot be judged)'."""
    (low, first), *_, (high, last) = meanings.items()
    return f"{low} ({first}) to {high} ({last})"


def lower_first(text: str) -> str:
    """'The headline' -> 'the headline', for the middle of a sentence; 'YYYY-MM' stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def missing_fields(cls: type[m.Record], example: Any, where: str = "") -> list[str]:
    """The fields of a record, nested records' too, that a YAML example of it (a mapping or a
    list of them) never shows, as key paths: `scenarios[].indicators[].status`. The tests hold
    docs/format.md and the skeletons of `new` to showing every field this way."""
    mappings = [e for e in (example if isinstance(example, list) else [example]) if isinstance(e, dict)]
    missing: list[str] = []
    for shape in fields_of(cls):
        key = f"{where}{shape.name}"
        shown = [mapping[shape.name] for mapping in mappings if shape.name in mapping]
        if not shown:
            missing.append(key)
        elif shape.record is not None:
            inner = [x for value in shown for x in (value if isinstance(value, list) else [value])]
            missing += missing_fields(shape.record, inner, f"{key}{'[]' if shape.many else ''}.")
    return missing
