"""What a template is given besides the page helper: `site` (the library index) and
`views` (the views across the library), as one page reads them.

Each value a page takes from the index is noted as a dependency of that page (see
incremental.tracking), and records come from the library the page is given, so that
what a template reads of them is noted too. Print documents get the same objects over
the plain library, where nothing is noted.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from ..core import model as m
from ..core.translations import originals
from ..incremental.drawings import Drawings
from ..incremental.maps import KeptMaps
from ..incremental.tracking import VIEW, Read, Recorder
from . import graphs, maps, paging, records, views
from .books import Book
from .index import LibraryIndex
from .words import words_for


class Reading:
    """One render's library as its pages read it: the index, the library handed to the
    templates (tracked or plain), and where the reads are noted."""

    def __init__(self, index: LibraryIndex, lib: Any, recorder: Recorder, drawings: Drawings | None = None,
                 versions: dict[str, tuple[m.Version, ...]] | None = None, *, site_url: str | None = None,
                 pdf_links: bool = False, maps: KeptMaps | None = None):
        """`versions`: a briefing's versions up to an earlier one, to show that one as it was
        issued (render/versions.py); else the library's. `site_url` and `pdf_links`: where the
        site is published and whether it has PDFs, for what a page says of its own address
        (its citation) and for the files that are not pages (the JSON export), which name the
        PDFs too."""
        self.index = index
        self.lib = lib
        self.recorder = recorder
        self.drawings = drawings if drawings is not None else Drawings()
        self.maps = maps if maps is not None else KeptMaps()
        self.versions = versions or {}
        self.site_url = site_url
        self.pdf_links = pdf_links
        self.words = words_for(index.lib.site.language)
        """The site's words in its language, for the reader text made in Python."""

    def view(self, name: str, *args: str) -> Any:
        """The index's view `name` (LibraryIndex.view), noted as read by the page."""
        self.recorder.add(Read(VIEW, name, "", args))
        return self.index.view(name, *args)


class SiteForPages:
    """Handed to templates as `site`."""

    def __init__(self, reading: Reading):
        self.reading = reading
        self.lib = reading.lib

    def marking_of(self, briefing: m.Briefing | None = None) -> str | None:
        if briefing is not None and briefing.marking:
            return briefing.marking
        return self.lib.site.marking  # type: ignore[no-any-return]

    def briefings_naming(self, actor_id: str) -> list[m.Briefing]:
        """Backlinks: every briefing that names the actor, newest first."""
        return [self.lib.briefings[bid] for bid in self.reading.view("naming", actor_id)]

    def briefings_citing(self, source_id: str) -> list[m.Briefing]:
        return [self.lib.briefings[bid] for bid in self.reading.view("citing", source_id)]


