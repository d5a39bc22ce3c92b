"""The library indexed for rendering: where each id lives, which briefings name an actor
or cite a source, and the views across the library. Built once per render from the
library as it is, and read by the site's pages and the print documents alike.

`view(name, *args)` gives each value a page takes from here by its name (a method or a
property of the index, one of VIEWS): a page notes that it read it (context.Reading.view),
and the next render finds its digest from the value itself (incremental.tracking.as_plain).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from typing import Any, NamedTuple

from ..core import model as m
from ..core.translations import Languages, languages, originals
from ..incremental.records import PerRecord
from . import books, paging, records, views
from .markup import plain_text
from .words import words_for


class Target(NamedTuple):
    """Where an id lives on the site (a named tuple: pages read thousands, and their digests
    take it as the list it is)."""

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


def version_pdf_name(bid: str, day: dt.date) -> str:
    """The version's PDF, under pdf/ (without .pdf)."""
    return f"{bid}/{day.isoformat()}"


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
    return sentence_of(plain_text(markdown))


def sentence_of(text: str) -> str:
    """The first sentence of a plain text."""
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
        """page_url, found once per folder and target: the pages of a folder link to the same
        targets again and again (kept by page, the links of 1,000 briefings took 10 MB)."""
        key = (from_page.rpartition("/")[0], to_page, anchor)
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
        for bid, b in originals(self.lib.briefings):
            for actor_id in self.per_record.get(b, "named", m.Briefing.named_actors):
                naming.setdefault(actor_id, []).append(bid)
            for source_id in self.per_record.get(b, "cited", m.Briefing.cited_sources):
                citing.setdefault(source_id, []).append(bid)
        return naming, citing

    def naming(self, actor_id: str) -> list[str]:
        """Backlinks: the ids of every briefing that names the actor, newest first."""
        return self._backlinks[0].get(actor_id, [])

    @functools.cached_property
    def _actor_spans(self) -> dict[str, tuple[dt.date, dt.date]]:
        spans: dict[str, tuple[dt.date, dt.date]] = {}
        for actor_id, bids in self._backlinks[0].items():
            issued = [self.lib.briefings[bid].issued() for bid in bids]
            spans[actor_id] = min(first for first, _ in issued), max(latest for _, latest in issued)
        return spans

    def actor_span(self, actor_id: str) -> tuple[dt.date, dt.date] | None:
        """The first issue and the latest version of the briefings that name the actor (None: none does)."""
        return self._actor_spans.get(actor_id)

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
        return paging.timeline_pages(self.timeline, words_for(self.lib.site.language))

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
    def _group_pages(self) -> dict[str, list[paging.GroupPage]]:
        words = words_for(self.lib.site.language)
        return {kind: paging.group_pages(paging.INDEXES[kind][1], getattr(self, kind), words)
                for kind in paging.INDEXES}

    def group_pages(self, kind: str) -> list[paging.GroupPage]:
        """The pages of the groups of an index ('tags', 'regions', 'statuses'), none while it holds them."""
        return self._group_pages[kind]

    def group_page_of(self, kind: str, anchor: str) -> str | None:
        """The page of a group of an index (its first), or None while the index holds it."""
        return next((gp.page for gp in self._group_pages[kind] if gp.anchor == anchor), None)

    @functools.cached_property
    def tag_anchors(self) -> dict[str, str]:
        return {g.name: g.anchor for g in self.tags}

    @functools.cached_property
    def region_anchors(self) -> dict[str, str]:
        return {g.name: g.anchor for g in self.regions}

    @functools.cached_property
    def feed_paths(self) -> dict[tuple[str, str], str]:
        return views.feed_paths(self.lib)

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

    # --- The views a page takes from here by name (VIEWS) --------------------------------

    def view(self, name: str, *args: str) -> Any:
        """The value of the view `name` (a method called with `args`, or a property)."""
        if name not in VIEWS:
            raise ValueError(f"not a view of the library index: {name!r}")
        value = getattr(self, name)
        return value(*args) if callable(value) else value

    def target(self, target_id: str) -> Target | None:
        return self.targets.get(target_id)

    def hint(self, source_id: str) -> str:
        return self.hint_of(source_id)

    def pointing(self, actor_id: str) -> list[tuple[str, m.Relation]]:
        return self.pointing_at(actor_id)

    def bottom_line(self, bid: str) -> str | None:
        b = self.lib.briefings.get(bid)
        return bottom_line(b) if b is not None else None

    def tag_anchor(self, tag: str) -> str | None:
        return self.tag_anchors.get(tag)

    def region_anchor(self, region: str) -> str | None:
        return self.region_anchors.get(region)

    def source_page(self, source_id: str) -> str:
        """The page of a source's entry ('sources.md' while one page holds them all)."""
        return self.source_page_of.get(source_id, "sources.md")

    def feed_page(self, kind: str, key: str) -> str | None:
        """The path of the feed of a tag, a region or an actor ('tag', 'russia'), None for none."""
        return self.feed_paths.get((kind, key))

    def tag_page(self, tag: str) -> str | None:
        return self.group_page_of("tags", self.tag_anchors.get(tag, ""))

    def history(self, bid: str) -> tuple[m.Version, ...]:
        """The briefing's versions (each earlier one stands for its commit's file; the newest
        is the current record, whose fields a page reads and are recorded one by one)."""
        return self.lib.versions.get(bid, ())

    @functools.cached_property
    def trends(self) -> list[views.TrendMonth]:
        return views.trend_months(self.lib)

    @functools.cached_property
    def watch_list(self) -> list[records.WatchGroup]:
        return records.watch_list(self.lib)

    @functools.cached_property
    def track_record(self) -> records.TrackRecord:
        return records.track_record(self.lib)

    @functools.cached_property
    def _languages(self) -> Languages:
        return languages(self.lib.briefings, self.lib.site)

    def languages(self, bid: str) -> list[tuple[str, str]]:
        """(id, language) of a briefing's original and each translation of it (translations.Languages)."""
        return self._languages(bid)

    def version(self, bid: str, day: str) -> list[object]:
        return version_view(self.lib, bid, day)


VIEWS = frozenset({
    "target", "hint", "glossary", "naming", "actor_span", "citing", "pointing", "bottom_line", "tags", "regions",
    "statuses", "tag_anchor", "region_anchor", "feed_page", "timeline", "source_page", "source_pages", "group_pages",
    "tag_page",
    "actor_pages", "archive", "books", "history", "trends", "version",
    "watch_list", "track_record", "languages"})
"""What a page may read of the index by name (Reading.view): each value's digest is found from
the value, so a view is added here, not described twice."""


def version_view(lib: m.Library, bid: str, day: str) -> list[object]:
    """What a dated version's page shows of the briefing's history: the versions up to it
    (each old one is its commit's file, which never changes; the newest is the current file,
    whole: a version page reads it untracked) and the date of the next one (None: it is the
    current version)."""
    versions = lib.versions.get(bid, ())
    at = next((n for n, v in enumerate(versions) if v.date.isoformat() == day), None)
    if at is None:
        return []
    following = versions[at + 1].date.isoformat() if at + 1 < len(versions) else None
    return [[v.commit, v.path, v.date.isoformat(), v.note, v.trend,
             None if v.commit else v.briefing.model_dump(mode="json")] for v in versions[:at + 1]] + [following]
