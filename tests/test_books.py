"""The briefing books (render/books.py): one book of everything while it fits; past that the
latest briefings, and a book per region and per tag, each within its pages, holding what its
briefings use, typeset within those pages, and linked from the site's pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from bench.corpus import generate
from briefsite.app import check
from briefsite.core import model as m
from briefsite.core.project import Project
from briefsite.output import pdf
from briefsite.render import books, views
from briefsite.render.books import BOOK
from briefsite.render.pages import render_pages
from briefsite.render.print_html import pdf_names
from tests.conftest import copy_project

BUDGET = 25
"""Pages of a book here: 60 generated briefings then need books of their parts, as thousands do."""


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, m.Library]:
    project = copy_project(tmp_path_factory.mktemp("books"))
    shutil.rmtree(project.data)
    generate(project.data, 60, seed=3)
    library, _ = check(project)
    return project, library


def estimate(lib: m.Library, book: books.Book) -> float:
    return (sum(books.briefing_pages(lib.briefings[b]) + books.CONTENTS_PAGES for b in book.briefings)
            + sum(books.ACTOR_PAGES + books.RELATION_PAGES * len(lib.actors[a].relations) for a in book.actors)
            + books.SOURCE_PAGES * len(book.sources) + books.TERM_PAGES * len(book.terms))


def test_a_small_library_has_one_book_of_everything(project: Project) -> None:
    library, _ = check(project)
    found = books.books(library)
    assert [b.name for b in found] == [BOOK]
    assert found[0].whole and found[0].what == "every briefing"
    assert found[0].briefings == tuple(library.briefings)
    assert (found[0].actors, found[0].sources, found[0].terms) == (
        tuple(library.actors), tuple(library.sources), tuple(library.terms))
    assert pdf_names(library) == [*library.briefings, BOOK]


def test_a_large_library_has_a_book_of_its_latest_and_one_per_region_and_tag(
        large: tuple[Project, m.Library]) -> None:
    _, lib = large
    found = books.books(lib, budget=BUDGET)
    groups = {g.anchor: g for g in [*views.by_region(lib), *views.by_tag(lib)]}
    assert [b.name for b in found] == [BOOK, *(f"books/{a}" for a in groups)]
    assert not any(b.whole for b in found)
    for book in found:
        group = groups.get(book.name.removeprefix("books/"))
        own = [bid for bid, _ in group.briefings] if group else list(lib.briefings)
        assert 1 < len(book.briefings) < len(own)
        assert list(book.briefings) == own[:len(book.briefings)], "its newest briefings, newest first"
        assert book.what == f"the latest {len(book.briefings)} of {len(own)} briefings"
        assert estimate(lib, book) <= BUDGET + 1e-9  # the same sum, added in another order
        named = {a for b in book.briefings for a in lib.briefings[b].named_actors() if a in lib.actors}
        assert set(book.actors) == named
        cited = {s for b in book.briefings for s in lib.briefings[b].cited_sources()}
        cited |= {s for a in book.actors for s in lib.actors[a].cited_sources()}
        cited |= {s for t in book.terms for s in lib.terms[t].cited_sources()}
        assert set(book.sources) == cited
        assert set(book.terms) <= set(lib.terms)


def test_a_book_is_typeset_within_its_pages_with_only_what_it_holds(
        large: tuple[Project, m.Library], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, lib = large
    monkeypatch.setattr(books, "BOOK_PAGES", BUDGET)
    region = books.books(lib)[1]
    result = pdf.export_with_kept(project, lib, tmp_path, names=[BOOK, region.name])
    for book in books.books(lib)[:2]:
        pages = result.rendered[book.name][0]
        assert BUDGET / 2 <= pages <= BUDGET * 1.1, f"{book.name}: {pages} pages"
        reader = PdfReader(tmp_path / f"{book.name}.pdf")
        text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages[:2]))
        assert book.title in text and book.what.capitalize() in text
        assert f"Actors {len(book.actors)}" in text and f"Sources {len(book.sources)}" in text

def test_the_pages_link_each_book_and_each_link_is_a_book(large: tuple[Project, m.Library],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    project, lib = large
    monkeypatch.setattr(books, "BOOK_PAGES", BUDGET)
    pages = render_pages(lib, project.template_dirs, pdf_links=True)
    linked: set[str] = set()
    for name, text in pages.items():
        depth = name.count("/")
        for href in re.findall(r'href="([^"]+\.pdf)"', text):
            assert href.startswith("../" * depth + "pdf/"), f"{name}: {href}"
            linked.add(href.removeprefix("../" * depth + "pdf/").removesuffix(".pdf"))
    found = {b.name for b in books.books(lib)}
    assert found <= linked, "every book is linked from a page"
    assert linked <= set(pdf_names(lib)), "every PDF link leads to a PDF the build makes"
    assert 'href="pdf/briefing-book.pdf"' in pages["index.md"]