class ViewsForPages:
    """Handed to templates as `views`: timeline, indexes and relationship graphs."""

    edge_styles = graphs.EDGE_STYLES

    def __init__(self, reading: Reading):
        self.reading = reading
        self.lib = reading.lib
        self.index = reading.index
        self._made: dict[str, Any] = {}

    def _noted(self, name: str, make: Callable[[Any], Any] = lambda value: value) -> Any:
        """A view the page reads whole (`make` gives it as the page shows it): noted as read,
        made once per render."""
        value = self.reading.view(name)
        if name not in self._made:
            self._made[name] = make(value)
        return self._made[name]

    def _groups(self, groups: list[views.Group]) -> list[views.Group]:
        return [views.Group(g.name, g.anchor, [(bid, self.lib.briefings[bid]) for bid, _ in g.briefings])
                for g in groups]

    @property
    def tags(self) -> list[views.Group]:
        return self._noted("tags", self._groups)  # type: ignore[no-any-return]

    @property
    def regions(self) -> list[views.Group]:
        return self._noted("regions", self._groups)  # type: ignore[no-any-return]

    @property
    def statuses(self) -> list[views.Group]:
        return self._noted("statuses", self._groups)  # type: ignore[no-any-return]

    @property
    def timeline(self) -> list[views.YearGroup]:
        return self._noted("timeline", self._tracked)  # type: ignore[no-any-return]

    def _tracked(self, years: list[views.YearGroup]) -> list[views.YearGroup]:
        """The same groups, with the briefings as this page reads them."""
        return [views.YearGroup(y.year, y.anchor, [
            views.MonthGroup(mg.month, mg.label, mg.anchor, [
                views.TimelineItem(it.date, it.event, it.briefing_id, self.lib.briefings[it.briefing_id])
                for it in mg.items]) for mg in y.months]) for y in years]

    @property
    def timeline_pages(self) -> list[paging.TimelinePage]:
        """The pages of a split timeline (none while it fits on one): their names and labels."""
        self.reading.view("timeline")  # the pages are made from it
        return self.index.timeline_pages

    def timeline_page(self, n: int) -> paging.TimelinePage:
        """The n-th page of the split timeline, with what it shows as this page reads it."""
        found = self.timeline_pages[n]
        return paging.TimelinePage(found.page, found.label, found.year, self._tracked(found.years))

    @property
    def source_pages(self) -> list[paging.SourcePage]:
        """The pages of the sources by initial (none while one page holds them all)."""
        return self._noted("source_pages")  # type: ignore[no-any-return]

    @property
    def actor_pages(self) -> list[paging.SourcePage]:
        """The pages of the actors by initial (none while one page holds them all)."""
        return self._noted("actor_pages")  # type: ignore[no-any-return]

    def actors_of(self, ids: list[str]) -> list[tuple[str, m.Actor]]:
        return [(aid, self.lib.actors[aid]) for aid in ids]

    def sources_of(self, ids: list[str]) -> list[tuple[str, m.Source]]:
        return [(sid, self.lib.sources[sid]) for sid in ids]

    @property
    def archive(self) -> list[paging.ArchivePage]:
        """Every briefing by year, in pages (none while the home page lists them all)."""
        return self._noted("archive")  # type: ignore[no-any-return]

    @property
    def books(self) -> list[Book]:
        """The briefing books (render/books.py): the first is the book of the latest briefings."""
        return self._noted("books")  # type: ignore[no-any-return]

    def book_of(self, anchor: str) -> Book | None:
        """The book of a region or a tag (by its anchor), when the library has one."""
        return next((bk for bk in self.books if bk.name == f"books/{anchor}"), None)

    @property
    def briefing_count(self) -> int:
        """The briefings the lists show: a translation counts with its original."""
        return sum(1 for _ in originals(self.lib.briefings))

    def latest(self, count: int) -> list[tuple[str, m.Briefing]]:
        """The newest `count` briefings."""
        return list(itertools.islice(originals(self.lib.briefings), count))

    def briefings_of(self, ids: list[str]) -> list[tuple[str, m.Briefing]]:
        return [(bid, self.lib.briefings[bid]) for bid in ids]

    @property
    def trends(self) -> list[views.TrendMonth]:
        return self._noted("trends")  # type: ignore[no-any-return]

    @property
    def watch_list(self) -> list[records.WatchGroup]:
        """Every indicator by status, newest change first (records.watch_list)."""
        return self._noted("watch_list")  # type: ignore[no-any-return]

    @property
    def track_record(self) -> records.TrackRecord:
        """The resolved judgments, scored (records.track_record)."""
        return self._noted("track_record")  # type: ignore[no-any-return]

    def calibration_svg(self, record: records.TrackRecord) -> Markup:
        return records.calibration_svg(record.terms, record.yardstick, self.reading.words)

    def tag_anchor(self, tag: str) -> str:
        return self.reading.view("tag_anchor", tag)  # type: ignore[no-any-return]

    def tag_href(self, p: views.Links, tag: str) -> str:
        """The link to a tag: its own page once the tags are split, else its place on the index."""
        page = self.reading.view("tag_page", tag)
        return p.url(page) if page else p.url("tags/index.md", self.tag_anchor(tag))

    def group_pages(self, kind: str) -> list[paging.GroupPage]:
        """The pages of the groups of an index ('tags', 'regions', 'statuses'), none while it holds them."""
        return self.reading.view("group_pages", kind)  # type: ignore[no-any-return]

    def feed(self, kind: str, key: str) -> str | None:
        """The path of the feed of a tag, a region or an actor (by id), None for none (a status)."""
        return self.reading.view("feed_page", kind, key)  # type: ignore[no-any-return]

    def feed_title(self, kind: str, name: str) -> str:
        return views.feed_title(kind, name, self.reading.words)

    def feeds_meta(self, kind: str, keys: Iterable[str]) -> list[dict[str, str]]:
        """The feeds of these tags, regions or actors (by id) as a page's front matter lists them,
        for the theme to link in the page's head: their titles, and paths from the site's root."""
        found = [(key, self.feed(kind, key)) for key in keys]
        return [{"title": views.feed_title(kind, self.lib.actors[key].name if kind == "actor" else key,
                                           self.reading.words), "href": path}
                for key, path in found if path]

    def region_anchor(self, region: str) -> str:
        return self.reading.view("region_anchor", region)  # type: ignore[no-any-return]

    def event_date(self, text: str) -> views.EventDate:
        return views.EventDate.parse(text)

    def briefing_graph_data(self, p: views.Links, b: m.Briefing) -> views.Graph:
        return views.briefing_graph_data(self.lib, p, b, self.reading.words)

    def actor_graph_data(self, p: views.Links, aid: str) -> views.Graph:
        return views.actor_graph_data(self.lib, p, aid, self.reading.view("pointing", aid), self.reading.words)

    def briefing_graph(self, p: views.Links, b: m.Briefing) -> Markup:
        nodes, edges = self.briefing_graph_data(p, b)
        words = self.reading.words
        return views.figure(nodes, edges, views.briefing_graph_title(b, words),
                            words._("The briefing's actors and the relations among them. "
                                    "Select an actor for its page."),
                            self.reading.drawings, words)

    def briefing_map(self, b: m.Briefing) -> Markup:
        """The briefing's locator map, its places linked to its timeline's entries."""
        return maps.briefing_map(self.lib, b, self.reading.maps, words_for(b.lang or self.lib.site.language),
                                 lambda n: f"#event-{n}")

    def region_map(self, p: views.Links, region: str, bids: Iterable[str]) -> Markup:
        """The map of a region's briefings, its places linked to their timelines' entries."""
        return maps.region_map(self.lib, region, list(bids), self.reading.maps, self.reading.words,
                               lambda bid, n: f"{p.url_of(bid)}#event-{n}")

    def actor_graph(self, p: views.Links, aid: str) -> Markup:
        nodes, edges = self.actor_graph_data(p, aid)
        left_out = views.not_drawn(self.reading.view("pointing", aid))
        words = self.reading.words
        about = (words._("Relations of this actor and those of others pointing at it. Select an actor for its page.")
                 if not left_out else
                 words._("Relations of this actor and the first %(drawn)s of %(count)s others pointing at it (the rest "
                         "are listed below). Select an actor for its page.", drawn=views.ACTOR_GRAPH_MAX_POINTING,
                         count=views.ACTOR_GRAPH_MAX_POINTING + len(left_out)))
        return views.figure(nodes, edges, views.actor_graph_title(self.lib, aid, words), about,
                            self.reading.drawings, words)

    def not_drawn(self, aid: str) -> list[tuple[str, m.Relation]]:
        """The relations of others pointing at the actor that its graph leaves out."""
        return views.not_drawn(self.reading.view("pointing", aid))

    def swatch(self, relation_type: str) -> Markup:
        """A sample of the line a relation type is drawn with (for the reading aids)."""
        return Markup(graphs.swatch_svg(relation_type, self.reading.drawings))  # noqa: S704 - drawn by graphs
