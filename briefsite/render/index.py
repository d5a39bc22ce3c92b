"""The library indexed for rendering: where each id lives, which briefings name an actor
or cite a source, and the views across the library. Built once per render from the
library as it is, and read by the site's pages and the print documents alike.

`derived(name, *args)` gives each value a page takes from here as plain data, so that
the next render can tell whether it changed (see incremental.tracking).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core import model as m
from ..incremental.records import PerRecord
from . import books, paging, views
from .markup import plain_text


@dataclass(frozen=True)
class Target:
    """Where an id lives on the site."""

    kind: str
    page: str
    """The Markdown page, relative to the docs folder, e.g. 'actors/putin.md'."""
    anchor: str
    title: str
    title_inside: str = ""
    """The title as [[id]] shows it inside a sentence, where that differs (a glossary term)."""


def inside_sentence(term: m.Term) -> str:
    """A term as written inside a sentence: a small first letter, unless it is a name or its
    first word has more capitals than its first (an acronym such as OSCE, or McDonald)."""
    first = term.term.split(maxsplit=1)[0] if term.term.strip() else ""
    if term.proper_noun or not first or any(c.isupper() for c in first[1:]):
        return term.term
    return term.term[0].lower() + term.term[1:]


def page_url(from_page: str, to_page: str, anchor: str = "") -> str:
    """A relative link between two generated pages (the site uses .html URLs, not folders).
    Both are plain paths inside the docs folder, so the link is found from their folders
    alone (posixpath.relpath would look at the working folder, at a hundred times the cost)."""
    target = to_page[:-3] + ".html" if to_page.endswith(".md") else to_page
    here, there = from_page.split("/")[:-1], target.split("/")
    shared = 0
    while shared < len(here) and shared < len(there) - 1 and here[shared] == there[shared]:
        shared += 1
    rel = "../" * (len(here) - shared) + "/".join(there[shared:])
    return rel + (f"#{anchor}" if anchor else "")


def version_page(bid: str, day: dt.date) -> str:
    """The lasting address of a briefing's version (render/versions.py)."""
    return f"briefings/{bid}/{day.isoformat()}.html"


def changes_page(bid: str, day: dt.date) -> str:
    """What the version of that day changed since the one before it."""
    return f"briefings/{bid}/{day.isoformat()}-changes.html"


def grade(s: m.Source) -> str:
    """'B3' style Admiralty grade, or '' when ungraded."""
    return f"{s.reliability or ''}{s.credibility or ''}"


def bottom_line(b: m.Briefing) -> str:
    """The first sentence of the summary, as plain text, for lists."""
    return first_sentence(b.summary)


@functools.lru_cache(maxsize=1 << 14)  # a pure function of the text: the lists ask it of every summary
def first_sentence(markdown: str) -> str:
    text = plain_text(markdown)
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


