"""The briefings as JSON for other tools: a compact list of every briefing
(data/briefings.json, in pages when long) and each briefing in full
(data/briefings/<id>.json), each naming its JSON Schema (data/schema/*.json).

Pure functions of the library (read through the render's tracked library, so that the
incremental build knows what each file read). Text fields are plain text, links shown by
their titles: [[id]] and [@id] are this tool's syntax, and a link to a record the site does
not hold (a public build's) must not give its id away. Output is compact UTF-8 JSON with
the keys in a fixed order, so that two builds of the same library are byte for byte equal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, get_args

from ..core import model as m
from ..core import yardsticks
from ..core.refs import CITATION, citation_ids
from ..core.translations import Languages, language_of, languages, originals
from .feed import entry_updated
from .index import grade, page_url
from .views import plain_with_titles

INDEX = "data/briefings.json"
INDEX_PAGE = 1000
"""Briefings in one page of the list: a longer list continues in data/briefings-2.json and
so on, each page linking the next (see docs/data.md, and docs/performance.md for sizes)."""
SCHEMAS = {"list": "data/schema/briefings.json", "briefing": "data/schema/briefing.json"}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def briefing_path(bid: str) -> str:
    """Where one briefing's JSON is, from the site's root."""
    return f"data/briefings/{bid}.json"


def index_pages(count: int) -> list[str]:
    """The pages of the list of `count` briefings: data/briefings.json, data/briefings-2.json..."""
    return [INDEX if n == 1 else f"data/briefings-{n}.json" for n in range(1, max(1, -(-count // INDEX_PAGE)) + 1)]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def _linker(here: str, site_url: str | None) -> Any:
    """A file of the site ('briefings/x.html') as `here` links it: absolute with site_url,
    else relative to `here` (as a reader resolves a link against the address it fetched)."""
    def link(target: str) -> str:
        return site_url + target if site_url else page_url(here, target)
    return link


def briefings_list(lib: m.Library, page: int, site_url: str | None, pdf_links: bool,
                   versions: Languages | None = None) -> str:
    """The `page`-th page (1, 2...) of the list of every briefing, newest first."""
    listed = [bid for bid, _ in originals(lib.briefings)]
    pages = index_pages(len(listed))
    here = pages[page - 1]
    link = _linker(here, site_url)
    ids = listed[(page - 1) * INDEX_PAGE:page * INDEX_PAGE]
    versions = versions or languages(lib.briefings, lib.site)
    site = lib.site
    out: dict[str, Any] = {
        "$schema": link(SCHEMAS["list"]),
        "site": {"title": site.title, "description": site.description, "language": site.language,
                 "marking": site.marking, "yardstick": yardsticks.of(site.yardstick).key},
        "count": len(listed), "page": page, "pages": len(pages),
        "previous": link(pages[page - 2]) if page > 1 else None,
        "next": link(pages[page]) if page < len(pages) else None,
        "briefings": [_summary(lib, bid, lib.briefings[bid], link, pdf_links, versions) for bid in ids],
    }
    return _dumps(out)


def _summary(lib: m.Library, bid: str, b: m.Briefing, link: Any, pdf_links: bool,
             versions: Languages) -> dict[str, Any]:
    """What the list says of one briefing (and the one briefing's file says too)."""
    return {
        "id": bid, "title": b.title, "date": b.date.isoformat(), "updated": entry_updated(b).isoformat(),
        "status": b.status, "marking": b.marking or lib.site.marking, "region": b.region, "tags": list(b.tags),
        "authors": list(b.authors), "summary": plain_with_titles(lib, b.summary),
        "url": link(f"briefings/{bid}.html"), "pdf": link(f"pdf/{bid}.pdf") if pdf_links else None,
        "data": link(briefing_path(bid)), "lang": language_of(b, lib.site), "translation_of": b.translation_of,
        "translations": [{"id": tid, "lang": lang, "url": link(f"briefings/{tid}.html"),
                          "data": link(briefing_path(tid))} for tid, lang in versions(bid)[1:] if not b.translation_of],
    }


def briefing_record(lib: m.Library, bid: str, site_url: str | None, pdf_links: bool,
                    versions: Languages | None = None) -> str:
    """One briefing in full: its judgments with their likelihood's range, its sources as
    records, the actors it names, its timeline, scenarios, assumptions, updates and outcomes."""
    here = briefing_path(bid)
    link = _linker(here, site_url)
    b = lib.briefings[bid]
    yardstick = yardsticks.of(lib.site.yardstick)

    def text(value: str | None) -> str | None:
        return plain_with_titles(lib, value) if value is not None else None

    def likelihood(key: str | None) -> dict[str, Any] | None:
        term = yardsticks.resolve(key, yardstick) if key else None
        if term is None:
            return None
        return {"term": term.key, "label": term.label, "low": term.low, "high": term.high}

    def cites(ids: Sequence[str], *texts: str | None) -> list[str]:
        """Sources listed, then those cited as [@id] in the texts; the site's only, once each."""
        cited = [sid for t in texts if t for found in CITATION.finditer(t) for sid in citation_ids(found.group(1))]
        return [sid for sid in dict.fromkeys([*ids, *cited]) if sid in lib.sources]

    def outcome(o: m.Outcome | None) -> dict[str, Any] | None:
        if o is None:
            return None
        return {"result": o.result, "on": o.on.isoformat(), "note": text(o.note), "sources": cites(o.sources, o.note)}

    named = [aid for aid in [*b.listed_actors(), *sorted(b.named_actors())] if aid in lib.actors]
    roles = {a.actor: a.role for a in b.actors}
    summary = _summary(lib, bid, b, link, pdf_links, versions or languages(lib.briefings, lib.site))
    out: dict[str, Any] = {"$schema": link(SCHEMAS["briefing"]), **summary}
    out |= {
        "yardstick": yardstick.key,
        "sections": [{"title": s.title, "body": text(s.body)} for s in b.sections],
        "key_judgments": [{"id": kj.id, "text": text(kj.text), "likelihood": likelihood(kj.likelihood),
                           "confidence": kj.confidence, "sources": [s for s in kj.rests_on() if s in lib.sources],
                           "outcome": outcome(kj.outcome)} for kj in b.key_judgments],
        "assumptions": [{"text": text(a.text), "status": a.status, "judgments": list(a.judgments)}
                        for a in b.assumptions],
        "scenarios_exclusive": b.scenarios_exclusive,
        "scenarios": [{"id": sc.id, "title": sc.title, "likelihood": likelihood(sc.likelihood),
                       "description": text(sc.description), "implications": text(sc.implications),
                       "indicators": [{"text": text(i.text), "status": i.status,
                                       "observed_on": i.observed_on.isoformat() if i.observed_on else None,
                                       "sources": cites(i.sources, i.text)} for i in sc.indicators],
                       "outcome": outcome(sc.outcome)} for sc in b.scenarios],
        "timeline": [{"date": str(e.date), "event": text(e.event),
                      "actors": [aid for aid in e.actors if aid in lib.actors], "sources": cites(e.sources, e.event)}
                     for e in b.timeline],
        "actors": [{"id": aid, "name": lib.actors[aid].name, "kind": lib.actors[aid].kind,
                    "role": text(roles.get(aid)), "url": link(f"actors/{aid}.html")}
                   for aid in dict.fromkeys(named)],
        "updates": [{"date": u.date.isoformat(), "note": text(u.note), "trend": u.trend} for u in b.updates],
        "related": [{"id": r, "title": lib.briefings[r].title, "data": link(briefing_path(r))}
                    for r in b.related if r in lib.briefings],
        "sources": [_source(lib.sources[sid], sid, text) for sid in sorted(b.cited_sources()) if sid in lib.sources],
    }
    return _dumps(out)


def _source(s: m.Source, sid: str, text: Any) -> dict[str, Any]:
    return {"id": sid, "title": s.title, "url": str(s.url), "publisher": s.publisher, "author": s.author,
            "published": s.published.isoformat() if s.published else None,
            "accessed": s.accessed.isoformat() if s.accessed else None,
            "archive_url": str(s.archive_url) if s.archive_url else None, "kind": s.kind, "language": s.language,
            "reliability": s.reliability, "credibility": s.credibility, "grade": grade(s) or None,
            "note": text(s.note)}


# The schemas ----------------------------------------------------------------------------

def _doc(record: type[m.Record], name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` described as the model describes the field (one text for the input's schema and this)."""
    description = record.model_fields[name].description
    return {**schema, "description": description} if description else schema


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _enum(literal: Any) -> dict[str, Any]:
    return {"enum": list(get_args(literal))}


STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri-reference"}
"""A link: absolute when the site's address is set (site_url), else relative to the file."""
IDS = {"type": "array", "items": STRING}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    """An object with exactly these keys, each always present (null where nothing is known)."""
    out: dict[str, Any] = {"type": "object", "properties": properties, "required": list(properties),
                           "additionalProperties": False}
    return {"description": description, **out} if description else out


def _summary_properties() -> dict[str, Any]:
    briefing = m.Briefing
    return {
        "id": {"type": "string", "description": "The briefing's id (its file name)."},
        "title": _doc(briefing, "title", STRING), "date": _doc(briefing, "date", DATE),
        "updated": {**DATE, "description": "The latest change-log date, or the briefing's date."},
        "status": _doc(briefing, "status", _enum(m.Status)),
        "marking": {**_nullable(STRING), "description": "The briefing's marking, else the site's."},
        "region": _doc(briefing, "region", _nullable(STRING)), "tags": _doc(briefing, "tags", IDS),
        "authors": _doc(briefing, "authors", IDS),
        "summary": {**STRING, "description": "The bottom line up front, as plain text."},
        "url": {**URL, "description": "The briefing's page."},
        "pdf": {**_nullable(URL), "description": "Its PDF, when the build makes PDFs."},
        "data": {**URL, "description": "The briefing in full (data/briefings/<id>.json)."},
        "lang": {**STRING, "description": "The language it is written in (its own, else the site's)."},
        "translation_of": _doc(briefing, "translation_of", _nullable(STRING)),
        "translations": {"type": "array", "description": "Its translations (a translation is listed only here).",
                         "items": _object({"id": STRING, "lang": STRING, "url": URL, "data": URL})},
    }


def list_schema(site_url: str | None) -> dict[str, Any]:
    """The schema of data/briefings.json and its further pages."""
    site = m.SiteConfig
    return {
        "$schema": DIALECT, **({"$id": site_url + SCHEMAS["list"]} if site_url else {}),
        "title": "Briefings", "description": "Every briefing of the site, newest first, in pages of "
        f"at most {INDEX_PAGE}: data/briefings.json, then data/briefings-2.json...",
        **_object({
            "$schema": {**URL, "description": "This schema."},
            "site": _object({"title": _doc(site, "title", STRING), "description": _doc(site, "description", STRING),
                             "language": _doc(site, "language", STRING),
                             "marking": _doc(site, "marking", _nullable(STRING)),
                             "yardstick": _doc(site, "yardstick", {"enum": list(yardsticks.YARDSTICKS)})}),
            "count": {"type": "integer", "minimum": 0, "description": "Briefings in all the pages."},
            "page": {"type": "integer", "minimum": 1}, "pages": {"type": "integer", "minimum": 1},
            "previous": {**_nullable(URL), "description": "The page before, null on the first."},
            "next": {**_nullable(URL), "description": "The page after, null on the last."},
            "briefings": {"type": "array", "items": _object(_summary_properties())},
        }),
    }


def briefing_schema(site_url: str | None) -> dict[str, Any]:
    """The schema of data/briefings/<id>.json."""
    percent = {"type": "integer", "minimum": 0, "maximum": 100}
    likelihood = _nullable(_object({
        "term": {"enum": list(yardsticks.ALL_TERMS)}, "label": STRING, "low": percent, "high": percent,
    }, "Estimative likelihood: the term, and its range in per cent on the site's yardstick."))
    outcome = _nullable(_object({
        "result": _doc(m.Outcome, "result", _enum(m.OutcomeResult)), "on": _doc(m.Outcome, "on", DATE),
        "note": _doc(m.Outcome, "note", _nullable(STRING)), "sources": _doc(m.Outcome, "sources", IDS)},
        "What happened, once it is known."))
    src = m.Source
    source = _object({
        "id": _doc(src, "id", STRING), "title": _doc(src, "title", STRING), "url": _doc(src, "url", URL),
        "publisher": _doc(src, "publisher", _nullable(STRING)), "author": _doc(src, "author", _nullable(STRING)),
        "published": _doc(src, "published", _nullable(DATE)), "accessed": _doc(src, "accessed", _nullable(DATE)),
        "archive_url": _doc(src, "archive_url", _nullable(URL)), "kind": _doc(src, "kind", _enum(m.SourceKind)),
        "language": _doc(src, "language", _nullable(STRING)),
        "reliability": _doc(src, "reliability", _nullable(_enum(m.Reliability))),
        "credibility": _doc(src, "credibility", _nullable(_enum(m.Credibility))),
        "grade": {**_nullable(STRING), "description": "Reliability and credibility together ('B3')."},
        "note": _doc(src, "note", _nullable(STRING))})
    kj, sc, event = m.KeyJudgment, m.Scenario, m.TimelineEvent
    sources = {**IDS, "description": "Ids of its sources (see sources): listed, then cited in its text."}
    return {
        "$schema": DIALECT, **({"$id": site_url + SCHEMAS["briefing"]} if site_url else {}),
        "title": "Briefing", "description": "One briefing in full; text fields are plain text.",
        **_object({
            "$schema": {**URL, "description": "This schema."},
            **_summary_properties(),
            "yardstick": {"enum": list(yardsticks.YARDSTICKS), "description": "The site's probability yardstick."},
            "sections": _doc(m.Briefing, "sections", {"type": "array", "items": _object(
                {"title": STRING, "body": STRING})}),
            "key_judgments": _doc(m.Briefing, "key_judgments", {"type": "array", "items": _object({
                "id": _doc(kj, "id", _nullable(STRING)), "text": STRING, "likelihood": likelihood,
                "confidence": _doc(kj, "confidence", _nullable(_enum(m.Confidence))), "sources": sources,
                "outcome": outcome})}),
            "assumptions": _doc(m.Briefing, "assumptions", {"type": "array", "items": _object({
                "text": STRING, "status": _doc(m.Assumption, "status", _nullable(_enum(m.AssumptionStatus))),
                "judgments": _doc(m.Assumption, "judgments", IDS)})}),
            "scenarios_exclusive": _doc(m.Briefing, "scenarios_exclusive", {"type": "boolean"}),
            "scenarios": _doc(m.Briefing, "scenarios", {"type": "array", "items": _object({
                "id": _doc(sc, "id", _nullable(STRING)), "title": _doc(sc, "title", STRING), "likelihood": likelihood,
                "description": STRING, "implications": _nullable(STRING),
                "indicators": {"type": "array", "items": _object({
                    "text": STRING, "status": _doc(m.Indicator, "status", _enum(m.IndicatorStatus)),
                    "observed_on": _doc(m.Indicator, "observed_on", _nullable(DATE)), "sources": sources})},
                "outcome": outcome})}),
            "timeline": _doc(m.Briefing, "timeline", {"type": "array", "items": _object({
                "date": _doc(event, "date", {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
                "event": STRING, "actors": _doc(event, "actors", IDS), "sources": sources})}),
            "actors": {"type": "array", "description": "Every actor it names: those it lists, then those in its "
                       "timeline, then those it links to in its text.", "items": _object({
                           "id": STRING, "name": _doc(m.Actor, "name", STRING),
                           "kind": _doc(m.Actor, "kind", _enum(m.ActorKind)),
                           "role": _doc(m.BriefingActor, "role", _nullable(STRING)),
                           "url": {**URL, "description": "The actor's page."}})},
            "updates": _doc(m.Briefing, "updates", {"type": "array", "items": _object({
                "date": _doc(m.Update, "date", DATE), "note": _doc(m.Update, "note", STRING),
                "trend": _doc(m.Update, "trend", _nullable(_enum(m.Trend)))})}),
            "related": _doc(m.Briefing, "related", {"type": "array", "items": _object({
                "id": STRING, "title": STRING, "data": URL})}),
            "sources": {"type": "array", "description": "Every source it lists or cites, by id.", "items": source},
        }),
    }


def schema_text(name: str, site_url: str | None) -> str:
    """A schema as published (indented: people read it)."""
    schema = list_schema(site_url) if name == "list" else briefing_schema(site_url)
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"
