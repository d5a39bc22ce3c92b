"""Warnings: legal, but probably not what was meant (a draft, a source cited nowhere, a
placeholder left in). They are shown, and fail a build only under --strict."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..core import model as m
from ..core.errors import Path_, Problem, Report, Severity
from .document import DeferredDocument, Document
from .items import Item
from .messages import shown


def warning(doc: Document | DeferredDocument, path: Path_, message: str, kind: str) -> Problem:
    """A warning of one of the kinds of vocabulary.WARNING_KINDS (a project may turn a kind off)."""
    return dataclasses.replace(doc.problem(path, message), severity=Severity.WARNING, kind=kind)


def suspect(item: Item) -> Iterator[Problem]:
    """What one record says about itself: drafts, judgments without sources, sources hard to re-find."""
    if item.kind == "briefing":
        b: m.Briefing = item.record
        if b.status == "draft":
            path = ("status",) if isinstance(item.doc.data, dict) and "status" in item.doc.data else ()
            yield warning(item.doc, path, "this briefing is still a draft (marked as such everywhere, and left "
                          "out of public builds); set status: final when it is ready", "draft")
        for i, kj in enumerate(b.key_judgments):
            if not kj.cited_sources():
                yield warning(item.doc, ("key_judgments", i), "this key judgment cites no sources; add "
                              "sources: [source-id], or cite one with [@source-id] in its text",
                              "judgment-without-sources")
    elif item.kind == "source":
        s: m.Source = item.record
        if s.accessed is None:
            yield warning(item.doc, item.path, f"source '{item.id}' has no accessed date; add accessed: "
                          "YYYY-MM-DD, the day you read it", "source-without-accessed")
        if s.archive_url is None:
            yield warning(item.doc, item.path, f"source '{item.id}' has no archive_url; add the address of "
                          "an archived copy, in case the page changes or disappears", "source-without-archive")


def placeholders(item: Item) -> Iterator[Problem]:
    """Scaffolded files mark what the author must still write with TODO."""
    for path, value in item.record.text_values(item.path):
        if value.lstrip().startswith("TODO"):
            yield warning(item.doc, path, f"still a placeholder ({shown(value.strip()[:40])}); write it", "placeholder")


def warn_unused(briefings: list[Item], actors: list[Item], sources: list[Item], terms: list[Item],
                report: Report) -> None:
    """Sources cited nowhere and actors named in no briefing (only when every record was read)."""
    cited: set[str] = set()
    for item in briefings + actors + terms:
        cited.update(item.known.cited)
    for item in sources:
        if item.id not in cited:
            report.add(warning(item.doc, item.path, f"source '{item.id}' is cited nowhere (no briefing, actor or "
                               f"glossary term lists it under sources: or cites it as [@{item.id}]); "
                               "cite it or remove it", "source-cited-nowhere"))
    named: set[str] = set()
    for item in briefings:
        named.update(item.known.named_actors)
    for item in actors:
        if item.id not in named:
            report.add(warning(item.doc, (), f"actor '{item.id}' is named in no briefing (not under actors:, in a "
                               f"timeline, nor as [[{item.id}]]); name it in one or remove it", "actor-in-no-briefing"))
