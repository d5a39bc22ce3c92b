"""Print HTML of our own (templates/print/) for the PDFs: every briefing on its own, and
the briefing books (render/books.py: their briefings newest first, then the actors,
sources and glossary they use). The screen HTML of the site engine is never printed: its layout drops
content on paper. Typesetting is output.pdf's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from ..core import model as m
from ..core.errors import RenderError
from ..core.translations import language_of
from ..incremental.drawings import Drawings
from ..incremental.tracking import Recorder
from . import graphs, maps, svg, views
from .books import CHAPTER_PAGES, Book, books, briefing_pages
from .context import Reading, SiteForPages
from .environment import Templates, make_environment, template_problem
from .helper import PageHelper
from .index import LibraryIndex
from .words import words_for

SHORT_PAGES = 3
"""A briefing whose content fits on this many pages gets no table of contents."""
SHORT_GUESS = 1.3
"""A briefing estimated (books.briefing_pages) at up to this many times SHORT_PAGES is typeset short
first: the estimate runs over the typeset length, most of all for short briefings."""
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
    areas: list[svg.LinkArea]
    caption: str
    legend: Markup


class PrintHelper(PageHelper):
    """The page helper for print: links go to anchors inside the same document.

    `anchors` maps the ids the document holds to their anchors; a link to anything
    else is shown as plain text. `scope` keeps the footnote anchors of the chapters
    of one document apart. In the book's appendices, citations carry the numbers of
    the book's list of sources (`numbered`, its source ids in order) and point at it.
    """

    def __init__(self, reading: Reading, anchors: dict[str, str], scope: str, *, in_book: bool = False,
                 numbered: tuple[str, ...] = (), glossary: bool = True):
        super().__init__(reading, scope, glossary=glossary)
        self.anchors = anchors
        self.scope = scope
        self.in_book = in_book
        self.numbered = bool(numbered)
        self.ctx.source_href = lambda source_id: "#" + self.note_anchor(source_id)
        self.ctx.cited.extend(numbered)

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

    def briefing_map(self, b: m.Briefing) -> Markup:
        """The briefing's locator map, as on its page; its places link to the timeline's rows."""
        return maps.briefing_map(self.lib, b, self.reading.maps, words_for(b.lang or self.lib.site.language),
                                 lambda n: f"#{self.scope}--event-{n}", right_to_left_labels=False)

    def briefing_graph(self, b: m.Briefing) -> PrintGraph | None:
        """The briefing's actors and their relations, as on its page of the site; an actor
        links to its profile in the book, or to its row in a briefing's own Actors table."""
        words = self.reading.words
        about = (words._("The briefing's actors and the relations among them. "
                         "Select an actor for its profile in the Actors chapter.") if self.in_book else
                 words._("The briefing's actors and the relations among them. "
                         "Select an actor for its row in the Actors table."))
        return self._graph(views.briefing_graph_data(self.lib, self, b, words), views.briefing_graph_title(b, words),
                           about)

    def actor_graph(self, aid: str) -> PrintGraph | None:
        """The actor's relations, as on its page of the site, when they involve at least
        ACTOR_GRAPH_MIN_NEIGHBOURS other actors; an actor links to its profile."""
        pointing = self.index.pointing_at(aid)
        words = self.reading.words
        nodes, edges = views.actor_graph_data(self.lib, self, aid, pointing, words)
        if len(nodes) - 1 < ACTOR_GRAPH_MIN_NEIGHBOURS:
            return None
        title = views.actor_graph_title(self.lib, aid, words)
        left_out = views.not_drawn(pointing)
        # named: in the book, the graph may begin the next page, above another profile
        caption = (words._("%(title)s and those of others pointing at it. Select an actor for its profile.",
                           title=title) if not left_out else
                   words._("%(title)s and those of the first %(drawn)s of %(count)s others pointing at it. "
                           "Select an actor for its profile.", title=title, drawn=views.ACTOR_GRAPH_MAX_POINTING,
                           count=views.ACTOR_GRAPH_MAX_POINTING + len(left_out)))
        return self._graph((nodes, edges), title, caption)

    def _graph(self, graph: views.Graph, title: str, caption: str) -> PrintGraph | None:
        nodes, edges = graph
        if not nodes:
            return None
        # its text alternative in the PDF: the title, then the relations in words
        described = " ".join([f"{title}.", *graphs.in_words(nodes, edges, self.reading.words)])
        drawing = graphs.relation_graph_svg(nodes, edges, described, self.reading.drawings)
        width, height = svg.svg_size(drawing)
        width *= min(GRAPH_SCALE, GRAPH_MAX_HEIGHT_PX / height) if height else GRAPH_SCALE
        types = graphs.types_in(edges)
        # only anchors inside this document: the node links come from url_of, this is a guard
        areas = [a for a in svg.link_areas(drawing) if a.href.startswith("#")]
        return PrintGraph(Markup(drawing), width, areas, caption,  # noqa: S704 - SVG from graphs, text escaped
                          Markup(graphs.legend_html(types, self.reading.drawings, self.reading.words)  # noqa: S704
                                 if types else ""))


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
    short_first: bool = False
    """The short one likely fits (books.briefing_pages): typeset it first."""


