"""The model to Markdown pages for the site engine, through Jinja templates.

Python decides what each page holds (backlinks, citations, labels); templates only
lay it out. Every field from YAML reaches a page either escaped or through
`markup.to_html`, so nothing a user writes can become markup.

Each page is rendered with the library tracked (incremental.tracking): what it reads is
kept with it in the `Memory` the render is given, and a later render takes it as it was
when none of that changed.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Collection, Container
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

import jinja2

from ..core import model as m
from ..core.errors import RenderError
from ..core.forked import CAN_FORK, side_by_side
from ..core.translations import language_of, originals
from ..incremental.maps import KeptMaps
from ..incremental.memory import Memory, give_back_freed_memory
from ..incremental.tracking import Dependency, Recorder, TrackedLibrary, digest, grouped
from . import cite, data, graphs, maps, paging, site_files, views
from .context import Reading, SiteForPages, ViewsForPages
from .environment import Templates, environment, template_problem, templates_digest
from .feed import FEED_PAGE
from .helper import PageHelper
from .index import LibraryIndex
from .stix import SITE_BUNDLE, STIX_FOLDER, briefing_bundle_page
from .words import catalogues_digest


class Rendered(NamedTuple):
    """A page rendered: its text (None once written), what it read (tracking.grouped) and the
    digest of that; when written as it was rendered, the sha256 of the file and whether it changed."""

    text: str | None
    read: tuple[Dependency, ...]
    combined: str
    digest: str | None = None
    written: bool = False


class PageWriter(Protocol):
    """Where a build writes each page as soon as it is rendered (output.engine.StagedDocs)."""

    def begin(self, pages: Collection[str]) -> None:
        """Before any page: every page the render makes (so that nothing else stays where they go)."""

    def write(self, page: str, text: str | bytes) -> tuple[str, bool]:
        """One page (bytes: already UTF-8): the sha256 of what its file holds, and whether the file was written."""


@dataclass(frozen=True)
class _Job:
    """One page to render: its path, its template (None: a file made by `make`) and the
    template's values, found while the page renders (so that what they read counts for it)."""

    page: str
    template: str | None
    values: Callable[[Reading], dict[str, Any]] = lambda reading: {}  # noqa: E731
    make: Callable[[Reading, str | None], str | bytes] | None = None
    """A file that is not a page (a feed, data for other tools): its text from what the
    library holds (read through `reading`, so that it is tracked) and the site's address
    (bytes: as UTF-8 already, for a file large enough that its text would be held twice)."""
    language: str | None = None
    """The language of the page's own words when it is not the site's (a translated briefing's)."""


def _file(page: str, make: Callable[[Reading, str | None], str | bytes]) -> _Job:
    return _Job(page, None, make=make)


def page_jobs(library: m.Library) -> list[_Job]:
    """Every page of the site, in the order the site lists them."""
    jobs = [_Job("index.md", "home.md.j2")]
    jobs += [_Job(f"briefings/{bid}.md", "briefing.md.j2", functools.partial(_briefing_values, bid),
                  language=language_of(b, library.site)) for bid, b in library.briefings.items()]
    jobs.append(_Job("actors/index.md", "actors.md.j2"))
    jobs += [_Job(f"actors/{aid}.md", "actor.md.j2", functools.partial(_actor_values, aid)) for aid in library.actors]
    jobs += [_Job(page, template) for page, template in (
        ("sources.md", "sources.md.j2"), ("glossary.md", "glossary.md.j2"), ("timeline.md", "timeline.md.j2"),
        ("tags/index.md", "tags.md.j2"), ("regions.md", "regions.md.j2"), ("status.md", "status.md.j2"),
        ("trends.md", "trends.md.j2"), ("watch.md", "watch.md.j2"), ("track-record.md", "track_record.md.j2"),
        ("legend.md", "legend.md.j2"))]
    split = paging.timeline_pages(views.timeline(library))
    jobs += [_Job(t.page, "timeline_page.md.j2", functools.partial(_timeline_values, n)) for n, t in enumerate(split)]
    jobs += [_Job(sp.page, "sources_page.md.j2", functools.partial(_source_values, n))
             for n, sp in enumerate(paging.source_pages(library))]
    jobs += [_Job(ap.page, "actors_page.md.j2", functools.partial(_actor_page_values, n))
             for n, ap in enumerate(paging.actor_pages(library))]
    groups = {"tags": views.by_tag, "regions": views.by_region, "statuses": views.by_status}
    for kind, make in groups.items():
        jobs += [_Job(gp.page, "group_page.md.j2", functools.partial(_group_values, kind, n))
                 for n, gp in enumerate(paging.group_pages(paging.INDEXES[kind][1], make(library)))]
    archive = paging.archive(library)
    if archive:
        jobs.append(_Job("archive/index.md", "archive.md.j2"))
        jobs += [_Job(a.page, "archive_page.md.j2", functools.partial(_archive_values, n))
                 for n, a in enumerate(archive)]
    jobs.append(_file(FEED_PAGE, site_files.main_feed))
    jobs += [_file(briefing_bundle_page(bid), functools.partial(site_files.stix_bundle, bid))
             for bid in library.briefings]
    jobs.append(_file(SITE_BUNDLE, functools.partial(site_files.stix_bundle, None)))
    jobs.append(_file("data/sources.csv", site_files.sources_csv))
    jobs.append(_file("data/sources.bib", site_files.sources_bib))
    jobs += [_file(path, functools.partial(site_files.subset_feed, kind, key, path))
             for (kind, key), path in views.feed_paths(library).items()]
    jobs += [_file(path, functools.partial(site_files.data_list, n)) for n, path in
             enumerate(data.index_pages(sum(1 for _ in originals(library.briefings))), start=1)]
    jobs += [_file(data.briefing_path(bid), functools.partial(site_files.data_briefing, bid))
             for bid in library.briefings]
    jobs += [_file(path, functools.partial(site_files.data_schema, name)) for name, path in data.SCHEMAS.items()]
    return jobs


