"""The rules that span records: unique ids and addresses, references that name records
that exist, citations placed exactly inside their text, dates that make sense."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit, urlunsplit

from ..core import model as m
from ..core.errors import Mark, Path_, Problem, Report
from ..core.refs import Ref
from ..core.text import LINE_BREAK
from .document import DeferredDocument, Document
from .files import valid_id
from .items import Item, Run
from .messages import did_you_mean
from .warnings import warn_unused


def check_rules(briefings: list[Item], actors: list[Item], sources: list[Item], terms: list[Item],
                 run: Run, today: dt.date, places: list[Item] | None = None) -> None:
    report = run.report
    places = places or []
    _check_unique_ids(briefings + actors + terms, report, shared=True)
    _check_unique_ids(sources, report, shared=False)
    _check_unique_ids(places, report, shared=False)
    _check_unique_urls(sources, report)
    ids = {kind: {i.id: i for i in items} for kind, items in
           (("briefing", briefings), ("actor", actors), ("source", sources), ("term", terms), ("place", places))}
    all_items = briefings + actors + sources + terms
    linkable = {**ids["briefing"], **ids["actor"], **ids["term"]}
    for item in all_items + run.salvaged:  # what failed records still say is checked too
        _check_references(item, ids, run)
        _check_markdown_refs(item, ids, linkable, run)
    for item in sources:
        _check_source_dates(item, report, today)
    for item in briefings + sources:
        report.extend(item.known.suspect)
    for item in all_items:
        report.extend(item.known.placeholders)
    if run.complete:
        warn_unused(briefings, actors, sources, terms, report)


def _check_unique_ids(items: list[Item], report: Report, shared: bool) -> None:
    seen: dict[str, Item] = {}
    for item in items:
        first = seen.setdefault(item.id, item)
        if first is item:
            continue
        path = item.path + ("id",) if item.path else ()
        if first.kind == item.kind:
            message = (f"duplicate {item.kind} id '{item.id}' (also at {_where(first)}); "
                       f"give each {item.kind} its own id")
        else:
            message = (f"the id '{item.id}' is already used by the {first.kind} at {_where(first)}; briefings, "
                       f"actors and glossary terms share one set of ids, so [[{item.id}]] would be ambiguous")
        report.add(item.doc.problem(path, message))


def _where(item: Item) -> str:
    mark = item.doc.mark_of(item.path + ("id",)) if item.path else None
    return f"{item.doc.name}:{mark.line}" if mark else item.doc.name


# Query parameters that say how a reader arrived, not what the page is.
_TRACKING = re.compile(r"^(utm_[a-z_]*|ref|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid)$", re.IGNORECASE)


def without_tracking(url: str) -> str:
    """The address without its tracking parameters (utm_*, ref, fbclid, gclid...)."""
    parts = urlsplit(url.strip())
    if not parts.query:
        return url.strip()
    kept = [p for p in parts.query.split("&") if p and not _TRACKING.match(p.split("=", 1)[0])]
    return urlunsplit(parts._replace(query="&".join(kept)))


def normalise_url(url: str) -> str:
    """Scheme and host case, a trailing slash and tracking parameters do not make a different source."""
    parts = urlsplit(without_tracking(url))
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.lower()}{path}{query}"


def _check_unique_urls(sources: list[Item], report: Report) -> None:
    seen: dict[str, Item] = {}
    for item in sources:
        key = normalise_url(item.record.url)
        first = seen.setdefault(key, item)
        if first is not item:
            report.add(item.doc.problem(item.path + ("url",), f"source '{item.id}' has the same URL as source "
                                        f"'{first.id}' ({_where(first)}); keep one of them"))


def _new_hint(kind: str, value: str) -> str:
    """For an id like no other: how to add the record (`new` writes its skeleton)."""
    if kind == "place":
        return " (add it to places.yaml)"
    return f" (to add it, run the command: new {kind} {value})" if valid_id(value) else ""


def _check_references(item: Item, ids: dict[str, dict[str, Item]], run: Run) -> None:
    report = run.report
    for ref in item.known.id_fields:
        path, value, field_name, kind = ref.path, ref.target, ref.field, ref.kind
        if value not in ids[kind]:
            if not run.exists(kind, value):
                hint = did_you_mean(value, ids[kind]) or _new_hint(kind, value)
                report.add(item.doc.problem(path, f"no {kind} has the id '{value}'{hint}"))
            continue
        if field_name == "country" and ids["actor"][value].record.kind != "state":
            report.add(item.doc.problem(path, f"'{value}' is an actor of kind {ids['actor'][value].record.kind}, "
                                        "not a state; country must name an actor of kind state"))
        if field_name == "related" and value == item.id:
            report.add(item.doc.problem(path, "a briefing cannot be related to itself; name other briefings here"))
        if field_name == "actor" and item.kind == "actor" and value == item.id:
            report.add(item.doc.problem(path, "an actor cannot have a relation to itself; name another actor"))


def _check_markdown_refs(item: Item, ids: dict[str, dict[str, Item]], linkable: dict[str, Item],
                         run: Run) -> None:
    for path, ref in item.known.markdown_refs:
        if ref.kind == "cite":
            if ref.target in ids["source"] or run.exists("source", ref.target):
                continue
            what, pool = "source", ids["source"]
        else:
            if ref.target in linkable or any(run.exists(k, ref.target) for k in ("briefing", "actor", "term")):
                continue
            what, pool = "briefing, actor or glossary term", linkable
        hint = did_you_mean(ref.target, pool) or (_new_hint("source", ref.target) if ref.kind == "cite" else "")
        mark = _locate(item.doc, path, ref, run)
        name = f"the id '{ref.target}'" if ref.target else "an empty id"
        run.report.add(Problem(item.doc.name, mark, path, f"{ref.raw} names no {what} with {name}{hint}"))


def _locate(doc: Document | DeferredDocument, path: Path_, ref: Ref, run: Run) -> Mark | None:
    """The exact position of a reference inside a (possibly multi-line) text value."""
    start, end = doc.mark_of(path), doc.value_ends.get(path)
    if start is None:
        return None
    if doc.file not in run.lines:
        try:
            text = doc.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = ""
        run.lines[doc.file] = LINE_BREAK.split(text)
    lines = run.lines[doc.file]
    last = min(end.line if end else len(lines), len(lines))
    seen = 0
    for n in range(start.line - 1, last):
        line = lines[n]
        col = start.column - 1 if n == start.line - 1 else 0
        stop = end.column - 1 if end and n == end.line - 1 else len(line)
        while (col := line.find(ref.raw, col, stop)) >= 0:
            if seen == ref.occurrence:
                return Mark(n + 1, col + ref.offset + 1)
            seen += 1
            col += len(ref.raw)
    return start  # split over lines in the file: the value's start is the best we know


def _check_source_dates(item: Item, report: Report, today: dt.date) -> None:
    source: m.Source = item.record
    future = False
    for name in ("published", "accessed"):
        value = getattr(source, name)
        if value is not None and value > today:
            future = True
            report.add(item.doc.problem(item.path + (name,), f"{value} is in the future (today is {today})"))
    if not future and source.published and source.accessed and source.accessed < source.published:
        report.add(item.doc.problem(item.path + ("accessed",), f"accessed {source.accessed} is before the source "
                                    f"was published ({source.published}); one of the dates is wrong"))


