"""Rendering the example: golden files of every generated page, and what pages must hold."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from briefsite.render import md_text, page_url, render_pages
from briefsite.validate import load_library
from tests.conftest import EXAMPLE_DATA, REPO

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    library, report = load_library(EXAMPLE_DATA)
    assert library is not None, [p.format() for p in report.errors]
    return render_pages(library, REPO / "templates")


def test_golden_pages(pages: dict[str, str], request: pytest.FixtureRequest) -> None:
    """Every generated page equals its reviewed copy in tests/golden (`make golden` rewrites them)."""
    if request.config.getoption("--update-golden"):
        for old in GOLDEN.rglob("*.*"):
            old.unlink()
        for rel, text in pages.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.*")}
    assert sorted(expected) == sorted(pages), "pages added or removed: run `make golden` and review the diff"
    for rel, text in pages.items():
        if text != expected[rel]:
            diff = "".join(difflib.unified_diff(expected[rel].splitlines(True), text.splitlines(True), rel, rel, n=1))
            pytest.fail(f"{rel} differs from its golden copy (run `make golden` and review):\n{diff[:3000]}")


def test_home_lists_briefings_newest_first(pages: dict[str, str]) -> None:
    home = pages["index.md"]
    assert "Russia's options in Nagorno-Karabakh" in home.replace("&#x27;", "'").replace("&#39;", "'")
    assert "status-final" in home and "South Caucasus" in home


def test_one_footnote_number_per_source_per_page(pages: dict[str, str]) -> None:
    page = pages["briefings/russia-options-nagorno-karabakh.md"]
    assert page.count('<li id="source-mt-options">') == 1
    assert 'href="#source-mt-options"' in page
    assert ">[1]<" in page and ">[2]<" not in page.split('<li id="source-')[0].split("[1]")[0]


def test_wikilinks_become_relative_links(pages: dict[str, str]) -> None:
    page = pages["briefings/russia-options-nagorno-karabakh.md"]
    assert 'href="../actors/putin.html"' in page
    assert 'href="../glossary.html#kazan-formula"' in page


def test_glossary_terms_show_their_definition_on_first_use(pages: dict[str, str]) -> None:
    page = pages["briefings/russia-options-nagorno-karabakh.md"]
    assert page.count('<abbr class="term" title="') >= 1


def test_actor_page_has_native_name_relations_and_backlinks(pages: dict[str, str]) -> None:
    page = pages["actors/pashinyan.md"]
    assert "Նիկոլ Փաշինյան" in page
    assert "../briefings/russia-options-nagorno-karabakh.html" in page


@pytest.mark.parametrize(("src", "dst", "url"), [
    ("index.md", "actors/putin.md", "actors/putin.html"),
    ("briefings/a.md", "actors/putin.md", "../actors/putin.html"),
    ("actors/putin.md", "actors/lavrov.md", "lavrov.html"),
    ("briefings/a.md", "glossary.md", "../glossary.html"),
])
def test_page_url(src: str, dst: str, url: str) -> None:
    assert page_url(src, dst) == url


def test_heading_text_cannot_become_markup() -> None:
    assert md_text("<b>x</b> {: onclick=alert(1)} # [a](b)") == \
        r"&lt;b&gt;x&lt;/b&gt; \{: onclick=alert\(1\)\} \# \[a\]\(b\)"
