"""PDF export: print HTML of our own (templates/print/), typeset by WeasyPrint.

Every briefing gets a PDF of its own, and the whole library a briefing book (every
briefing newest first, then actors, sources and glossary). The screen HTML of the
site engine is never printed: its layout drops content on paper.

A PDF is made again only when its print HTML, the stylesheet or the typesetter
changed; the others come from a cache in build/pdf-cache/. Several are made at
once, in worker processes.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import multiprocessing
import os
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import graphs, views
from . import model as m
from .errors import PdfError, RenderError
from .project import Project
from .render import PageHelper, Site, _template_problem, bottom_line, make_environment

BOOK = "briefing-book"
"""The file name (without .pdf) of the briefing book."""
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
SHORT_PAGES = 3
"""A briefing whose content fits on this many pages gets no table of contents."""
WORKERS = 2
_CACHE_FORMAT = "1"
GRAPH_SCALE = 0.75
"""Relationship graphs are drawn at this fraction of their natural size, which puts the names
in them at about the size of the body text (Graphviz sets them in 13 pt); a graph wider than
the page is narrowed further to fit it."""
GRAPH_MAX_HEIGHT_PX = 680
"""A relationship graph is drawn at most this high (180 mm), so that with its key it fits on a
page of A4 or letter."""
ACTOR_GRAPH_MIN_NEIGHBOURS = 2
"""The book draws an actor's relations on its profile when they involve at least this many
other actors. With one, the drawing is two boxes and a line that repeat a row of the
profile's relations table (or, for a relation only the other actor holds, of that actor's
profile, one link away): clutter that says nothing new. In the example, half of the actors
have one; drawings for the others take its Actors chapter from 7 pages to 11."""


@dataclass(frozen=True)
class PrintGraph:
    """A relationship graph laid out for print (see print/_print.j2, `relation_graph`).

    WeasyPrint draws the SVG but does not follow links inside it, so the nodes that link
    get links of their own laid over them (`areas`, in fractions of the drawing).
    """

    drawing: Markup
    width: float
    """The width to draw it at, in CSS pixels; the stylesheet narrows it to the page."""
    areas: list[graphs.LinkArea]
    caption: str
    legend: Markup


class PrintHelper(PageHelper):
    """The page helper for print: links go to anchors inside the same document.

    `anchors` maps the ids the document holds to their anchors; a link to anything
    else is shown as plain text. `scope` keeps the footnote anchors of the chapters
    of one document apart. In the book's appendices (`numbered`), citations carry
    the numbers of the book's list of sources and point at it.
    """

    def __init__(self, site: Site, anchors: dict[str, str], scope: str, *, in_book: bool = False,
                 numbered: bool = False, glossary: bool = True):
        super().__init__(site, scope)
        self.anchors = anchors
        self.scope = scope
        self.in_book = in_book
        self.numbered = numbered
        self.ctx.source_href = lambda source_id: "#" + self.note_anchor(source_id)
        if not glossary:
            self.ctx.glossary = {}
        if numbered:
            self.ctx.cited.extend(site.lib.sources)

    def url_of(self, target_id: str) -> str:
        """'#anchor' of an item inside this document, or '' when the document does not hold it."""
        anchor = self.anchors.get(target_id)
        return f"#{anchor}" if anchor else ""

    def note_anchor(self, source_id: str) -> str:
        """Where citation markers of this chapter point."""
        return f"source-{source_id}" if self.numbered else f"{self.scope}--note-{source_id}"

    def source_entry(self, source_id: str) -> str:
        """The source's entry in the book's list of sources, or '' outside the book."""
        return f"#source-{source_id}" if self.in_book else ""

    def briefing_graph(self, b: m.Briefing) -> PrintGraph | None:
        """The briefing's actors and their relations, as on its page of the site; an actor
        links to its profile in the book, or to its row in a briefing's own Actors table."""
        where = "its profile in the Actors chapter" if self.in_book else "its row in the Actors table"
        return self._graph(views.briefing_graph_data(self.site.lib, self, b), views.briefing_graph_title(b),
                           f"{views.BRIEFING_GRAPH_ABOUT} Select an actor for {where}.")

    def actor_graph(self, aid: str) -> PrintGraph | None:
        """The actor's relations, as on its page of the site, when they involve at least
        ACTOR_GRAPH_MIN_NEIGHBOURS other actors; an actor links to its profile."""
        nodes, edges = views.actor_graph_data(self.site.lib, self, aid)
        if len(nodes) - 1 < ACTOR_GRAPH_MIN_NEIGHBOURS:
            return None
        title = views.actor_graph_title(self.site.lib, aid)
        # named: in the book, the graph may begin the next page, above another profile
        return self._graph((nodes, edges), title,
                           f"{title} and those of others pointing at it. Select an actor for its profile.")

    def _graph(self, graph: views.Graph, title: str, caption: str) -> PrintGraph | None:
        nodes, edges = graph
        if not nodes:
            return None
        svg = graphs.relation_graph_svg(nodes, edges, title)
        width, height = graphs.svg_size(svg)
        width *= min(GRAPH_SCALE, GRAPH_MAX_HEIGHT_PX / height) if height else GRAPH_SCALE
        types = graphs.types_in(edges)
        # only anchors inside this document: the node links come from url_of, this is a guard
        areas = [a for a in graphs.link_areas(svg) if a.href.startswith("#")]
        return PrintGraph(Markup(svg), width, areas, caption,  # noqa: S704 - SVG from graphs, text escaped
                          Markup(graphs.legend_html(types) if types else ""))  # noqa: S704


