"""A briefing and its translation: the example plus its Russian translation
(tests/fixtures/translation/), built once. The two pages link each other (hreflang links in
the head, a language switch under the title), the translation's page is in Russian, search
from it shows Russian results first, lists show the situation once, and a public build
carries no withheld translation."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from bench.nginx import nginx_serving
from briefsite.app import BuildOptions, build
from briefsite.core.project import Project
from briefsite.output.engine import ENGINES
from briefsite.read.library import load_library
from briefsite.render.print_html import PrintRenderer
from briefsite.render.words import words_for
from tests.conftest import copy_project
from tests.test_accessibility import THEME_ERRORS, nu_errors, violations
from tests.test_browser import DESKTOP, search, visit_site
from tests.test_publish import CANARY, site_text
from tests.test_search import dialog_search

FIXTURE = Path(__file__).parent / "fixtures" / "translation"
ORIGINAL = "russia-options-nagorno-karabakh"
RUSSIAN = f"{ORIGINAL}-ru"


def translated_project(root: Path) -> Project:
    project = copy_project(root)
    for file in (FIXTURE / "briefings").iterdir():
        shutil.copy(file, project.data / "briefings" / file.name)
    return project


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = translated_project(tmp_path_factory.mktemp("translated"))
    build(project, BuildOptions(quiet=True, pdf=False))
    return project


def page_of(project: Project, bid: str) -> str:
    return (project.site / "briefings" / f"{bid}.html").read_text(encoding="utf-8")


def head_alternates(html: str) -> list[tuple[str, str, str]]:
    """(rel, hreflang, href) of every <link> with an hreflang in the page's head."""
    head = html.split("</head>", 1)[0]
    return [(m["rel"], m["lang"], m["href"]) for m in re.finditer(
        r'<link rel="(?P<rel>[^"]*)" hreflang="(?P<lang>[^"]*)"[^>]*\shref="(?P<href>[^"]*)"', head)]


# --- the pages ----------------------------------------------------------------------------

def test_the_translation_page_is_in_its_language(translated: Project) -> None:
    assert re.search(r'<html lang="ru"', page_of(translated, RUSSIAN))
    assert re.search(r'<html lang="en"', page_of(translated, ORIGINAL))


def test_both_pages_link_each_other_in_the_head(translated: Project) -> None:
    both = [(" alternate", "en", f"{ORIGINAL}.html"), (" alternate", "ru", f"{RUSSIAN}.html")]
    assert head_alternates(page_of(translated, ORIGINAL)) == both
    assert head_alternates(page_of(translated, RUSSIAN)) == both
    # the form the theme's script leaves alone: as HTML reads rel, its one token is "alternate"
    assert all(rel.split() == ["alternate"] for rel, _, _ in head_alternates(page_of(translated, RUSSIAN)))


def test_a_language_switch_under_the_title_names_each_language_in_itself(translated: Project) -> None:
    label = words_for("ru")._("Languages")  # the Russian page speaks Russian
    assert label != "Languages"
    switch = re.search(rf'<nav class="language-switch" aria-label="{label}">(.*?)</nav>',
                       page_of(translated, RUSSIAN), re.DOTALL)
    assert switch
    links = re.findall(r'<a href="([^"]*)" hreflang="(\w+)" lang="(\w+)"( aria-current="page")?>([^<]*)</a>',
                       switch.group(1))
    assert links == [(f"{ORIGINAL}.html", "en", "en", "", "English"),
                     (f"{RUSSIAN}.html", "ru", "ru", ' aria-current="page"', "русский")]


def test_both_pages_are_valid_html(translated: Project, tmp_path: Path) -> None:
    for bid in (ORIGINAL, RUSSIAN):
        shutil.copy(translated.site / "briefings" / f"{bid}.html", tmp_path / f"{bid}.html")
    ours = [e for e in nu_errors(tmp_path) if not any(p.search(e.split(": ", 1)[1]) for p in THEME_ERRORS)]
    assert ours == []


ARABIC = f"""\
title: "خيارات روسيا في ناغورنو كاراباخ بين السيئ والأسوأ"
date: 2020-11-10
status: final
audience: public
lang: ar
translation_of: {ORIGINAL}
summary: أيا كانت زاوية النظر، فإن خيارات روسيا في حرب ناغورنو كاراباخ تتراوح بين السيئ والأسوأ [@mt-options].
"""


@pytest.mark.parametrize("engine", list(ENGINES))
def test_every_engine_writes_each_pages_language(engine: str, tmp_path: Path) -> None:
    """The page's language comes from its front matter through the theme overrides, so an
    engine that runs no hooks (Zensical) writes it too; Arabic runs right to left."""
    project = translated_project(tmp_path)
    (project.data / "briefings" / f"{ORIGINAL}-ar.yaml").write_text(ARABIC, encoding="utf-8")
    build(project, BuildOptions(quiet=True, pdf=False, engine=engine))
    found = {bid: re.findall(r'<html lang="([^"]*)"|<body dir="([^"]*)"', page_of(project, bid))
             for bid in (ORIGINAL, RUSSIAN, f"{ORIGINAL}-ar")}
    assert found == {ORIGINAL: [("en", ""), ("", "ltr")], RUSSIAN: [("ru", ""), ("", "ltr")],
                     f"{ORIGINAL}-ar": [("ar", ""), ("", "rtl")]}
    assert [lang for _, lang, _ in head_alternates(page_of(project, f"{ORIGINAL}-ar"))] == ["en", "ru", "ar"]


def test_a_translations_pdf_is_in_its_language(translated: Project) -> None:
    library, _ = load_library(translated.data)
    assert library is not None
    renderer = PrintRenderer(library, translated.template_dirs)
    assert '<html lang="ru">' in renderer.briefing(RUSSIAN).html
    assert '<html lang="en">' in renderer.briefing(ORIGINAL).html


