"""The real site engine on the example: pages, search index, offline."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from briefsite.app import BuildOptions, build
from briefsite.core.project import Project
from tests.conftest import add_site_page

pytestmark = pytest.mark.slow

BRIEFING = "briefings/russia-options-nagorno-karabakh.html"


def read(project: Project, page: str) -> str:
    return (project.site / page).read_text(encoding="utf-8")


def test_every_page_is_built(built_example: Project) -> None:
    site = built_example.site
    for page in ["index.html", BRIEFING, "actors/index.html", "actors/putin.html", "actors/pashinyan.html",
                 "sources.html", "glossary.html", "legend.html", "404.html"]:
        assert (site / page).is_file(), page


MANUAL = ["format", "errors", "authoring", "views", "hosting", "security", "engines", "performance"]


def test_the_tools_manual_is_not_in_the_readers_site(built_example: Project) -> None:
    """docs/ holds the tool's manual beside the site's stylesheets: only the pages the
    navigation names are the site's."""
    site = built_example.site
    for name in MANUAL:
        assert (built_example.docs / f"{name}.md").is_file(), name  # the manual is still there, to read
        assert not (site / f"{name}.html").exists(), name
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "format.html" not in home and "Guide" not in home
    assert (site / "stylesheets" / "brief.css").is_file() and (site / "legend.html").is_file()


def test_a_page_the_navigation_names_is_published(project: Project) -> None:
    add_site_page(project, "about.md", "# About this desk\n\nWho we are.\n")
    build(project, BuildOptions(quiet=True, pdf=False))
    assert "Who we are." in (project.site / "about.html").read_text(encoding="utf-8")
    assert not (project.site / "format.html").exists()


def test_briefing_page_holds_the_briefing(built_example: Project) -> None:
    html = read(built_example, BRIEFING)
    assert "Russia&#x27;s options in Nagorno-Karabakh range from bad to worse" in html or \
        "Russia's options in Nagorno-Karabakh range from bad to worse" in html
    for heading in ["Bottom line", "Key judgments", "Actors", "Timeline", "Scenarios", "Change log", "Sources cited"]:
        assert re.search(rf"<h2[^>]*>{heading}", html), heading
    assert "TLP:CLEAR" in html
    # footnotes: numbered markers that point at the list of sources cited on the page
    assert 'href="#source-mt-options"' in html and 'id="source-mt-options"' in html
    assert "https://www.themoscowtimes.com/2020/10/15/" in html
    # likelihood badge with its range
    assert "55-80%" in html


def indexed_pages(project: Project) -> dict[str, str]:
    """What the search index holds of each page (its address: its text), read from
    Pagefind's fragments (gzip, a signature, then JSON)."""
    found = {}
    for fragment in (project.site / "pagefind" / "fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"].lstrip("/")] = data["content"]
    return found


def test_native_names_in_pages_and_search(built_example: Project) -> None:
    indexed = indexed_pages(built_example)
    for name, page in [("Владимир Путин", "actors/putin.html"), ("Նիկոլ Փաշինյան", "actors/pashinyan.html"),
                       ("Kazan formula", "glossary.html")]:
        assert name in indexed[page], name
    assert "Նիկոլ Փաշինյան" in read(built_example, "actors/pashinyan.html")


def test_search_index_holds_briefing_and_its_sources(built_example: Project) -> None:
    briefing_text = indexed_pages(built_example)[BRIEFING]
    assert "bad to worse" in briefing_text
    assert "The Moscow Times" in briefing_text


def test_no_third_party_fonts_scripts_or_styles(built_example: Project) -> None:
    for page in built_example.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html):
            url = re.search(r'(?:src|href)="([^"]*)"', tag)
            if url and not tag.startswith("<link rel=\"canonical\""):
                assert not re.match(r"(https?:)?//", url.group(1)), f"{page.name}: {tag}"
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html


def test_internal_links_resolve(built_example: Project) -> None:
    site = built_example.site
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # served at any address, so its links are absolute
            continue
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"#:?]+\.html)(?:#[^"]*)?"', html):
            target = (page.parent / href).resolve()
            assert target.is_file(), f"{page.relative_to(site)} links to missing {href}"


def test_actor_backlinks(built_example: Project) -> None:
    html = read(built_example, "actors/putin.html")
    assert "../" + BRIEFING in html


def test_sources_page_spells_out_grades(built_example: Project) -> None:
    html = read(built_example, "sources.html")
    assert "usually reliable" in html and "possibly true" in html
    assert html.count('class="source"') == 6
    assert "Cited in:" in html


def test_site_url_from_the_environment_fills_sitemap_and_feed(project: Project,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://example.org/briefs/")
    build(project, BuildOptions(quiet=True, pdf=False))
    sitemap = read(project, "sitemap.xml")
    assert "<loc>https://example.org/briefs/briefings/russia-options-nagorno-karabakh.html</loc>" in sitemap
    assert 'href="https://example.org/briefs/index.html"' in read(project, "feed.xml")
    assert 'href="/briefs/assets/' in read(project, "404.html")
    # a briefing is cited by its absolute address (docs/citing.md)
    assert ('<meta name="DC.identifier" content="https://example.org/briefs/briefings/'
            'russia-options-nagorno-karabakh.html">') in read(project, BRIEFING)


def test_likelihood_badges_read_aloud_in_words(built_example: Project) -> None:
    page = read(built_example, BRIEFING)
    assert '<span class="sr-only">Likelihood: likely, 55 to 80 percent</span>' in page
    assert '<span aria-hidden="true">Likely <span class="range">55-80%</span></span>' in page
    assert "@media (prefers-reduced-motion: reduce)" in read(built_example, "stylesheets/brief.css")
