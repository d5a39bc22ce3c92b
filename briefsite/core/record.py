"""The base of every record: the shared settings, and the one walk over a record's fields
that every question about its content uses (its Markdown, its references, its sources)."""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from .refs import CITATION, WIKILINK, Ref, citation_ids, find_refs

KeyPath = tuple[str | int, ...]

REFERENCE_FIELDS: dict[str, str] = {
    # field name -> the kind of record whose id it holds (or a list of such ids)
    "sources": "source", "actor": "actor", "actors": "actor", "related": "briefing", "country": "actor",
    "translation_of": "briefing", "place": "place",
}


@dataclass(frozen=True)
class IdReference:
    """A field that names another record by its id."""

    path: KeyPath
    field: str
    """The field's name (see REFERENCE_FIELDS)."""
    target: str
    """The id it names."""

    @property
    def kind(self) -> str:
        return REFERENCE_FIELDS[self.field]


class Record(BaseModel):
    """Shared settings: unknown keys are errors, documented fields, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, strict=False)

    markdown_fields: ClassVar[tuple[str, ...]] = ()
    """Fields holding Markdown (a string or a list of strings), where references may stand."""

    def walk(self, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Record, str, Any]]:
        """(path, record, field name, value) of every field of this record and of the records
        inside it, in the order written: the one walk every question about a record's content uses."""
        values = self.__dict__  # the fields, by name: faster than getattr for a walk of every one
        for name in type(self).model_fields:
            value = values[name]
            yield path + (name,), self, name, value
            if isinstance(value, list) and value and isinstance(value[0], Record):
                for i, item in enumerate(value):
                    yield from item.walk(path + (name, i))
            elif isinstance(value, Record):  # one record in a field (a judgment's outcome)
                yield from value.walk(path + (name,))

    def markdown_texts(self, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
        """Every Markdown text in this record and the records inside it, with its key path."""
        for where, record, name, value in self.walk(path):
            if name in record.markdown_fields:
                if isinstance(value, str):
                    yield where, value
                elif isinstance(value, list):
                    yield from ((where + (i,), item) for i, item in enumerate(value))

    def text_values(self, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
        """Every text value (Markdown or not), with its key path."""
        for where, _, _, value in self.walk(path):
            if isinstance(value, str):
                yield where, value
            elif isinstance(value, list):
                yield from ((where + (i,), item) for i, item in enumerate(value) if isinstance(item, str))

    def references(self, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Ref]]:
        """Every [@citation] and [[link]] in its Markdown, with the path of its text."""
        for where, text in self.markdown_texts(path):
            for ref in find_refs(text):
                yield where, ref

    def id_references(self, path: KeyPath = ()) -> Iterator[IdReference]:
        """Every field that names a record by id (REFERENCE_FIELDS), nested ones too."""
        for where, _, name, value in self.walk(path):
            if name not in REFERENCE_FIELDS:
                continue
            if isinstance(value, str):
                yield IdReference(where, name, value)
            elif isinstance(value, list):
                yield from (IdReference(where + (i,), name, v) for i, v in enumerate(value) if isinstance(v, str))

    def listed_sources(self) -> Iterator[str]:
        """Every id under a `sources:` key of this record and of the records inside it."""
        values = self.__dict__
        yield from values.get("sources", ())
        for name in _nested_fields(type(self)):
            for item in _records(values[name]):
                yield from item.listed_sources()

    def cited_sources(self) -> set[str]:
        """The sources it lists under `sources:` or cites as [@id] anywhere in it."""
        cited = {target for m in CITATION.finditer(self._all_markdown()) for target in citation_ids(m.group(1))}
        cited.update(self.listed_sources())
        return cited

    def linked_ids(self) -> set[str]:
        """The ids it links to as [[id]] anywhere in its Markdown."""
        return {m.group(1).strip() for m in WIKILINK.finditer(self._all_markdown())}

    def all_markdown(self) -> str:
        """All its Markdown as one text, its parts apart by line breaks: one scan of it says
        whether any of its texts holds something (a reference, a word)."""
        return self._all_markdown()

    def _all_markdown(self) -> str:
        """All its Markdown as one text (a reference never spans a line break, so joining the
        texts with one adds none): one scan finds every reference, where `references` finds
        them text by text with their places (the library index asks this of every briefing)."""
        texts: list[str] = []
        self._gather_markdown(texts)
        return "\n".join(texts)

    def _gather_markdown(self, texts: list[str]) -> None:
        values = self.__dict__
        for name in self.markdown_fields:
            value = values[name]
            if isinstance(value, str):
                texts.append(value)
            elif value:
                texts.extend(value)
        for name in _nested_fields(type(self)):
            for item in _records(values[name]):
                item._gather_markdown(texts)


def _records(value: list[Record] | Record | None) -> list[Record] | tuple[Record, ...]:
    """The records a nested field holds: a list, one record, or none."""
    if value is None or (isinstance(value, list) and value and not isinstance(value[0], Record)):
        return ()  # none, or a field that holds records or else plain values (a briefing's area)
    return (value,) if isinstance(value, Record) else value


@functools.cache
def _nested_fields(cls: type[Record]) -> tuple[str, ...]:
    """The fields of a record class that hold records (a list of them, or one)."""
    return tuple(name for name, info in cls.model_fields.items() if _holds_records(info.annotation))


def _holds_records(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return True
    return any(_holds_records(arg) for arg in typing.get_args(annotation))
