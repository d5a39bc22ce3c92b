"""Analyst views across the library: timeline, indexes by tag, region and status,
relationship graphs of actors, and the Atom feed of briefings.

Python decides what each view holds; the templates (timeline.md.j2, tags.md.j2,
regions.md.j2, status.md.j2) only lay it out. Nothing here reads files except
`configured_site_url`, which reads mkdocs.yml.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import yaml
from markupsafe import Markup, escape

from . import graphs
from . import model as m
from .markup import plain_text
from .refs import WIKILINK

if TYPE_CHECKING:
    from .render import Site

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_PAGE = "feed.xml"
EPOCH = dt.date(1970, 1, 1)


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


def slug(text: str, prefix: str) -> str:
    """An anchor for free text: lower case, letters of any script kept, other runs as '-'."""
    core = re.sub(r"[\W_]+", "-", text.casefold()).strip("-")
    return f"{prefix}-{core}" if core else prefix


def _unique(anchors: dict[str, str], name: str, prefix: str) -> str:
    base = slug(name, prefix)
    anchor, n = base, 2
    while anchor in anchors.values():
        anchor, n = f"{base}-{n}", n + 1
    anchors[name] = anchor
    return anchor


def _sort_key(text: str) -> tuple[str, str]:
    return text.casefold(), text


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

def _plain(lib: m.Library, text: str | None) -> str:
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
    return graphs.GraphNode(aid, a.name, a.native_name or "", p.url_of(aid), tip, a.kind, focus)


def _edge(lib: m.Library, source: str, r: m.Relation) -> graphs.GraphEdge:
    style = graphs.EDGE_STYLES.get(r.type, graphs.EDGE_STYLES["other"])
    tip = f"{lib.actors[source].name} — {style.label} — {lib.actors[r.actor].name}"
    note = _plain(lib, r.note)
    return graphs.GraphEdge(source, r.actor, r.type, f"{tip}: {note}" if note else tip)


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
    ids = list(dict.fromkeys([a.actor for a in b.actors] + [x for e in b.timeline for x in e.actors]))
    ids = [aid for aid in ids if aid in lib.actors]
    members = set(ids)
    nodes = [_node(lib, p, aid) for aid in ids]
    edges = [_edge(lib, aid, r) for aid in ids for r in lib.actors[aid].relations if r.actor in members]
    if not edges and len(nodes) < 2:
        return [], []
    return nodes, edges


def actor_graph_data(lib: m.Library, p: Links, aid: str) -> Graph:
    """The actor, its relations and the relations of others that point at it; nothing
    ([], []) when there are none."""
    actor = lib.actors[aid]
    edges = [_edge(lib, aid, r) for r in actor.relations if r.actor in lib.actors]
    edges += [_edge(lib, other, r) for other, a in lib.actors.items() if other != aid
              for r in a.relations if r.actor == aid]
    if not edges:
        return [], []
    ids = list(dict.fromkeys([aid] + [e.target if e.source == aid else e.source for e in edges]))
    return [_node(lib, p, x, focus=x == aid) for x in ids], edges


def figure(nodes: list[graphs.GraphNode], edges: list[graphs.GraphEdge], title: str, caption: str) -> Markup:
    """The graph and its key as one block of HTML (no blank line: one Markdown HTML block)."""
    if not nodes:
        return Markup("")
    drawing = graphs.relation_graph_svg(nodes, edges, title)
    types = graphs.types_in(edges)
    parts = [
        '<figure class="relation-graph">',
        f'<div class="relation-graph-drawing">{drawing}</div>',
        f'<figcaption>{escape(caption)}{graphs.legend_html(types) if types else ""}</figcaption>',
        "</figure>",
    ]
    return Markup("\n".join(x for x in parts if x))  # noqa: S704 - SVG from graphs, text escaped


# The Atom feed --------------------------------------------------------------------

def configured_site_url(config: Path) -> str | None:
    """`site_url` from mkdocs.yml, ending in '/', or None when unset or unreadable."""
    class _Loader(yaml.SafeLoader):
        pass

    def _any(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
        return None

    def _env(loader: yaml.SafeLoader, node: yaml.Node) -> str | None:
        """MkDocs's `!ENV NAME` or `!ENV [NAME, ..., default]`: the first variable set, else the default."""
        if isinstance(node, yaml.ScalarNode):
            return os.environ.get(str(node.value))
        items = [str(n.value) for n in node.value if isinstance(n, yaml.ScalarNode)] if isinstance(
            node, yaml.SequenceNode) else []
        for name in items[:-1] if len(items) > 1 else items:
            if name in os.environ:
                return os.environ[name]
        return items[-1] if len(items) > 1 else None

    _Loader.add_multi_constructor("", _any)  # !!python/name: ... and the like are not ours to judge
    _Loader.add_constructor("!ENV", _env)
    try:
        settings = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
    except (OSError, yaml.YAMLError):
        return None
    url = settings.get("site_url") if isinstance(settings, dict) else None
    if not isinstance(url, str) or not re.match(r"(?i)^https?://", url.strip()):
        return None
    url = url.strip()
    return url if url.endswith("/") else url + "/"


