"""What reading yields: records with where they came from, what one file yields on its
own, and the state of one run (its report, and the ids that exist but could not be read)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import Mark, Path_, Problem, Report
from ..core.record import IdReference
from ..core.refs import Ref
from ..incremental.files import FileMemo
from .document import DeferredDocument, Document

KINDS = ("briefing", "actor", "source", "term", "place")


@dataclass(frozen=True)
class Facts:
    """What the rules across records need of one record: found once, when its file is read,
    so that a later run with the file unchanged only looks them up."""

    id_fields: tuple[IdReference, ...]
    """Every field that names a record by id (see model.REFERENCE_FIELDS)."""
    markdown_refs: tuple[tuple[Path_, Ref], ...]
    """Every [@citation] and [[link]] in its Markdown, with the path of its text."""
    listed_sources: frozenset[str]
    """Ids under a `sources:` key, nested ones too."""
    named_actors: frozenset[str]
    """For a briefing, the ids it names as actors (model.Briefing.named_actors); else none."""
    suspect: tuple[Problem, ...]
    """Its warnings about itself (draft, judgment without sources, source hard to re-find)."""
    placeholders: tuple[Problem, ...]
    """Its warnings for TODO placeholders."""
    confident: tuple[tuple[Path_, Mark | None], ...] = ()
    """For a briefing, where the `confidence: high` of each key judgment stands: the tradecraft
    checks (read/tradecraft.py) warn there without parsing an unchanged file again."""

    @property
    def cited(self) -> set[str]:
        """Sources it cites in its text or lists."""
        return {ref.target for _, ref in self.markdown_refs if ref.kind == "cite"} | self.listed_sources

    @property
    def linked(self) -> set[str]:
        return {ref.target for _, ref in self.markdown_refs if ref.kind == "link"}


@dataclass
class Item:
    """A record with the document it came from and its path inside that document."""

    kind: str
    id: str
    record: Any
    doc: Document | DeferredDocument
    path: Path_ = ()
    facts: Facts | None = None
    """What the rules across records need of it, found when its file was read."""

    @property
    def known(self) -> Facts:
        assert self.facts is not None, "every item is made with its facts (files.with_facts)"
        return self.facts


@dataclass
class FileResult:
    """What one file yields on its own: its records, its problems, and the ids in it that failed.
    The same text at the same place always yields the same result (see incremental.FileMemo)."""

    problems: list[Problem] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)
    unknown: bool = False
    """An entry whose id cannot be told: references to its kind are not checked."""
    salvaged: list[Item] = field(default_factory=list)
    """Records that failed, read without their failing values (shapes.salvage): the rules
    across records still check their references and citations, and nothing else uses them."""

    def with_text(self, text: str) -> FileResult:
        """This result, kept from an earlier run, given the file's text again: its deferred
        document (shared by the file's records) parses it if a problem needs a position."""
        for item in [*self.items, *self.salvaged][:1]:
            if isinstance(item.doc, DeferredDocument):
                item.doc.text = text
        return self


@dataclass
class Run:
    """One run's report, and the ids of records that exist but could not be read."""

    report: Report
    broken: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    """kind -> ids of records that failed to load or to validate (references to them are not errors)."""
    unknown: set[str] = field(default_factory=set)
    """Kinds with a file so broken that its ids are unknown: references to that kind are not checked."""
    lines: dict[Path, list[str]] = field(default_factory=dict)
    """The lines of files, read once, to place references inside text values."""
    memo: FileMemo[FileResult] = field(default_factory=FileMemo)
    salvaged: list[Item] = field(default_factory=list)
    """What the failed records still say (FileResult.salvaged)."""
    data: Path | None = None
    """The content folder: a file reached through a link out of it is refused unread."""

    def take(self, kind: str, result: FileResult) -> list[Item]:
        """Add what one file yielded to this run."""
        self.report.extend(result.problems)
        self.broken[kind].update(result.broken)
        self.salvaged.extend(result.salvaged)
        if result.unknown:
            self.unknown.add(kind)
        return result.items

    @property
    def complete(self) -> bool:
        """Every record was read: only then can we tell that something is used nowhere."""
        return not self.unknown and not any(self.broken.values())

    def exists(self, kind: str, value: str) -> bool:
        return kind in self.unknown or value in self.broken[kind]