def _briefing_values(bid: str, reading: Reading) -> dict[str, Any]:
    b = reading.lib.briefings[bid]
    cited = cite.briefing_citation(reading.lib.site, bid, b, reading.view("history", bid),
                                   site_url=reading.site_url, pdf_links=reading.pdf_links)
    return {"b": b, "bid": bid, "cite": cite.cite_block(cited, reading.words)}


def _timeline_values(n: int, reading: Reading) -> dict[str, Any]:
    """A page of the split timeline, and those before and after it (earlier and later events)."""
    shown = ViewsForPages(reading)
    pages = shown.timeline_pages
    return {"page": shown.timeline_page(n), "earlier": pages[n - 1] if n else None,
            "later": pages[n + 1] if n + 1 < len(pages) else None}


def _source_values(n: int, reading: Reading) -> dict[str, Any]:
    """A page of the sources, and those before and after it."""
    pages = ViewsForPages(reading).source_pages
    return {"page": pages[n], "before": pages[n - 1] if n else None,
            "after": pages[n + 1] if n + 1 < len(pages) else None}


def _group_values(kind: str, n: int, reading: Reading) -> dict[str, Any]:
    """The page of a group of an index (a tag, a region, a status), and those beside it."""
    pages = ViewsForPages(reading).group_pages(kind)
    index, _, what = paging.INDEXES[kind]
    return {"page": pages[n], "index_page": index, "what": what, "before": pages[n - 1] if n else None,
            "after": pages[n + 1] if n + 1 < len(pages) else None}


def _actor_page_values(n: int, reading: Reading) -> dict[str, Any]:
    """A page of the actors by initial, and those before and after it."""
    pages = ViewsForPages(reading).actor_pages
    return {"page": pages[n], "before": pages[n - 1] if n else None,
            "after": pages[n + 1] if n + 1 < len(pages) else None}


def _archive_values(n: int, reading: Reading) -> dict[str, Any]:
    """A page of the archive, and those before and after it (newer and older briefings)."""
    pages = ViewsForPages(reading).archive
    return {"page": pages[n], "newer": pages[n - 1] if n else None,
            "older": pages[n + 1] if n + 1 < len(pages) else None}


def _actor_values(aid: str, reading: Reading) -> dict[str, Any]:
    return {"a": reading.lib.actors[aid], "aid": aid, "backlinks": SiteForPages(reading).briefings_naming(aid)}


def render_pages(library: m.Library, templates: Templates, *, pdf_links: bool = False, public: bool = False,
                 site_url: str | None = None, memory: Memory | None = None, workers: int = 1,
                 stix: bool = True) -> dict[str, str]:
    """Every generated page, by its path inside the docs folder.

    `pdf_links`: the build makes PDFs (pdf/ of the site), so pages link to them.
    `public`: the library is a public build's subset; a page kept from a build that was not
    (or was) is never taken, whatever it read.
    `site_url`: the site's address (mkdocs.yml), for absolute links in the Atom feed and the
    addresses pages are cited by.
    `memory`: what earlier renders kept (pages, and for the live preview converted fields);
    a page none of whose inputs changed is taken from there, not rendered again.
    `workers`: 2 renders half the pages in a second process when there are many (a one-off
    build on a machine with two cores or more; not for the live preview, whose memory is
    this process's).
    `stix`: the STIX bundles too (not in the live preview: the whole site's bundle reads every
    record, and making it again at each edit would take a second at 1,000 briefings).
    """
    rendered = _render(library, templates, _Options(pdf_links, public, site_url, workers, stix), memory, None)
    return {page: text for page, text in rendered.items() if text is not None}


