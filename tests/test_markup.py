"""Markdown fields to HTML: references, footnote numbers, and nothing unsafe gets through."""

from __future__ import annotations

import pytest

from briefsite.core import model as m
from briefsite.render.index import inside_sentence
from briefsite.render.markup import Link, PageContext, is_safe_url, plain_text, to_html

LINKS = {"putin": Link("../actors/putin.html", "Vladimir Putin", "Vladimir Putin"),
         "occupied": Link("glossary.html#occupied", "Occupied territories", "occupied territories")}


def page(**kwargs: object) -> PageContext:
    return PageContext(link_to=LINKS.get, source_href=lambda sid: f"#source-{sid}", **kwargs)  # type: ignore[arg-type]


def test_citations_number_sources_in_reading_order_once_each() -> None:
    ctx = page()
    first = to_html("A [@b] B [@a; @b]", ctx)
    second = to_html("C [@a]", ctx)
    assert ctx.cited == ["b", "a"]
    assert first.count('href="#source-b"') == 2 and ">[1]<" in first and ">[2]<" in first
    assert ">[2]<" in second


def test_wikilinks_with_and_without_text() -> None:
    html = to_html("[[putin]] and [[putin|the president]]", page())
    assert '<a class="xref" href="../actors/putin.html">Vladimir Putin</a>' in html
    assert '<a class="xref" href="../actors/putin.html">the president</a>' in html


@pytest.mark.parametrize(("text", "shown"), [
    ("[[occupied]] are seven districts.", "Occupied territories"),
    ("Baku wants the [[occupied]] back.", "occupied territories"),
    ("He left. [[occupied]] stayed.", "Occupied territories"),
    ('Called "[[occupied]]" by Baku.', "occupied territories"),
    ("Baku wants the [[occupied|districts]] back.", "districts"),
    ("- [[occupied]]\n- other", "Occupied territories"),
    ("| a | b |\n|---|---|\n| [[occupied]] | x |", "Occupied territories"),
])
def test_a_term_inside_a_sentence_starts_small(text: str, shown: str) -> None:
    assert f'href="glossary.html#occupied">{shown}</a>' in to_html(text, page())


@pytest.mark.parametrize(("term", "proper", "inside"), [
    ("Occupied territories", False, "occupied territories"),
    ("Kazan formula", True, "Kazan formula"),
    ("OSCE Minsk Group", False, "OSCE Minsk Group"),
    ("McDonald doctrine", False, "McDonald doctrine"),
    ("Гибридная война", False, "гибридная война"),
    ("和平", False, "和平"),
])
def test_how_a_term_reads_inside_a_sentence(term: str, proper: bool, inside: str) -> None:
    assert inside_sentence(m.Term(id="t", term=term, definition="x", proper_noun=proper)) == inside


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src='https://example.org'></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "</div></table><h1>x</h1>",
])
def test_raw_html_is_shown_as_text(attack: str) -> None:
    html = to_html(f"before {attack} after", page())
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "</div>" not in html
    assert "&lt;" in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                                 "vbscript:x", "//evil.example/x", "http://[a"])
def test_unsafe_link_schemes_lose_their_link(url: str) -> None:
    html = to_html(f"[click]({url}) ![img]({url})", page())
    assert "href" not in html and "<img" not in html
    assert not is_safe_url(url)


def test_images_from_elsewhere_become_links() -> None:
    html = to_html("![map](https://example.org/map.png)", page())
    assert "<img" not in html
    assert '<a class="image-link" href="https://example.org/map.png">map</a>' in html


def test_user_headings_sit_below_the_page_headings() -> None:
    html = to_html("# Big\n\n## Smaller", page())
    assert "<h3>Big</h3>" in html and "<h4>Smaller</h4>" in html
    # no level skipped, whatever levels the text starts from or jumps to
    html = to_html("Text.\n\n### Subheading\n\nMore.\n\n##### Deeper", page())
    assert "<h3>Subheading</h3>" in html and "<h4>Deeper</h4>" in html


def test_glossary_term_explained_on_first_use_only() -> None:
    ctx = page(glossary={"kazan formula": ("kazan-formula", "A phased return")})
    first = to_html("The Kazan formula is the Kazan formula.", ctx)
    second = to_html("Kazan formula again.", ctx)
    assert first.count("<abbr") == 1 and '<abbr class="term" title="A phased return">Kazan formula</abbr>' in first
    assert "<abbr" not in second


def test_jinja_syntax_stays_literal() -> None:
    assert "{{ 7*7 }}" in to_html("{{ 7*7 }}", page())


def test_inline_drops_the_paragraph() -> None:
    assert to_html("*a*", page(), inline=True) == "<em>a</em>"


def test_plain_text_drops_references_and_markup() -> None:
    assert plain_text("**Bold** [[putin|Putin]] said [@a] [x](http://y)") == "Bold Putin said x"


def test_addresses_become_valid_urls_leading_to_the_same_place() -> None:
    from briefsite.render.markup import valid_href

    assert valid_href("https://example.org/a?b=1&c=%20d#e") == "https://example.org/a?b=1&c=%20d#e"
    assert valid_href('http://example.net/\'"<> x') == "http://example.net/'%22%3C%3E%20x"
    assert valid_href("https://ru.wikipedia.org/wiki/Путин") == "https://ru.wikipedia.org/wiki/%D0%9F%D1%83%D1%82%D0%B8%D0%BD"