def entry_updated(b: m.Briefing) -> dt.date:
    """The latest change-log date, or the briefing's own date."""
    return max([b.date, *(u.date for u in b.updates)])


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _urn(*parts: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, "briefsite:" + ":".join(parts)).urn


def atom_feed(lib: m.Library, site_url: str | None = None) -> str:
    """The briefings as an Atom feed (RFC 4287), newest change first.

    Ids are URNs made from the site's title and the briefing id, so they do not change
    when the site moves. Links are absolute when mkdocs.yml sets site_url, otherwise
    relative to the feed (which sits at the site root).
    """
    ET.register_namespace("", ATOM_NS)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        child = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            child.text = _xml_text(text)
        return child

    base = site_url or ""
    site = lib.site
    entries = sorted(lib.briefings.items(), key=lambda kv: (entry_updated(kv[1]), kv[1].date), reverse=True)
    lang = {"{http://www.w3.org/XML/1998/namespace}lang": site.language} if site.language else {}
    feed = ET.Element(f"{{{ATOM_NS}}}feed", lang)
    el(feed, "id", _urn("feed", site.title))
    el(feed, "title", site.title)
    if site.description:
        el(feed, "subtitle", site.description)
    el(feed, "updated", _timestamp(max((entry_updated(b) for _, b in entries), default=EPOCH)))
    el(el(feed, "author"), "name", site.title)
    el(feed, "link", rel="alternate", type="text/html", href=base + "index.html")
    el(feed, "link", rel="self", type="application/atom+xml", href=base + FEED_PAGE)
    if site.marking:
        el(feed, "rights", site.marking)
    el(feed, "generator", "briefsite")
    for bid, b in entries:
        entry = el(feed, "entry")
        el(entry, "id", _urn("briefing", site.title, bid))
        el(entry, "title", ("[Draft] " if b.status == "draft" else "") + b.title)
        el(entry, "updated", _timestamp(entry_updated(b)))
        el(entry, "published", _timestamp(b.date))
        el(entry, "link", rel="alternate", type="text/html", href=f"{base}briefings/{bid}.html")
        for name in b.authors:
            el(el(entry, "author"), "name", name)
        for tag in b.tags:
            el(entry, "category", term=_xml_text(tag))
        if b.marking or site.marking:
            el(entry, "rights", b.marking or site.marking)
        el(entry, "summary", _plain(lib, b.summary), type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _xml_text(text: str) -> str:
    """Text XML 1.0 can carry: control characters other than tab and newline dropped."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)


# Handed to the templates ----------------------------------------------------------

class Views:
    """The views of one library, handed to the templates as `views`."""

    def __init__(self, site: Site):
        self.site = site
        self.lib = site.lib
        self.tags = by_tag(self.lib)
        self.tag_anchor = {g.name: g.anchor for g in self.tags}
        self.regions = by_region(self.lib)
        self.region_anchor = {g.name: g.anchor for g in self.regions}
        self.statuses = by_status(self.lib)
        self.timeline = timeline(self.lib)

    def event_date(self, text: str) -> EventDate:
        return EventDate.parse(text)

    def prefetch_graphs(self, links_for: Callable[[str], Links], only: Container[str] | None = None) -> None:
        """Draw the graphs of every briefing and actor page in one Graphviz run, before the
        pages ask for them one by one; `links_for(page)` gives the links of that page.
        With `only`, just those pages' graphs (the others are not rendered here)."""
        briefings = ((f"briefings/{bid}.md", b) for bid, b in self.lib.briefings.items())
        actors = ((f"actors/{aid}.md", aid) for aid in self.lib.actors)
        drawn = [briefing_graph_data(self.lib, links_for(page), b) for page, b in briefings
                 if only is None or page in only]
        drawn += [actor_graph_data(self.lib, links_for(page), aid) for page, aid in actors
                  if only is None or page in only]
        sources = [graphs.relation_graph_dot(nodes, edges) for nodes, edges in drawn if nodes]
        graphs.prefetch(sources)
        # The keys' samples apart: in one run, a graph without its own layout takes the last one's.
        graphs.prefetch(graphs.swatch_dot(t) for t in graphs.EDGE_STYLES)

    def briefing_graph(self, p: Links, b: m.Briefing) -> Markup:
        nodes, edges = briefing_graph_data(self.lib, p, b)
        return figure(nodes, edges, briefing_graph_title(b), f"{BRIEFING_GRAPH_ABOUT} Select an actor for its page.")

    edge_styles = graphs.EDGE_STYLES

    def swatch(self, relation_type: str) -> Markup:
        """A sample of the line a relation type is drawn with (for the reading aids)."""
        return Markup(graphs.swatch_svg(relation_type))  # noqa: S704 - drawn by graphs, text escaped

    def actor_graph(self, p: Links, aid: str) -> Markup:
        nodes, edges = actor_graph_data(self.lib, p, aid)
        return figure(nodes, edges, actor_graph_title(self.lib, aid),
                      "Relations of this actor and those of others pointing at it. Select an actor for its page.")