@dataclass(frozen=True)
class WrittenPages:
    """What render_and_write did: every page's path, and those whose file it wrote."""

    pages: list[str]
    written: list[str]


def render_and_write(library: m.Library, templates: Templates, writer: PageWriter, *, pdf_links: bool = False,
                     public: bool = False, site_url: str | None = None, memory: Memory | None = None,
                     workers: int = 1) -> WrittenPages:
    """As render_pages (a build's: with the STIX bundles), each page written by `writer` in the
    process that rendered it as soon as it is rendered, and no text kept: at thousands of
    briefings the pages' text was most of the render's memory, held twice (sent back by the
    second process, then written). A kept page's file is checked, not read into memory."""
    rendered = _render(library, templates, _Options(pdf_links, public, site_url, workers, True), memory, writer)
    return WrittenPages(list(rendered), [page for page, written in rendered.items() if written])


@dataclass(frozen=True)
class _Options:
    pdf_links: bool
    public: bool
    site_url: str | None
    workers: int
    stix: bool


def _render(library: m.Library, templates: Templates, options: _Options, memory: Memory | None,
            writer: PageWriter | None) -> dict[str, Any]:
    """Each page's text (no writer), or whether its file was written (a writer)."""
    memory = memory if memory is not None else Memory()  # nothing kept: what this render keeps is let go
    pdf_links, site_url = options.pdf_links, options.site_url
    index = LibraryIndex(library, memory.per_record)
    recorder = Recorder()
    lib: Any = TrackedLibrary(library, recorder)
    reading = Reading(index, lib, recorder, memory.drawings, site_url=site_url, pdf_links=pdf_links, maps=memory.maps)
    common = {"site": SiteForPages(reading), "lib": lib, "pdf_links": pdf_links, "views": ViewsForPages(reading)}
    jobs = [job for job in page_jobs(library) if options.stix or not job.page.startswith(STIX_FOLDER + "/")]
    languages = sorted({library.site.language, *(job.language for job in jobs if job.language)})
    render = memory.begin_render(library, index.view, digest([templates_digest(templates), pdf_links, options.public,
                                                              site_url, catalogues_digest(library.site.language)]))
    if writer is not None:
        writer.begin([job.page for job in jobs])
        kept: dict[str, Any] = {job.page: False for job in jobs if render.still_good(job.page)}
    else:
        kept = {job.page: text for job in jobs if (text := render.kept(job.page)) is not None}
    envs = {language: environment(templates, memory.environments, language) for language in languages}

    def render_one(job: _Job) -> Rendered:
        recorder.start()
        try:
            text: str | bytes
            if job.make is not None:
                text = job.make(reading, site_url)
            else:
                helper = PageHelper(reading, job.page, memory.fragments)
                env = envs[job.language or library.site.language]
                text = env.get_template(job.template or "").render(p=helper, **common, **job.values(reading))
        except jinja2.TemplateError as exc:
            raise RenderError([template_problem(templates, job.template or "", exc)]) from None
        except graphs.GraphError as exc:
            raise graphs.GraphError(f"{_page_source(library, job.page)}: the relationship graph of its page: "
                                    f"{exc.problems[0].message}") from None
        read = render.interned(grouped(recorder.finish()))
        combined = render.digests.combined(read)  # found here, in whichever process rendered it
        if writer is None:
            return Rendered(text.decode("utf-8") if isinstance(text, bytes) else text, read, combined)
        return Rendered(None, read, combined, *writer.write(job.page, text))

    def render_all(some: list[_Job]) -> dict[str, Rendered]:
        """The pages, in runs of GRAPH_RUN: the graphs of a run drawn at once, then its pages."""
        rendered: dict[str, Rendered] = {}
        for start in range(0, len(some), GRAPH_RUN):
            run = some[start:start + GRAPH_RUN]
            _prefetch_graphs(reading, {job.page for job in run})
            for n, job in enumerate(run, start=1):
                rendered[job.page] = render_one(job)
                if n % COLLECT_EVERY == 0:
                    gc.collect(1)
                    give_back_freed_memory()
        return rendered

    todo = [job for job in jobs if job.page not in kept]
    workers = options.workers
    _prefetch_maps(library, {job.page for job in todo}, memory.maps, workers if memory.fragments is None else 1)
    if workers > 1 and memory.fragments is None and len(todo) >= PARALLEL_FROM and CAN_FORK:
        rendered = _render_in_two_processes(todo, render_all)
    else:
        rendered = render_all(todo)
    for page, done in rendered.items():
        render.record(page, done.read, done.combined, done.text, done.digest)
    render.end()
    return {job.page: kept[job.page] if job.page in kept else (rendered[job.page].text if writer is None else
                                                                 rendered[job.page].written) for job in jobs}


