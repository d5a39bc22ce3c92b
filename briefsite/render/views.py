"""Analyst views across the library: timeline, indexes by tag, region and status, and the
relationship graphs of actors.

Pure functions of the library: Python decides what each view holds; the templates
(timeline.md.j2, tags.md.j2, regions.md.j2, status.md.j2) only lay it out.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Protocol

from markupsafe import Markup, escape

from ..core import model as m
from ..core.refs import WIKILINK
from ..core.text import slug
from ..incremental.drawings import Drawings
from . import graphs
from .markup import plain_text


class Links(Protocol):
    """What the views need of the page helper `p`: relative links from the current page."""

    def url_of(self, target_id: str) -> str: ...

    def url(self, page: str, anchor: str = "") -> str: ...


# Dates of timeline events ---------------------------------------------------------

@dataclass(frozen=True, order=True)
class EventDate:
    """A timeline date that may be partial (YYYY, YYYY-MM or YYYY-MM-DD).

    Ordered by (year, month, day) with 0 for an unknown part, so an event known only
    to the month comes before the days of that month, and one known only to the year
    before its months: the reader meets "sometime in October" before "14 October".
    """

    year: int
    month: int = 0
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> EventDate:
        parts = [int(p) for p in str(text).split("-")]
        return cls(*parts)

    @property
    def iso(self) -> str:
        """The value for <time datetime>: a valid year, month or date string."""
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return out

    @property
    def label(self) -> str:
        """'14 Oct 2020', 'Oct 2020' or '2020'."""
        if not self.month:
            return str(self.year)
        month = calendar.month_abbr[self.month]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"


@dataclass(frozen=True)
class TimelineItem:
    date: EventDate
    event: m.TimelineEvent
    briefing_id: str
    briefing: m.Briefing


@dataclass
class MonthGroup:
    month: int
    """0 for events known only to the year."""
    label: str
    anchor: str
    items: list[TimelineItem] = field(default_factory=list)


@dataclass
class YearGroup:
    year: int
    anchor: str
    months: list[MonthGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(mg.items) for mg in self.months)


@dataclass(frozen=True)
class TrendEntry:
    """An update that gave a trend: where the situation of a briefing went."""

    briefing_id: str
    date: dt.date
    trend: str
    note: str


@dataclass(frozen=True)
class TrendMonth:
    label: str
    anchor: str
    entries: list[TrendEntry]


def trend_months(lib: m.Library) -> list[TrendMonth]:
    """Every update with a trend, by month, newest first (CrisisWatch's monthly view)."""
    entries = sorted((TrendEntry(bid, u.date, u.trend, u.note) for bid, b in lib.briefings.items()
                      for u in b.updates if u.trend), key=lambda e: (e.date, e.briefing_id), reverse=True)
    months: list[TrendMonth] = []
    for e in entries:
        anchor = f"m{e.date.year}-{e.date.month:02d}"
        if not months or months[-1].anchor != anchor:
            months.append(TrendMonth(f"{calendar.month_name[e.date.month]} {e.date.year}", anchor, []))
        months[-1].entries.append(e)
    return months


TIMELINE_WHOLE = 400
"""Events the timeline shows on one page; a library with more has a page per year (or per
month of a long year) and the timeline page lists them."""
TIMELINE_PAGE = 200
"""Events on one page of a split timeline: a longer year gets a page per month, and a
longer month pages of this many."""


@dataclass(frozen=True)
class TimelinePage:
    """One page of a split timeline: a year, a month of a long year, or part of a long month."""

    page: str
    """'timeline/2020.md', 'timeline/2020-03.md', 'timeline/2020-03-2.md' (00: the month is not known)."""
    label: str
    year: int
    years: list[YearGroup]
    """What it shows: one year, with all its months or one of them (or part of one)."""

    @property
    def count(self) -> int:
        return sum(y.count for y in self.years)


def timeline_pages(groups: list[YearGroup]) -> list[TimelinePage]:
    """The timeline in pages of at most about TIMELINE_PAGE events, oldest first (none while
    it fits on one page)."""
    if sum(y.count for y in groups) <= TIMELINE_WHOLE:
        return []
    pages = []
    for y in groups:
        if y.count <= TIMELINE_PAGE:
            pages.append(TimelinePage(f"timeline/{y.year}.md", str(y.year), y.year, [y]))
            continue
        for mg in y.months:
            runs = [mg.items[i:i + TIMELINE_PAGE] for i in range(0, len(mg.items), TIMELINE_PAGE)]
            for n, run in enumerate(runs, start=1):
                name = f"timeline/{y.year}-{mg.month:02d}" + (f"-{n}" if n > 1 else "") + ".md"
                label = mg.label + (f" ({n} of {len(runs)})" if len(runs) > 1 else "")
                part = MonthGroup(mg.month, mg.label, mg.anchor, run)
                pages.append(TimelinePage(name, label, y.year, [YearGroup(y.year, y.anchor, [part])]))
    return pages


def timeline(lib: m.Library) -> list[YearGroup]:
    """Every timeline event of every briefing, oldest first, grouped by year and month.

    Events of the same date keep the order of the briefings (newest first) and, within
    a briefing, the order in which they were written.
    """
    items = [TimelineItem(EventDate.parse(e.date), e, bid, b)
             for bid, b in lib.briefings.items() for e in b.timeline]
    items.sort(key=lambda it: it.date)  # stable: ties keep briefing and written order
    years: list[YearGroup] = []
    for it in items:
        if not years or years[-1].year != it.date.year:
            years.append(YearGroup(it.date.year, f"y{it.date.year}"))
        year = years[-1]
        if not year.months or year.months[-1].month != it.date.month:
            if it.date.month:
                label = f"{calendar.month_name[it.date.month]} {it.date.year}"
                anchor = f"y{it.date.year}-{it.date.month:02d}"
            else:
                label, anchor = f"{it.date.year}, month not known", f"y{it.date.year}-00"
            year.months.append(MonthGroup(it.date.month, label, anchor))
        year.months[-1].items.append(it)
    return years


# Indexes ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Group:
    """A heading on an index page (a tag, a region, a status) and its briefings."""

    name: str
    anchor: str
    briefings: list[tuple[str, m.Briefing]]


def in_parts(ids: list[str], size: int) -> list[tuple[int, int, list[str]]]:
    """(part, parts, ids) of a list cut into parts of `size` (one part, maybe empty, at least)."""
    parts = max(1, -(-len(ids) // size))
    return [(part, parts, ids[(part - 1) * size:part * size]) for part in range(1, parts + 1)]


def part_page(stem: str, part: int) -> str:
    """'archive/2020.md' for the first part, 'archive/2020-2.md' for the second."""
    return f"{stem}.md" if part == 1 else f"{stem}-{part}.md"


HOME_LATEST = 20
"""Briefings the home page lists; a library with more has an archive of them all, by year."""
ARCHIVE_PAGE = 200
"""Briefings on one page of the archive: a year with more is split into pages of this many."""


@dataclass(frozen=True)
class ArchivePage:
    """One page of the archive of every briefing: a year, or part of a long year."""

    page: str
    """'archive/2020.md', or 'archive/2020-2.md' for the second page of a long year."""
    year: int
    part: int
    """1, 2, ... within the year."""
    parts: int
    briefings: list[str]
    """Ids, newest first."""

    @property
    def label(self) -> str:
        return f"{self.year}" if self.parts == 1 else f"{self.year} ({self.part} of {self.parts})"


def archive(lib: m.Library) -> list[ArchivePage]:
    """Every briefing by year, newest first, in pages of at most ARCHIVE_PAGE (none while the
    home page lists them all)."""
    if len(lib.briefings) <= HOME_LATEST:
        return []
    years: dict[int, list[str]] = {}
    for bid, b in lib.briefings.items():  # newest first already
        years.setdefault(b.date.year, []).append(bid)
    return [ArchivePage(part_page(f"archive/{year}", part), year, part, parts, ids)
            for year in sorted(years, reverse=True) for part, parts, ids in in_parts(years[year], ARCHIVE_PAGE)]


def anchor_for(text: str, prefix: str) -> str:
    """An anchor for free text: lower case, letters of any script kept, other runs as '-'."""
    core = slug(text, scripts=True)
    return f"{prefix}-{core}" if core else prefix


def _unique(anchors: dict[str, str], name: str, prefix: str) -> str:
    base = anchor_for(name, prefix)
    anchor, n = base, 2
    while anchor in anchors.values():
        anchor, n = f"{base}-{n}", n + 1
    anchors[name] = anchor
    return anchor


def _sort_key(text: str) -> tuple[str, str]:
    return text.casefold(), text


SOURCES_WHOLE = 300
"""Sources the sources page lists whole; a library with more has a page per initial of
their titles (in parts of SOURCES_PAGE), and the sources page lists those."""
SOURCES_PAGE = 150
CITED_SHOWN = 30
"""Briefings a source's entry names as citing it (the newest); the rest are counted."""


@dataclass(frozen=True)
class SourcePage:
    """One page of the sources (or of the actors), by the initial of their titles (names)."""

    page: str
    """'sources/a.md', 'sources/a-2.md', 'sources/0-9.md', 'sources/other.md' (or 'actors/by-name/...')."""
    initial: str
    """'A', '0-9' or 'Other' (a title in another script, or starting with a sign)."""
    part: int
    parts: int
    sources: list[str]
    """Ids, by title (or name)."""

    @property
    def label(self) -> str:
        return self.initial if self.parts == 1 else f"{self.initial} ({self.part} of {self.parts})"


def initial_of(title: str) -> str:
    """'A' to 'Z' for a title that starts with a Latin letter (accents aside), '0-9' for a
    digit, 'Other' for the rest."""
    first = next((c for c in title if c.isalnum()), "")
    plain = unicodedata.normalize("NFKD", first)[:1].upper()
    if "A" <= plain <= "Z":
        return plain
    return "0-9" if plain.isdigit() else "Other"


ACTORS_WHOLE = 300
"""Actors the actors page lists whole; a library with more has a page per initial of
their names (in parts of ACTORS_PAGE), and the actors page lists those."""
ACTORS_PAGE = 200
BACKLINKS_SHOWN = 50
"""Briefings an actor's page names as naming it (the newest); the rest are counted."""


def actor_pages(lib: m.Library) -> list[SourcePage]:
    """The actors by the initial of their names, in pages (none while one page holds them)."""
    if len(lib.actors) <= ACTORS_WHOLE:
        return []
    by_initial: dict[str, list[str]] = {}
    for aid, a in lib.actors.items():  # sorted by name already
        by_initial.setdefault(initial_of(a.name), []).append(aid)
    order = sorted(by_initial, key=lambda i: (i == "Other", i != "0-9", i))
    # a folder of its own: an actor's page is actors/<id>.md, and an id may be a letter
    return [SourcePage(part_page(f"actors/by-name/{initial.lower()}", part), initial, part, parts, ids)
            for initial in order for part, parts, ids in in_parts(by_initial[initial], ACTORS_PAGE)]


def source_pages(lib: m.Library) -> list[SourcePage]:
    """The sources by initial, in pages of at most SOURCES_PAGE (none while one page holds them)."""
    if len(lib.sources) <= SOURCES_WHOLE:
        return []
    by_initial: dict[str, list[str]] = {}
    for sid in sorted(lib.sources, key=lambda sid: _sort_key(lib.sources[sid].title)):
        by_initial.setdefault(initial_of(lib.sources[sid].title), []).append(sid)
    order = sorted(by_initial, key=lambda i: (i == "Other", i != "0-9", i))
    return [SourcePage(part_page(f"sources/{initial.lower()}", part), initial, part, parts, ids)
            for initial in order for part, parts, ids in in_parts(by_initial[initial], SOURCES_PAGE)]


GROUPS_WHOLE = 300
"""Briefings an index page (tags, regions, status) lists whole, all groups together; a
library with more has a page per group (in parts of GROUP_PAGE), and the index lists them."""
GROUP_PAGE = 200


@dataclass(frozen=True)
class GroupPage:
    """The page of one group of an index (a tag, a region, a status), or part of a long one."""

    page: str
    """'tags/tag-russia.md', 'tags/tag-russia-2.md', 'regions/region-caucasus.md', 'status/drafts.md'."""
    name: str
    anchor: str
    part: int
    parts: int
    briefings: list[str]
    """Ids, newest first."""

    @property
    def label(self) -> str:
        return self.name if self.parts == 1 else f"{self.name} ({self.part} of {self.parts})"


def group_pages(folder: str, groups: list[Group]) -> list[GroupPage]:
    """The groups of an index in pages of their own under `folder` (none while it fits on one)."""
    if sum(len(g.briefings) for g in groups) <= GROUPS_WHOLE:
        return []
    return [GroupPage(part_page(f"{folder}/{g.anchor}", part), g.name, g.anchor, part, parts, ids)
            for g in groups for part, parts, ids in in_parts([bid for bid, _ in g.briefings], GROUP_PAGE)]


INDEXES = {"tags": ("tags/index.md", "tags", "Tag"), "regions": ("regions.md", "regions", "Region"),
           "statuses": ("status.md", "status", "Status")}
"""Each index of groups: its page, the folder of its groups' pages, what a group is."""


def by_tag(lib: m.Library) -> list[Group]:
    """Every tag, alphabetically (ignoring case), with its briefings newest first."""
    tagged: dict[str, list[tuple[str, m.Briefing]]] = {}
    for bid, b in lib.briefings.items():
        for tag in dict.fromkeys(b.tags):
            tagged.setdefault(tag, []).append((bid, b))
    anchors: dict[str, str] = {}
    return [Group(t, _unique(anchors, t, "tag"), tagged[t]) for t in sorted(tagged, key=_sort_key)]


def by_region(lib: m.Library) -> list[Group]:
    """Every region, alphabetically, then the briefings that name none."""
    regions: dict[str, list[tuple[str, m.Briefing]]] = {}
    unplaced: list[tuple[str, m.Briefing]] = []
    for bid, b in lib.briefings.items():
        if b.region and b.region.strip():
            regions.setdefault(b.region.strip(), []).append((bid, b))
        else:
            unplaced.append((bid, b))
    anchors: dict[str, str] = {}
    groups = [Group(r, _unique(anchors, r, "region"), regions[r]) for r in sorted(regions, key=_sort_key)]
    if unplaced:
        groups.append(Group("No region given", "region-none", unplaced))
    return groups


def by_status(lib: m.Library) -> list[Group]:
    """Drafts first (what still needs work), then final briefings; both newest first."""
    return [
        Group("Drafts", "drafts", [(bid, b) for bid, b in lib.briefings.items() if b.status == "draft"]),
        Group("Final", "final", [(bid, b) for bid, b in lib.briefings.items() if b.status == "final"]),
    ]


# Relationship graphs ---------------------------------------------------------------

def plain_with_titles(lib: m.Library, text: str | None) -> str:
    """A Markdown field as one line of plain text, links shown by their titles."""
    def title(match: re.Match[str]) -> str:
        shown = (match.group(2) or "").strip()
        if shown:
            return shown
        target = match.group(1).strip()
        if target in lib.actors:
            return lib.actors[target].name
        if target in lib.briefings:
            return lib.briefings[target].title
        if target in lib.terms:
            return lib.terms[target].term
        return target
    return plain_text(WIKILINK.sub(title, text or ""))


def _node(lib: m.Library, p: Links, aid: str, focus: bool = False) -> graphs.GraphNode:
    a = lib.actors[aid]
    tip = " — ".join(dict.fromkeys(x for x in (a.name, a.native_name, a.title) if x))
    return graphs.GraphNode(aid, a.name, a.native_name or "", a.native_lang or "", p.url_of(aid), tip, a.kind, focus)


def _edge(lib: m.Library, source: str, r: m.Relation) -> graphs.GraphEdge:
    style = graphs.EDGE_STYLES.get(r.type, graphs.EDGE_STYLES["other"])
    tip = f"{lib.actors[source].name} — {style.label} — {lib.actors[r.actor].name}"
    note = plain_with_titles(lib, r.note)
    return graphs.GraphEdge(source, r.actor, r.type, f"{tip}: {note}" if note else tip, note)


Graph = tuple[list[graphs.GraphNode], list[graphs.GraphEdge]]


BRIEFING_GRAPH_ABOUT = "The briefing's actors and the relations among them."
"""The caption of a briefing's graph; the site and the PDFs each add where selecting an actor leads."""


def briefing_graph_title(b: m.Briefing) -> str:
    return f"Actors of: {b.title}"


def actor_graph_title(lib: m.Library, aid: str) -> str:
    return f"Relations of {lib.actors[aid].name}"


def briefing_graph_data(lib: m.Library, p: Links, b: m.Briefing) -> Graph:
    """The briefing's actors (its actors list, then those only in its timeline) and the
    relations among them; nothing ([], []) when there is nothing to draw: a single actor
    without relations. Nodes link where `p.url_of` says (the site's pages, or anchors
    inside a PDF)."""
    ids = [aid for aid in b.listed_actors() if aid in lib.actors]
    members = set(ids)
    nodes = [_node(lib, p, aid) for aid in ids]
    edges = [_edge(lib, aid, r) for aid in ids for r in lib.actors[aid].relations if r.actor in members]
    if not edges and len(nodes) < 2:
        return [], []
    return nodes, edges


ACTOR_GRAPH_MAX_POINTING = 24
"""An actor's graph draws at most this many of the relations of others that point at it.
An actor many others relate to (a great power) would otherwise be drawn with hundreds of
neighbours: a star nobody can read, whose layout grows faster than the library (Graphviz
took 100 s of a 4-minute render at 3,000 briefings for a handful of such actors). Those
not drawn are listed under the drawing (not_drawn)."""


def actor_graph_data(lib: m.Library, p: Links, aid: str, pointing: list[tuple[str, m.Relation]]) -> Graph:
    """The actor, its relations and `pointing`, the relations of others that point at it
    (see index.LibraryIndex.pointing_at), the first ACTOR_GRAPH_MAX_POINTING of them;
    nothing ([], []) when there are none."""
    actor = lib.actors[aid]
    edges = [_edge(lib, aid, r) for r in actor.relations if r.actor in lib.actors]
    edges += [_edge(lib, other, r) for other, r in pointing[:ACTOR_GRAPH_MAX_POINTING]]
    if not edges:
        return [], []
    ids = list(dict.fromkeys([aid] + [e.target if e.source == aid else e.source for e in edges]))
    return [_node(lib, p, x, focus=x == aid) for x in ids], edges


def not_drawn(pointing: list[tuple[str, m.Relation]]) -> list[tuple[str, m.Relation]]:
    """The relations of others pointing at an actor that its graph leaves out."""
    return pointing[ACTOR_GRAPH_MAX_POINTING:]


def in_words_html(nodes: list[graphs.GraphNode], edges: list[graphs.GraphEdge]) -> str:
    """The graph's relations as a list that opens under the drawing: what a screen reader,
    or anyone who cannot make out the drawing, reads instead."""
    sentences = graphs.in_words(nodes, edges)
    if not sentences:
        return ""
    items = "".join(f"<li>{escape(x)}</li>" for x in sentences)
    return f'<details class="graph-in-words"><summary>The graph in words</summary><ul>{items}</ul></details>'


def figure(nodes: list[graphs.GraphNode], edges: list[graphs.GraphEdge], title: str, caption: str,
           drawings: Drawings | None = None) -> Markup:
    """The graph and its key as one block of HTML (no blank line: one Markdown HTML block)."""
    if not nodes:
        return Markup("")
    drawing = graphs.relation_graph_svg(nodes, edges, title, drawings)
    types = graphs.types_in(edges)
    parts = [
        '<figure class="relation-graph">',
        # on a phone the drawing keeps its size (labels stay readable) and scrolls in its box,
        # which a keyboard can reach to scroll
        f'<div class="relation-graph-drawing" tabindex="0" role="region" aria-label="{escape(title)}">{drawing}</div>',
        f'<figcaption>{escape(caption)}{graphs.legend_html(types, drawings) if types else ""}</figcaption>',
        "</figure>",
        in_words_html(nodes, edges),
    ]
    return Markup("\n".join(x for x in parts if x))  # noqa: S704 - SVG from graphs, text escaped