@dataclass(frozen=True)
class DocumentMeta:
    """What the <head> says (WeasyPrint makes it the PDF's metadata) and the running header."""

    title: str
    language: str
    marking: str
    running_title: str
    authors: list[str] = field(default_factory=list)
    subject: str = ""
    keywords: list[str] = field(default_factory=list)
    draft: bool = False


@dataclass(frozen=True)
class PrintJob:
    """One PDF to make: its name and its print HTML."""

    name: str
    html: str
    """The document with a table of contents."""
    short_html: str | None = None
    """The same without one, used when the content fits on SHORT_PAGES pages."""

    def key(self, css: str) -> str:
        """Changes whenever the PDF would: the HTML, the stylesheet, the typesetter."""
        digest = hashlib.sha256()
        for part in (_CACHE_FORMAT, metadata.version("weasyprint"), css, self.html, self.short_html or ""):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()


class PrintRenderer:
    """Print HTML for the library, from the templates in templates/print/."""

    def __init__(self, library: m.Library, templates_dir: Path):
        self.lib = library
        self.site = Site(library)
        self.templates_dir = templates_dir
        self.env = make_environment(templates_dir)

    def _render(self, template: str, **values: Any) -> str:
        try:
            return self.env.get_template(template).render(site=self.site, lib=self.lib, **values)
        except jinja2.TemplateError as exc:
            raise RenderError([_template_problem(self.templates_dir, template, exc)]) from None

    def _meta(self, title: str, **values: Any) -> DocumentMeta:
        values.setdefault("marking", self.site.marking_of() or "")
        return DocumentMeta(title=title, language=self.lib.site.language, **values)

    def briefing(self, bid: str) -> PrintJob:
        """One briefing: a cover, a table of contents when it is long, its content."""
        b = self.lib.briefings[bid]
        anchors = {bid: f"briefing-{bid}", **{ba.actor: f"actor-{ba.actor}" for ba in b.actors}}
        p = PrintHelper(self.site, anchors, bid)
        body = Markup(self._render("print/_briefing.html.j2", b=b, bid=bid, p=p, chapter=False))  # noqa: S704
        meta = self._meta(b.title, marking=self.site.marking_of(b) or "", running_title=b.title,
                          authors=b.authors, subject=bottom_line(b), keywords=b.tags, draft=b.status == "draft")

        def document(toc: list[tuple[int, str, Markup]]) -> str:
            return self._render("print/briefing.html.j2", b=b, bid=bid, body=body, toc=toc, meta=meta)

        return PrintJob(bid, document(contents(body, max_level=2)), document([]))

    def book(self) -> PrintJob:
        """Every briefing newest first, then actors, sources and glossary, in one document."""
        lib = self.lib
        anchors = {**{bid: f"briefing-{bid}" for bid in lib.briefings},
                   **{aid: f"actor-{aid}" for aid in lib.actors},
                   **{tid: f"term-{tid}" for tid in lib.terms}}
        chapters = [self._render("print/_briefing.html.j2", b=b, bid=bid, chapter=True,
                                 p=PrintHelper(self.site, anchors, bid, in_book=True))
                    for bid, b in lib.briefings.items()]
        for name, items in (("actors", lib.actors), ("sources", lib.sources), ("glossary", lib.terms)):
            if items:
                p = PrintHelper(self.site, anchors, name, in_book=True, numbered=True, glossary=name != "glossary")
                chapters.append(self._render(f"print/{name}.html.j2", p=p))
        body = Markup("\n".join(chapters))  # noqa: S704 - rendered by autoescaping templates
        briefings = list(lib.briefings.values())
        meta = self._meta(f"{lib.site.title}: briefing book", running_title=f"{lib.site.title} · Briefing book",
                          authors=_unique(a for b in briefings for a in b.authors),
                          subject=lib.site.description or f"Briefings of {lib.site.title}",
                          keywords=_unique(t for b in briefings for t in b.tags))
        return PrintJob(BOOK, self._render("print/book.html.j2", body=body, toc=contents(body, max_level=2),
                                           meta=meta))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"(?: class="([^"]*)")?>(.*?)</h\1>', re.DOTALL)


def contents(body: str, max_level: int) -> list[tuple[int, str, Markup]]:
    """(level, anchor, title) of the headings with an id down to max_level, for a table of contents.

    Headings with an id come from the print templates only (those of Markdown
    fields have none); a heading of class 'no-toc' is left out.
    """
    entries = []
    for match in _HEADING.finditer(body):
        level, anchor, classes, inner = int(match.group(1)), match.group(2), match.group(3) or "", match.group(4)
        if level <= max_level and "no-toc" not in classes.split():
            entries.append((level, anchor, Markup(re.sub(r"<[^>]+>", "", inner).strip())))  # noqa: S704
    return entries


def stylesheet(templates_dir: Path, paper: str = "a4") -> str:
    """templates/print/print.css with the paper size."""
    if paper not in PAPER_SIZES:
        raise PdfError(f"unknown paper size '{paper}'; use one of: {', '.join(PAPER_SIZES)}")
    css = (templates_dir / "print" / "print.css").read_text(encoding="utf-8")
    return f"{css}\n@page {{ size: {PAPER_SIZES[paper]}; }}\n"


def pdf_names(library: m.Library) -> list[str]:
    """Every PDF of a full export: one per briefing, and the book."""
    return [*library.briefings, BOOK]


# --- Typesetting (runs in worker processes) ----------------------------------------------

def render_pdf(document: str, short_document: str | None, css: str, out: str) -> tuple[int, float]:
    """Typeset one document into `out`; (pages, seconds).

    With a short variant, the document is typeset with its table of contents first
    and again without one when its content fits on SHORT_PAGES pages (the cover and
    the contents take one page each).
    """
    start = time.perf_counter()
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher

        fetcher = URLFetcher(allowed_protocols={"data"})  # never anything from the network or the disk
        sheets = [CSS(string=css, url_fetcher=fetcher)]
        doc = HTML(string=document, url_fetcher=fetcher).render(stylesheets=sheets)
        if short_document is not None and len(doc.pages) <= SHORT_PAGES + 2:
            doc = HTML(string=short_document, url_fetcher=fetcher).render(stylesheets=sheets)
        tmp = f"{out}.tmp{os.getpid()}"
        doc.write_pdf(tmp)
        os.replace(tmp, out)
    except Exception as exc:  # noqa: BLE001 - a worker's exception must survive pickling
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from None
    return len(doc.pages), time.perf_counter() - start


# --- Export with a cache -------------------------------------------------------------------

@dataclass
class ExportResult:
    """What an export did."""

    rendered: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Name -> (pages, seconds) of each PDF typeset by this export."""
    cached: list[str] = field(default_factory=list)
    """Names of the PDFs that came unchanged from the cache."""
    seconds: float = 0.0


def cache_dir(project: Project) -> Path:
    return project.build / "pdf-cache"


def export_pdfs(project: Project, library: m.Library, dest: Path, paper: str = "a4",
                names: Iterable[str] | None = None, workers: int = WORKERS) -> ExportResult:
    """Write <name>.pdf into dest for the named PDFs (briefing ids and BOOK), or all of them.

    An export of all of them also removes PDFs of dest that are no longer produced.
    """
    start = time.perf_counter()
    if BOOK in library.briefings:
        raise PdfError(f"a briefing has the id '{BOOK}', the name of the briefing book's PDF; give it another id")
    everything = pdf_names(library)
    wanted = everything if names is None else _unique(names)
    unknown = [n for n in wanted if n not in everything]
    if unknown:
        raise PdfError(f"no briefing has the id {', '.join(repr(n) for n in unknown)}; "
                       f"PDFs can be made of: {', '.join(everything)}")
    css = stylesheet(project.templates, paper)
    renderer = PrintRenderer(library, project.templates)
    jobs = [renderer.book() if name == BOOK else renderer.briefing(name) for name in wanted]

    result = ExportResult()
    cache = cache_dir(project)
    cache.mkdir(parents=True, exist_ok=True)
    todo: list[tuple[PrintJob, str]] = []
    for job in jobs:
        key = job.key(css)
        key_file, pdf_file = cache / f"{job.name}.key", cache / f"{job.name}.pdf"
        if pdf_file.is_file() and key_file.is_file() and key_file.read_text(encoding="utf-8") == key:
            result.cached.append(job.name)
        else:
            key_file.unlink(missing_ok=True)
            todo.append((job, key))
    for job, key, outcome in _typeset(todo, css, cache, workers):
        result.rendered[job.name] = outcome
        (cache / f"{job.name}.key").write_text(key, encoding="utf-8")

    dest.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        _copy(cache / f"{job.name}.pdf", dest / f"{job.name}.pdf")
    if names is None:
        produced = {f"{n}.pdf" for n in everything}
        for stale in [*dest.glob("*.pdf"), *cache.glob("*.pdf")]:
            if stale.name not in produced:
                stale.unlink()
                stale.with_suffix(".key").unlink(missing_ok=True)
    result.seconds = time.perf_counter() - start
    return result


def _typeset(todo: list[tuple[PrintJob, str]], css: str, cache: Path,
             workers: int) -> Iterable[tuple[PrintJob, str, tuple[int, float]]]:
    """Typeset the jobs into the cache: in this process when there is one, else in parallel."""
    if len(todo) <= 1 or workers <= 1:
        for job, key in todo:
            yield job, key, _run(job, render_pdf, job.html, job.short_html, css, str(cache / f"{job.name}.pdf"))
        return
    context = multiprocessing.get_context("forkserver")  # safe whatever threads this process runs
    context.set_forkserver_preload(["weasyprint", __name__])
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context) as pool:
        biggest_first = sorted(todo, key=lambda item: -len(item[0].html))
        futures = {pool.submit(render_pdf, job.html, job.short_html, css, str(cache / f"{job.name}.pdf")): (job, key)
                   for job, key in biggest_first}
        for future in concurrent.futures.as_completed(futures):
            job, key = futures[future]
            yield job, key, _run(job, future.result)


def _run(job: PrintJob, fn: Any, *args: Any) -> tuple[int, float]:
    try:
        return fn(*args)  # type: ignore[no-any-return]
    except RuntimeError as exc:
        raise PdfError(f"{job.name}.pdf: the PDF could not be made: {exc}") from None


def _copy(src: Path, dest: Path) -> None:
    """Copy a file so that a reader of dest never sees half of it."""
    tmp = dest.with_name(f".{dest.name}.tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dest)