def _page_source(library: m.Library, page: str) -> str:
    """The data file a briefing's or an actor's page is made from (the page itself for others)."""
    folder, _, name = page.removesuffix(".md").partition("/")
    kind = {"briefings": "briefing", "actors": "actor"}.get(folder)
    return library.origins.get((kind, name), page) if kind else page


def _prefetch_graphs(reading: Reading, pages: Container[str]) -> None:
    """Draw the graphs of the briefing and actor pages about to be rendered in one Graphviz
    run, before the pages ask for them one by one (what is read here counts for no page)."""
    lib, index = reading.lib, reading.index
    words = reading.words
    drawn = [views.briefing_graph_data(lib, PageHelper(reading, page, glossary=False), lib.briefings[bid], words)
             for bid in index.lib.briefings if (page := f"briefings/{bid}.md") in pages]
    drawn += [views.actor_graph_data(lib, PageHelper(reading, page, glossary=False), aid, index.pointing_at(aid), words)
              for aid in index.lib.actors if (page := f"actors/{aid}.md") in pages]
    graphs.prefetch((graphs.relation_graph_dot(nodes, edges) for nodes, edges in drawn if nodes), reading.drawings)
    # The keys' samples apart: in one run, a graph without its own layout takes the last one's.
    graphs.prefetch((graphs.swatch_dot(t) for t in graphs.EDGE_STYLES), reading.drawings)


def _prefetch_maps(library: m.Library, pages: Container[str], kept: KeptMaps, workers: int) -> None:
    """Draw the basemaps no build drew before: of the briefings about to be rendered, and of
    the regions. Here, before the pages are shared out: a second process's would be lost; in
    two processes when there are many."""
    wanted: list[tuple[maps.Area, ...]] = [(area,) for bid, b in library.briefings.items()
              if (area := maps.area_of(b.area)) is not None and f"briefings/{bid}.md" in pages]
    wanted += [maps.region_areas(library, [bid for bid, _ in g.briefings]) for g in views.by_region(library)
               if g.anchor != views.NO_REGION]
    missing = [areas for areas in dict.fromkeys(wanted) if areas and kept.get(maps.layer_key(areas)) is None]
    if workers > 1 and CAN_FORK and len(missing) >= MAPS_IN_TWO_FROM:
        mine, theirs = side_by_side(lambda: maps.drawn_layers(missing[0::2]),
                                    lambda: maps.drawn_layers(missing[1::2]), "drawing maps in a second process")
        drawn = {**mine, **theirs}
    else:
        drawn = maps.drawn_layers(missing)
    for key, layer in drawn.items():
        kept.put(key, layer)
    if drawn:
        maps.basemaps_released()  # some 100 MB the pages do not need: they draw on the layers


MAPS_IN_TWO_FROM = 16
"""Basemaps to draw from which a second process shares the work (each takes 20-200 ms)."""


COLLECT_EVERY = 50
"""Pages after which the cycles they left are collected (the collector is paused while the
render runs: incremental.memory.collector_paused). A page's template imports another with its
context, a cycle that holds the page's values (its converted fields, its citation block):
never collected, they were most of the render's memory, about a gigabyte at 5,000 briefings.
Only the young objects are looked at, those of the last pages: a few milliseconds. What they
freed is then handed back to the system (the C library keeps it otherwise: 28 MB of a
one-process render of 1,000 briefings, at no cost in time)."""

GRAPH_RUN = 1000
"""Pages whose graphs are drawn in one Graphviz run, then rendered: a run's drawings must
all stay in the process's Drawings (incremental.drawings.SIZE) until its pages take them.
Drawing every graph of the process at once stopped working above that size, and each
graph was then drawn by a `dot` of its own: 90 s of a 230 s render at 3,000 briefings."""

PARALLEL_FROM = 200
"""Pages to render before a second process pays: starting it and sending its pages back
costs about 0.1 s (see docs/performance.md)."""


def _render_in_two_processes(jobs: list[_Job], render_all: Callable[[list[_Job]], dict[str, Rendered]]
                             ) -> dict[str, Rendered]:
    """Render every other page in a forked copy of this process (core.forked), the rest
    here, at the same time."""
    pages, theirs = side_by_side(lambda: render_all(jobs[0::2]), lambda: render_all(jobs[1::2]),
                                 "rendering in a second process")
    pages.update(theirs)
    return pages
