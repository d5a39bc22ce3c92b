"""Warnings: legal, but probably not what was meant (a draft, a source cited nowhere, a
placeholder left in). They are shown, and fail a build only under --strict."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from ..core import model as m
from ..core.errors import Mark, Path_, Problem, Report, Severity
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
    named.update(item.record.country for item in actors if item.record.country)  # a state its people belong to
    for item in actors:
        if item.id not in named:
            report.add(warning(item.doc, (), f"actor '{item.id}' is named in no briefing (not under actors:, in a "
                               f"timeline, nor as [[{item.id}]]); name it in one or remove it", "actor-in-no-briefing"))


_KEY_LINE = re.compile(r"^(\s*)([a-z][a-z_]*):\s*(#.*)?$")
"""A line that is a key alone (`key_judgments:`), as YAML opens a block of items under it."""


def keys_inside_text(item: Item) -> Iterator[Problem]:
    """A Markdown field written as a block (`summary: |`) whose lines hold the record's own keys:
    a key indented under the text, with its items, becomes part of the text, and YAML says
    nothing. One warning per field, at the first such line."""
    top = set(type(item.record).model_fields)
    for where, record, name, value in item.record.walk(item.path):
        if name not in record.markdown_fields or not isinstance(value, str) or "\n" not in value:
            continue
        keys = top | set(type(record).model_fields)
        for n, line in enumerate(value.split("\n")):
            match = _KEY_LINE.match(line)
            if match is None or match.group(2) not in keys:
                continue
            found = warning(item.doc, where, f"line {n + 1} of this text is '{match.group(2)}:', a key of this "
                            f"{_record_noun(record, item)}: indented under the text, it and what follows are read as "
                            f"text, not as {match.group(2)}; start it where the other keys start", "key-inside-text")
            yield _at_line(found, item, where, n, len(match.group(1)))
            break


def _record_noun(record: m.Record, item: Item) -> str:
    return item.kind if record is item.record else type(record).__name__.lower().replace("keyjudgment",
                                                                                             "key judgment")


def _at_line(problem: Problem, item: Item, where: Path_, n: int, indent: int) -> Problem:
    """The problem placed at the n-th line of a block text (`|`, whose lines start on the line
    after its mark); a text written otherwise keeps the mark of its start."""
    mark = problem.mark
    block_indent = item.doc.literal_texts.get(where)
    if mark is None or block_indent is None:
        return problem
    return dataclasses.replace(problem, mark=Mark(mark.line + 1 + n, block_indent + indent + 1))