class LibraryIndex:
    """The library, indexed for rendering: targets of ids, backlinks, citations and views."""

    def __init__(self, library: m.Library, per_record: PerRecord | None = None):
        """`per_record`: what was worked out from the same record objects before (the live preview)."""
        self.lib = library
        self.per_record = per_record or PerRecord()
        self.targets: dict[str, Target] = {}
        for bid, b in library.briefings.items():
            self.targets[bid] = Target("briefing", f"briefings/{bid}.md", "", b.title)
        for aid, a in library.actors.items():
            self.targets[aid] = Target("actor", f"actors/{aid}.md", "", a.name)
        for tid, t in library.terms.items():
            self.targets[tid] = Target("term", "glossary.md", tid, t.term, inside_sentence(t))
        self._urls: dict[tuple[str, str, str], str] = {}

    def url(self, from_page: str, to_page: str, anchor: str = "") -> str:
        """page_url, found once per pair: pages link to the same few targets again and again."""
        key = (from_page, to_page, anchor)
        found = self._urls.get(key)
        if found is None:
            found = self._urls[key] = page_url(from_page, to_page, anchor)
        return found

    @functools.cached_property
    def glossary(self) -> dict[str, tuple[str, str]]:
        """lower-case term or alias -> (term id, plain-text definition), for first-use hovers."""
        words: dict[str, tuple[str, str]] = {}
        for tid, t in self.lib.terms.items():
            for word in [t.term, *t.aliases]:
                words.setdefault(word.lower(), (tid, plain_text(t.definition)))
        return words

    @functools.cached_property
    def _backlinks(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """actor id -> briefings naming it, source id -> briefings citing it; newest first."""
        naming: dict[str, list[str]] = {}
        citing: dict[str, list[str]] = {}
        for bid, b in self.lib.briefings.items():
            for actor_id in self.per_record.get(b, "named", m.Briefing.named_actors):
                naming.setdefault(actor_id, []).append(bid)
            for source_id in self.per_record.get(b, "cited", m.Briefing.cited_sources):
                citing.setdefault(source_id, []).append(bid)
        return naming, citing

    def naming(self, actor_id: str) -> list[str]:
        """Backlinks: the ids of every briefing that names the actor, newest first."""
        return self._backlinks[0].get(actor_id, [])

    def citing(self, source_id: str) -> list[str]:
        return self._backlinks[1].get(source_id, [])

    @functools.cached_property
    def _pointing(self) -> dict[str, list[tuple[str, m.Relation]]]:
        pointing: dict[str, list[tuple[str, m.Relation]]] = {}
        for aid, a in self.lib.actors.items():
            for r in a.relations:
                if r.actor != aid:
                    pointing.setdefault(r.actor, []).append((aid, r))
        return pointing

    def pointing_at(self, actor_id: str) -> list[tuple[str, m.Relation]]:
        """(other actor id, its relation) for each relation of another actor to this one."""
        return self._pointing.get(actor_id, [])

    @functools.cached_property
    def tags(self) -> list[views.Group]:
        return views.by_tag(self.lib)

    @functools.cached_property
    def regions(self) -> list[views.Group]:
        return views.by_region(self.lib)

    @functools.cached_property
    def statuses(self) -> list[views.Group]:
        return views.by_status(self.lib)

    @functools.cached_property
    def timeline(self) -> list[views.YearGroup]:
        return views.timeline(self.lib)

    @functools.cached_property
    def timeline_pages(self) -> list[paging.TimelinePage]:
        return paging.timeline_pages(self.timeline)

    @functools.cached_property
    def source_pages(self) -> list[paging.SourcePage]:
        return paging.source_pages(self.lib)

    @functools.cached_property
    def actor_pages(self) -> list[paging.SourcePage]:
        return paging.actor_pages(self.lib)

    @functools.cached_property
    def source_page_of(self) -> dict[str, str]:
        """Source id -> the page of its entry ('sources.md' while one page holds them all)."""
        return {sid: sp.page for sp in self.source_pages for sid in sp.sources}

    @functools.cached_property
    def archive(self) -> list[paging.ArchivePage]:
        return paging.archive(self.lib)

    @functools.cached_property
    def books(self) -> list[books.Book]:
        return books.books(self.lib)

    @functools.cached_property
    def group_pages(self) -> dict[str, list[paging.GroupPage]]:
        """'tags', 'regions', 'statuses' -> their groups' pages (none while the index holds them)."""
        return {kind: paging.group_pages(paging.INDEXES[kind][1], getattr(self, kind)) for kind in paging.INDEXES}

    def group_page_of(self, kind: str, anchor: str) -> str | None:
        """The page of a group of an index (its first), or None while the index holds it."""
        return next((gp.page for gp in self.group_pages[kind] if gp.anchor == anchor), None)

    @functools.cached_property
    def tag_anchors(self) -> dict[str, str]:
        return {g.name: g.anchor for g in self.tags}

    @functools.cached_property
    def region_anchors(self) -> dict[str, str]:
        return {g.name: g.anchor for g in self.regions}

    def source_hint(self, s: m.Source) -> str:
        """Shown on hover over a citation: title, publisher, grade."""
        return " — ".join(p for p in [s.title, s.publisher or "", grade(s)] if p)

    @functools.cached_property
    def _hints(self) -> dict[str, str]:
        return {sid: self.source_hint(s) for sid, s in self.lib.sources.items()}

    def hint_of(self, source_id: str) -> str:
        """The hover text of a citation of this source ('' for one not in the library)."""
        return self._hints.get(source_id, "")

    @functools.cached_property
    def fingerprint(self) -> str:
        """Changes whenever a rendered field could: link targets and titles, source hints, glossary."""
        parts = (sorted(self.targets.items()), sorted(self.glossary.items()), sorted(self._hints.items()))
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

    # --- Each value a page takes from here, as plain data ------------------------------------

    def derived(self, name: str, *args: str) -> Any:
        return _DERIVED[name](self, *args)


def _groups(groups: list[views.Group]) -> list[Any]:
    return [(g.name, g.anchor, [bid for bid, _ in g.briefings]) for g in groups]


def _timeline(index: LibraryIndex) -> list[Any]:
    return [(y.year, y.anchor, [(mg.label, mg.anchor, [(it.briefing_id, it.event.model_dump(mode="json"))
                                                      for it in mg.items]) for mg in y.months])
            for y in index.timeline]


def _target(index: LibraryIndex, target_id: str) -> Any:
    t = index.targets.get(target_id)
    return None if t is None else [t.kind, t.page, t.anchor, t.title, t.title_inside]


def derived_history(lib: m.Library, bid: str) -> list[object]:
    """What a page that shows the briefing's history depends on (the newest version is the
    current record, which pages read, and tracked, field by field)."""
    versions = lib.versions.get(bid, ())
    return [[v.commit, v.date.isoformat(), v.note, v.trend,
             v.briefing.model_dump(mode="json") if n < len(versions) - 1 else None]
            for n, v in enumerate(versions)]


def version_view(lib: m.Library, bid: str, day: str) -> list[object]:
    """What a dated version's page shows of the briefing's history: the versions up to it
    (each old one is its commit's file, which never changes; the newest is the current file,
    whole) and the date of the next one (None: it is the current version)."""
    versions = lib.versions.get(bid, ())
    at = next((n for n, v in enumerate(versions) if v.date.isoformat() == day), None)
    if at is None:
        return []
    following = versions[at + 1].date.isoformat() if at + 1 < len(versions) else None
    return [[v.commit, v.path, v.date.isoformat(), v.note, v.trend,
             None if v.commit else v.briefing.model_dump(mode="json")] for v in versions[:at + 1]] + [following]


_DERIVED: dict[str, Callable[..., Any]] = {
    "target": _target,
    "hint": LibraryIndex.hint_of,
    "glossary": lambda index: sorted(index.glossary.items()),
    "naming": LibraryIndex.naming,
    "citing": LibraryIndex.citing,
    "pointing": lambda index, aid: [(other, r.model_dump(mode="json")) for other, r in index.pointing_at(aid)],
    "bottom_line": lambda index, bid: bottom_line(index.lib.briefings[bid]) if bid in index.lib.briefings else None,
    "tags": lambda index: _groups(index.tags),
    "regions": lambda index: _groups(index.regions),
    "statuses": lambda index: _groups(index.statuses),
    "tag_anchor": lambda index, tag: index.tag_anchors.get(tag),
    "region_anchor": lambda index, region: index.region_anchors.get(region),
    "timeline": _timeline,
    "source_page": lambda index, sid: index.source_page_of.get(sid, "sources.md"),
    "source_pages": lambda index: [(sp.page, sp.initial, sp.part, sp.parts, sp.sources) for sp in index.source_pages],
    "group_pages": lambda index, kind: [(gp.page, gp.name, gp.part, gp.parts, gp.briefings)
                                        for gp in index.group_pages[kind]],
    "tag_page": lambda index, tag: index.group_page_of("tags", index.tag_anchors.get(tag, "")),
    "actor_pages": lambda index: [(ap.page, ap.initial, ap.part, ap.parts, ap.sources) for ap in index.actor_pages],
    "archive": lambda index: [(a.page, a.year, a.part, a.parts, a.briefings) for a in index.archive],
    "books": lambda index: [(bk.name, bk.title, bk.what, bk.whole) for bk in index.books],
    "history": lambda index, bid: derived_history(index.lib, bid),
    "version": lambda index, bid, day: version_view(index.lib, bid, day),
    "trends": lambda index: [(mo.anchor, [(e.briefing_id, e.date.isoformat(), e.trend, e.note) for e in mo.entries])
                             for mo in views.trend_months(index.lib)],
}
