"""The briefing books: PDFs a reader carries into a meeting, each at most about BOOK_PAGES
pages at any size of the library.

While the whole library fits, there is one book of everything (as it always was). Past
that, the book holds the latest briefings that fit, and each region and each tag gets a
book of its own latest briefings; each book's appendices hold the actors, sources and
glossary terms its briefings use. The choice is made from the records alone (an estimate
of their printed length), before anything is typeset, so that the site's pages can link
to the books and no build ever typesets a book larger than that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core import model as m
from ..core.translations import originals
from . import views
from .words import Words, words_for

BOOK = "briefing-book"
"""The file name (without .pdf) of the briefing book of the latest briefings (or all)."""
BOOK_PAGES = 300
"""The most pages a book is let grow to, by the estimate below."""
CHARS_PER_PAGE = 2000
"""Characters of Markdown a printed page holds. With ITEM_CHARS, measured on the example and
on generated briefings: the estimate of a briefing runs about 10% over its typeset length."""
ITEM_CHARS = 150
"""What a judgment, an event, a scenario, a listed actor or a source adds beyond its text
(its row, its badges, its line in the notes)."""
CHAPTER_PAGES = 0.5
"""A chapter starts a page, and a briefing's relationship graph takes part of one."""
MAP_PAGES = 0.6
"""A briefing's locator map (when it has an area), with its list of places. Without it the
estimate of a generated briefing with a map ran a page and a half under its typeset length, and
one in five of its PDFs was typeset twice (guessed short: render/print_html.SHORT_GUESS)."""
CONTENTS_PAGES = 0.3
"""A briefing's lines in a book's table of contents (its title and its parts)."""
ACTOR_PAGES = 0.55
"""An actor's profile in the appendix, with its relationship graph when it has one; a relation
adds RELATION_PAGES. Measured on a book of 42 generated briefings: 144 actors on 88 pages,
406 sources on 44, 44 terms on 3, contents 12 pages."""
RELATION_PAGES = 0.05
SOURCE_PAGES = 0.12
TERM_PAGES = 0.08


@dataclass(frozen=True)
class Book:
    """One briefing book: which briefings it holds and what its appendices hold."""

    name: str
    """Its PDF's path under pdf/, without .pdf: 'briefing-book' or 'books/<group anchor>'."""
    title: str
    """'Briefing book', 'Briefing book: South Caucasus'."""
    what: str
    """What it gathers, for its cover and its link: 'every briefing', 'the latest 40 of 812 briefings'."""
    briefings: tuple[str, ...]
    """Newest first."""
    actors: tuple[str, ...]
    sources: tuple[str, ...]
    terms: tuple[str, ...]
    whole: bool
    """The book holds the whole library: its appendices hold every actor, source and term."""


def briefing_pages(b: m.Briefing) -> float:
    """How many printed pages the briefing takes, estimated from its records."""
    items = (len(b.key_judgments) + len(b.timeline) + len(b.actors) + len(b.scenarios) + len(b.sections)
             + len(b.updates) + sum(len(s.indicators) for s in b.scenarios) + len(b.cited_sources()))
    return (CHAPTER_PAGES + (MAP_PAGES if b.area else 0.0)
            + (len(b._all_markdown()) + ITEM_CHARS * items) / CHARS_PER_PAGE)


def books(lib: m.Library, budget: float | None = None) -> list[Book]:
    """The book of the latest briefings (or of all), then, when the library does not fit in
    one, a book per region and per tag. `budget`: pages, BOOK_PAGES unless given."""
    budget = BOOK_PAGES if budget is None else budget
    words = words_for(lib.site.language)
    ids = [bid for bid, _ in originals(lib.briefings)]  # a translation is not a briefing of its own here
    latest = _fitting(lib, ids, budget)
    if len(latest.briefings) == len(ids):
        return [Book(BOOK, words._("Briefing book"), words._("every briefing"), tuple(ids), tuple(lib.actors),
                     tuple(lib.sources), tuple(lib.terms), whole=True)]
    found = [_part(lib, BOOK, words._("Briefing book"), latest, len(ids), words)]
    for group in [*views.by_region(lib), *views.by_tag(lib)]:
        own = [bid for bid, _ in group.briefings]
        found.append(_part(lib, f"books/{group.anchor}", words._("Briefing book: %(name)s", name=group.name),
                           _fitting(lib, own, budget), len(own), words))
    return found


@dataclass
class _Chosen:
    """Briefings chosen for a book, with the actors, sources and terms they use."""

    briefings: list[str] = field(default_factory=list)
    actors: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)


def _part(lib: m.Library, name: str, title: str, chosen: _Chosen, of: int, words: Words) -> Book:
    count = len(chosen.briefings)
    what = (words.ngettext("all %(num)s briefing", "all %(num)s briefings", of) if count == of else
            words.ngettext("the latest %(count)s of %(num)s briefing", "the latest %(count)s of %(num)s briefings", of,
                           count=count) if count > 1 else
            words.ngettext("the latest of %(num)s briefing", "the latest of %(num)s briefings", of))
    return Book(name, title, what, tuple(chosen.briefings), tuple(a for a in lib.actors if a in chosen.actors),
                tuple(s for s in lib.sources if s in chosen.sources), tuple(t for t in lib.terms if t in chosen.terms),
                whole=False)


def _fitting(lib: m.Library, ids: list[str], budget: float) -> _Chosen:
    """The first of `ids` (newest first) whose chapters and appendices fit in `budget` pages,
    at least one however long, with what their appendices hold."""
    chosen = _Chosen()
    pages = 0.0
    for bid in ids:
        b = lib.briefings[bid]
        new_actors = {a for a in b.named_actors() if a in lib.actors} - chosen.actors
        new_sources = (b.cited_sources() | _sources_of(lib, new_actors, lib.actors)) - chosen.sources
        new_terms = _terms_of(lib, b, new_actors) - chosen.terms
        new_sources |= _sources_of(lib, new_terms, lib.terms) - chosen.sources
        more = (briefing_pages(b) + CONTENTS_PAGES + sum(_actor_pages(lib.actors[a]) for a in new_actors)
                + SOURCE_PAGES * len(new_sources) + TERM_PAGES * len(new_terms))
        if chosen.briefings and pages + more > budget:
            break
        chosen.briefings.append(bid)
        chosen.actors |= new_actors
        chosen.sources |= new_sources
        chosen.terms |= new_terms
        pages += more
    return chosen


def _terms_of(lib: m.Library, b: m.Briefing, actors: set[str]) -> set[str]:
    """The glossary terms the briefing or the actors' profiles link to."""
    linked = b.linked_ids().union(*(lib.actors[a].linked_ids() for a in actors))
    return {t for t in linked if t in lib.terms}


def _sources_of(lib: m.Library, ids: set[str], records: dict[str, m.Actor] | dict[str, m.Term]) -> set[str]:
    """What the actors' profiles or the terms' definitions cite: the book's appendices number them too."""
    return {s for i in ids for s in records[i].cited_sources() if s in lib.sources}


def _actor_pages(a: m.Actor) -> float:
    return ACTOR_PAGES + RELATION_PAGES * len(a.relations)
