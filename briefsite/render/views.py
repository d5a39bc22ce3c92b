"""Analyst views across the library: timeline, indexes by tag, region and status, and the
relationship graphs of actors.

Pure functions of the library: Python decides what each view holds; the templates
(timeline.md.j2, tags.md.j2, regions.md.j2, status.md.j2) only lay it out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Protocol

from markupsafe import Markup, escape

from ..core import model as m
from ..core.refs import WIKILINK
from ..core.shown import ENGLISH, N_, Wording
from ..core.text import slug
from ..core.translations import originals
from ..incremental.drawings import Drawings
from . import graphs
from .markup import plain_text
from .words import ENGLISH_WORDS, Words, words_for


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

    def label(self, words: Words = ENGLISH_WORDS) -> str:
        """'14 Oct 2020', 'Oct 2020' or '2020', in the language of `words`."""
        if not self.month:
            return str(self.year)
        if self.day:
            return words.short_day(dt.date(self.year, self.month, self.day))
        return words.month(self.year, self.month, short=True)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"


@dataclass(frozen=True)
class TimelineItem:
    date: EventDate = field(compare=False)
    """Read from the event (so not compared, nor part of the timeline view's digest)."""
    event: m.TimelineEvent
    briefing_id: str
    briefing: m.Briefing = field(compare=False)
    """The briefing of that id (what a page reads of it is recorded field by field)."""


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
    entries = sorted((TrendEntry(bid, u.date, u.trend, u.note) for bid, b in originals(lib.briefings)
                      for u in b.updates if u.trend), key=lambda e: (e.date, e.briefing_id), reverse=True)
    months: list[TrendMonth] = []
    words = words_for(lib.site.language)
    for e in entries:
        anchor = f"m{e.date.year}-{e.date.month:02d}"
        if not months or months[-1].anchor != anchor:
            months.append(TrendMonth(words.month(e.date.year, e.date.month), anchor, []))
        months[-1].entries.append(e)
    return months


def timeline(lib: m.Library) -> list[YearGroup]:
    """Every timeline event of every briefing, oldest first, grouped by year and month.

    Events of the same date keep the order of the briefings (newest first) and, within
    a briefing, the order in which they were written.
    """
    items = [TimelineItem(EventDate.parse(e.date), e, bid, b)
             for bid, b in originals(lib.briefings) for e in b.timeline]
    items.sort(key=lambda it: it.date)  # stable: ties keep briefing and written order
    years: list[YearGroup] = []
    words = words_for(lib.site.language)
    for it in items:
        if not years or years[-1].year != it.date.year:
            years.append(YearGroup(it.date.year, f"y{it.date.year}"))
        year = years[-1]
        if not year.months or year.months[-1].month != it.date.month:
            if it.date.month:
                label = words.month(it.date.year, it.date.month)
                anchor = f"y{it.date.year}-{it.date.month:02d}"
            else:
                label = words._("%(year)s, month not known", year=it.date.year)
                anchor = f"y{it.date.year}-00"
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


def sort_key(text: str) -> tuple[str, str]:
    return text.casefold(), text


def by_tag(lib: m.Library) -> list[Group]:
    """Every tag, alphabetically (ignoring case), with its briefings newest first."""
    tagged: dict[str, list[tuple[str, m.Briefing]]] = {}
    for bid, b in originals(lib.briefings):
        for tag in dict.fromkeys(b.tags):
            tagged.setdefault(tag, []).append((bid, b))
    anchors: dict[str, str] = {}
    return [Group(t, _unique(anchors, t, "tag"), tagged[t]) for t in sorted(tagged, key=sort_key)]


def by_region(lib: m.Library) -> list[Group]:
    """Every region, alphabetically, then the briefings that name none."""
    regions: dict[str, list[tuple[str, m.Briefing]]] = {}
    unplaced: list[tuple[str, m.Briefing]] = []
    for bid, b in originals(lib.briefings):
        if b.region and b.region.strip():
            regions.setdefault(b.region.strip(), []).append((bid, b))
        else:
            unplaced.append((bid, b))
    anchors = {"": NO_REGION}  # the anchor of the briefings with no region, which no region may take
    groups = [Group(r, _unique(anchors, r, "region"), regions[r]) for r in sorted(regions, key=sort_key)]
    if unplaced:
        groups.append(Group(words_for(lib.site.language)._("No region given"), anchors[""], unplaced))
    return groups


def by_status(lib: m.Library) -> list[Group]:
    """Drafts first (what still needs work), then final briefings; both newest first."""
    words, listed = words_for(lib.site.language), list(originals(lib.briefings))
    return [Group(words._(name), status + "s" if status == "draft" else status,
                  [(bid, b) for bid, b in listed if b.status == status])
            for status, name in (("draft", N_("Drafts")), ("final", N_("Final")))]


# Feeds of part of the library ---------------------------------------------------

NO_REGION = "region-none"  # the anchor of the group of briefings that give no region (a region's is region-<slug>)
FEED_FOLDERS = {"tag": "feeds/tags", "region": "feeds/regions", "actor": "feeds/actors"}
"""Where the feeds of a part of the library go: one per tag, per region, per actor."""


def feed_title(kind: str, name: str, words: Wording = ENGLISH) -> str:
    """What a feed of part of the library holds, after the site's title in its own title and
    as pages name it: 'Briefings tagged russia' (`name`: the tag, the region, the actor's name)."""
    if kind == "tag":
        return words._("Briefings tagged %(name)s", name=name)
    if kind == "region":
        return words._("Briefings on %(name)s", name=name)
    return words._("Briefings naming %(name)s", name=name)


def feed_paths(lib: m.Library) -> dict[tuple[str, str], str]:
    """(kind, tag, region or actor id) -> the path of its feed, for every tag and region that
    briefings carry and every actor.

    A tag's or a region's file is named by its slug (ASCII, as every reader's URL handling
    takes); of two names with the same slug the first in alphabetical order keeps it and the
    other gets a short digest of its name after it, which stays the same as long as the name
    does (as does a name without a single ASCII letter or digit). An actor's file is its id."""
    paths: dict[tuple[str, str], str] = {}
    for kind, groups in (("tag", by_tag(lib)), ("region", by_region(lib))):
        taken: set[str] = set()
        for g in groups:
            if kind == "region" and g.anchor == "region-none":  # the briefings without a region
                continue
            name = slug(g.name)
            if not name or name in taken:
                name = "-".join(x for x in (name, hashlib.sha256(g.name.encode("utf-8")).hexdigest()[:8]) if x)
            taken.add(name)
            paths[(kind, g.name)] = f"{FEED_FOLDERS[kind]}/{name}.xml"
    paths.update((("actor", aid), f"{FEED_FOLDERS['actor']}/{aid}.xml") for aid in lib.actors)
    return paths


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
        return "(unpublished)"  # as the pages say: never the id of what this site does not hold
    return plain_text(WIKILINK.sub(title, text or ""))


def _node(lib: m.Library, p: Links, aid: str, focus: bool = False) -> graphs.GraphNode:
    a = lib.actors[aid]
    tip = " — ".join(dict.fromkeys(x for x in (a.name, a.native_name, a.title) if x))
    return graphs.GraphNode(aid, a.name, a.native_name or "", a.native_lang or "", p.url_of(aid), tip, a.kind, focus)


def _edge(lib: m.Library, source: str, r: m.Relation, words: Wording) -> graphs.GraphEdge:
    label = words.shown("relation", r.type if r.type in graphs.EDGE_STYLES else "other")
    tip = f"{lib.actors[source].name} — {label} — {lib.actors[r.actor].name}"
    note = plain_with_titles(lib, r.note)
    return graphs.GraphEdge(source, r.actor, r.type, f"{tip}: {note}" if note else tip, note)


Graph = tuple[list[graphs.GraphNode], list[graphs.GraphEdge]]


def briefing_graph_title(b: m.Briefing, words: Wording = ENGLISH) -> str:
    return words._("Actors of: %(title)s", title=b.title)


def actor_graph_title(lib: m.Library, aid: str, words: Wording = ENGLISH) -> str:
    return words._("Relations of %(name)s", name=lib.actors[aid].name)


def briefing_graph_data(lib: m.Library, p: Links, b: m.Briefing, words: Wording = ENGLISH) -> Graph:
    """The briefing's actors (its actors list, then those only in its timeline) and the
    relations among them; nothing ([], []) when there is nothing to draw: a single actor
    without relations. Nodes link where `p.url_of` says (the site's pages, or anchors
    inside a PDF)."""
    ids = [aid for aid in b.listed_actors() if aid in lib.actors]
    members = set(ids)
    nodes = [_node(lib, p, aid) for aid in ids]
    edges = [_edge(lib, aid, r, words) for aid in ids for r in lib.actors[aid].relations if r.actor in members]
    if not edges and len(nodes) < 2:
        return [], []
    return nodes, edges


ACTOR_GRAPH_MAX_POINTING = 24
"""An actor's graph draws at most this many of the relations of others that point at it.
An actor many others relate to (a great power) would otherwise be drawn with hundreds of
neighbours: a star nobody can read, whose layout grows faster than the library (Graphviz
took 100 s of a 4-minute render at 3,000 briefings for a handful of such actors). Those
not drawn are listed under the drawing (not_drawn)."""


def actor_graph_data(lib: m.Library, p: Links, aid: str, pointing: list[tuple[str, m.Relation]],
                     words: Wording = ENGLISH) -> Graph:
    """The actor, its relations and `pointing`, the relations of others that point at it
    (see index.LibraryIndex.pointing_at), the first ACTOR_GRAPH_MAX_POINTING of them;
    nothing ([], []) when there are none."""
    actor = lib.actors[aid]
    edges = [_edge(lib, aid, r, words) for r in actor.relations if r.actor in lib.actors]
    edges += [_edge(lib, other, r, words) for other, r in pointing[:ACTOR_GRAPH_MAX_POINTING]]
    if not edges:
        return [], []
    ids = list(dict.fromkeys([aid] + [e.target if e.source == aid else e.source for e in edges]))
    return [_node(lib, p, x, focus=x == aid) for x in ids], edges


def not_drawn(pointing: list[tuple[str, m.Relation]]) -> list[tuple[str, m.Relation]]:
    """The relations of others pointing at an actor that its graph leaves out."""
    return pointing[ACTOR_GRAPH_MAX_POINTING:]


def in_words_html(nodes: list[graphs.GraphNode], edges: list[graphs.GraphEdge], words: Wording = ENGLISH) -> str:
    """The graph's relations as a list that opens under the drawing: what a screen reader,
    or anyone who cannot make out the drawing, reads instead."""
    sentences = graphs.in_words(nodes, edges, words)
    if not sentences:
        return ""
    items = "".join(f"<li>{escape(x)}</li>" for x in sentences)
    summary = escape(words._("The graph in words"))
    return f'<details class="graph-in-words"><summary>{summary}</summary><ul>{items}</ul></details>'


# the widest drawing that fits a 360 px phone screen inside the page's margins
PHONE_DRAWING_WIDTH = 320


def scroll_cue(drawing: str, words: Wording = ENGLISH) -> str:
    """A line shown on narrow screens only, above a drawing wider than a phone: without it a
    reader sees part of a graph and no sign that the rest is there sideways."""
    width = re.search(r'<svg\b[^>]*\swidth="(\d+)', drawing)
    if not width or int(width.group(1)) <= PHONE_DRAWING_WIDTH:
        return ""
    said = words._("Wider than this screen: scroll the drawing sideways, or open \u201cThe graph in words\u201d below.")
    return f'<p class="graph-scroll-cue">{escape(said)}</p>'


def figure(nodes: list[graphs.GraphNode], edges: list[graphs.GraphEdge], title: str, caption: str,
           drawings: Drawings | None = None, words: Wording = ENGLISH) -> Markup:
    """The graph and its key as one block of HTML (no blank line: one Markdown HTML block)."""
    if not nodes:
        return Markup("")
    drawing = graphs.relation_graph_svg(nodes, edges, title, drawings)
    types = graphs.types_in(edges)
    parts = [
        '<figure class="relation-graph">',
        scroll_cue(drawing, words),  # above: the drawing may be taller than the screen
        # on a phone the drawing keeps its size (labels stay readable) and scrolls in its box,
        # which a keyboard can reach to scroll
        f'<div class="relation-graph-drawing" tabindex="0" role="region" aria-label="{escape(title)}">{drawing}</div>',
        f'<figcaption>{escape(caption)}{graphs.legend_html(types, drawings, words) if types else ""}</figcaption>',
        "</figure>",
        in_words_html(nodes, edges, words),
    ]
    return Markup("\n".join(x for x in parts if x))  # noqa: S704 - SVG from graphs, text escaped