# --- lists show the situation once ----------------------------------------------------------

def test_lists_show_the_original_once_with_its_translation_beside_it(translated: Project) -> None:
    site = translated.site
    for page in ("index.html", "tags/index.html", "regions.html", "status.html", "actors/putin.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert RUSSIAN + ".html" in html, f"{page}: the translation's language is linked"
        titles = re.findall(r">([^<]*)</a>", html)
        assert "У России в Нагорном Карабахе выбор между плохим и худшим" not in titles, page
    timeline = (site / "timeline.html").read_text(encoding="utf-8")
    assert RUSSIAN not in timeline


def test_feeds_and_exports_hold_the_original_once(translated: Project) -> None:
    site = translated.site
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 1
    assert f'<link rel="alternate" type="text/html" hreflang="ru" href="briefings/{RUSSIAN}.html" />' in feed
    listed = json.loads((site / "data" / "briefings.json").read_text(encoding="utf-8"))
    assert listed["count"] == 1 and [b["id"] for b in listed["briefings"]] == [ORIGINAL]
    assert [(t["id"], t["lang"]) for t in listed["briefings"][0]["translations"]] == [(RUSSIAN, "ru")]
    record = json.loads((site / "data" / "briefings" / f"{RUSSIAN}.json").read_text(encoding="utf-8"))
    assert (record["lang"], record["translation_of"]) == ("ru", ORIGINAL)
    bundle = json.loads((site / "stix" / "bundle.json").read_text(encoding="utf-8"))
    reports = [o["name"] for o in bundle["objects"] if o["type"] == "report"]
    assert reports == ["Russia's options in Nagorno-Karabakh range from bad to worse"]


# --- search from the Russian page -----------------------------------------------------------

@pytest.fixture(scope="module")
def translated_served(translated: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The translated example as MkDocs built it, and as Zensical does (its search box is ours)."""
    zensical = translated_project(tmp_path_factory.mktemp("translated-zensical"))
    build(zensical, BuildOptions(quiet=True, pdf=False, engine="zensical"))
    sites = {"mkdocs": translated.site, "zensical": zensical.site}
    with nginx_serving(sites, tmp_path_factory.mktemp("nginx-translated")) as urls:
        yield urls


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_search_shows_the_pages_language_first(engine: str, browser: Browser,
                                               translated_served: dict[str, str]) -> None:
    """"Baku" is on both pages: from the Russian page the Russian one comes first, from the
    English page the English one; the head's hreflang links fetch nothing (no 404)."""
    for visit in visit_site(browser, translated_served[engine], DESKTOP):
        for here, first, then in ((RUSSIAN, RUSSIAN, ORIGINAL), (ORIGINAL, ORIGINAL, RUSSIAN)):
            page = visit.open(f"briefings/{here}.html")
            found = dialog_search(page, "Baku") if engine == "zensical" else search(page, "Baku")
            pages = list(dict.fromkeys(re.sub(r"[?#].*", "", h).rsplit("/", 1)[-1] for h, _ in found))
            briefings = [p for p in pages if p in (f"{ORIGINAL}.html", f"{RUSSIAN}.html")]
            assert briefings == [f"{first}.html", f"{then}.html"], (engine, here, pages)
        assert not [r for r in visit.requests if "sitemap" in r]
        if engine == "mkdocs":  # Zensical's footer link fails axe's contrast rule, whatever the page
            assert violations(visit.open(f"briefings/{RUSSIAN}.html")) == [], "axe, with the language switch"


# --- a public build ---------------------------------------------------------------------------

def withheld(bid: str, lang: str, of: str, status: str, audience: str) -> str:
    return (f"title: Title {CANARY}{bid}\ndate: 2020-11-10\nstatus: {status}\naudience: {audience}\n"
            f"lang: {lang}\ntranslation_of: {of}\nsummary: Summary {CANARY}{bid} [@mt-options]\n")


def test_a_public_build_carries_no_withheld_translation(tmp_path: Path) -> None:
    """A draft translation of a published briefing, and a published translation of an internal
    one: both show in a normal build, neither in a public one."""
    project = translated_project(tmp_path)
    project.config.write_text(project.config.read_text(encoding="utf-8").replace(  # a public build needs it
        "site_url: !ENV [SITE_URL]", "site_url: https://example.org/briefs/"), encoding="utf-8")
    briefings = project.data / "briefings"
    (briefings / f"{ORIGINAL}-hy.yaml").write_text(withheld("hy", "hy", ORIGINAL, "draft", "public"), "utf-8")
    (briefings / "internal-look.yaml").write_text(
        f"title: Internal {CANARY}original\ndate: 2020-11-01\nstatus: final\naudience: internal\n"
        f"summary: Internal {CANARY}original [@mt-options]\n", "utf-8")
    (briefings / "internal-look-ru.yaml").write_text(withheld("ru", "ru", "internal-look", "final", "public"), "utf-8")
    build(project, BuildOptions(quiet=True, pdf=False))
    shown = site_text(project.site).lower()
    assert all(f"{CANARY}{tag}" in shown for tag in ("hy", "ru", "original")), "the canaries can be seen"
    build(project, BuildOptions(quiet=True, public=True))
    text = site_text(project.site).lower()
    assert sorted({m.group(0) for m in re.finditer(rf"\w*{CANARY}\w*", text)}) == []
    assert (project.site / "briefings" / f"{RUSSIAN}.html").is_file(), "the published translation stays"
    assert not (project.site / "briefings" / f"{ORIGINAL}-hy.html").exists()
    assert not (project.site / "briefings" / "internal-look-ru.html").exists()