class PrintRenderer:
    """Print HTML for the library, from the templates in templates/print/."""

    def __init__(self, library: m.Library, templates: Templates, drawings: Drawings | None = None):
        self.lib = library
        self.reading = Reading(LibraryIndex(library), library, Recorder(), drawings)
        self.site = SiteForPages(self.reading)
        self.templates = templates
        self.envs = {library.site.language: make_environment(templates, library.site.language)}

    def _render(self, template: str, language: str | None = None, **values: Any) -> str:
        """The template rendered with our words in `language` (the site's unless given)."""
        language = language or self.lib.site.language
        if language not in self.envs:
            self.envs[language] = make_environment(self.templates, language)
        try:
            return self.envs[language].get_template(template).render(site=self.site, lib=self.lib, **values)
        except jinja2.TemplateError as exc:
            raise RenderError([template_problem(self.templates, template, exc)]) from None

    def _meta(self, title: str, **values: Any) -> DocumentMeta:
        values.setdefault("marking", self.site.marking_of() or "")
        values.setdefault("language", self.lib.site.language)
        return DocumentMeta(title=title, **values)

    def briefing(self, bid: str) -> PrintJob:
        """One briefing: a cover, a table of contents when it is long, its content."""
        b = self.lib.briefings[bid]
        language = language_of(b, self.lib.site)  # a translation's PDF is in its language
        anchors = {bid: f"briefing-{bid}", **{ba.actor: f"actor-{ba.actor}" for ba in b.actors}}
        p = PrintHelper(self.reading, anchors, bid)
        body = Markup(self._render("print/_briefing.html.j2", language, b=b, bid=bid, p=p, chapter=False))  # noqa: S704
        meta = self._meta(b.title, marking=self.site.marking_of(b) or "", running_title=b.title, language=language,
                          authors=b.authors, subject=p.bottom_line(b), keywords=b.tags, draft=b.status == "draft")

        def document(toc: list[tuple[int, str, Markup]]) -> str:
            return self._render("print/briefing.html.j2", language, b=b, bid=bid, body=body, toc=toc, meta=meta)

        likely_short = briefing_pages(b) - CHAPTER_PAGES <= SHORT_PAGES * SHORT_GUESS
        return PrintJob(bid, document(contents(body, max_level=2)), document([]), likely_short)

    def books(self) -> list[Book]:
        return books(self.lib)

    def book(self, book: Book) -> PrintJob:
        """A book's briefings newest first, then its actors, sources and glossary, in one document."""
        lib = self.lib
        anchors = {**{bid: f"briefing-{bid}" for bid in book.briefings},
                   **{aid: f"actor-{aid}" for aid in book.actors},
                   **{tid: f"term-{tid}" for tid in book.terms}}
        chapters = [self._render("print/_briefing.html.j2", b=lib.briefings[bid], bid=bid, chapter=True,
                                 p=PrintHelper(self.reading, anchors, bid, in_book=True))
                    for bid in book.briefings]
        for name, items in (("actors", book.actors), ("sources", book.sources), ("glossary", book.terms)):
            if items:
                p = PrintHelper(self.reading, anchors, name, in_book=True, numbered=book.sources,
                                glossary=name != "glossary")
                chapters.append(self._render(f"print/{name}.html.j2", p=p, book=book))
        body = Markup("\n".join(chapters))  # noqa: S704 - rendered by autoescaping templates
        briefings = [lib.briefings[bid] for bid in book.briefings]
        meta = self._meta(f"{lib.site.title}: {book.title[:1].lower()}{book.title[1:]}",
                          running_title=f"{lib.site.title} · {book.title}",
                          authors=_unique(a for b in briefings for a in b.authors),
                          subject=lib.site.description or self.reading.words._("Briefings of %(site)s",
                                                                               site=lib.site.title),
                          keywords=_unique(t for b in briefings for t in b.tags))
        return PrintJob(book.name, self._render("print/book.html.j2", body=body, toc=contents(body, max_level=2),
                                                meta=meta, book=book, chosen=briefings))


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


def pdf_names(library: m.Library) -> list[str]:
    """Every PDF of a full export: one per briefing, then the books."""
    return [*library.briefings, *(b.name for b in books(library))]
