"""Search: the text Pagefind indexes, the index a build writes, and finding names in every
script in a real browser with every site engine.

The multilingual site is the example plus the actors of tests/fixtures/scripts/: names in
Latin with diacritics, Azerbaijani, Cyrillic, Armenian, Georgian, Arabic, Persian, Hebrew,
Chinese, Japanese and Korean. Each is searched whole and by a word inside it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from bench.nginx import nginx_serving
from briefsite.app import BuildOptions, build
from briefsite.core.errors import SiteError
from briefsite.core.project import Project
from briefsite.output import search as search_module
from briefsite.output.engine import ENGINES
from briefsite.output.search import (
    INDEX_DIR,
    character_pairs,
    searchable_html,
    searchable_text,
    without_marks,
    write_search_index,
)
from tests.conftest import copy_project
from tests.test_browser import (
    DESKTOP,
    PHONE,
    Visit,
    read_results,
    search,
    visit_site,
)

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"
ADDED = "\ue000", "\ue001"

# (what a reader types, the actor page it must find first)
WHOLE_AND_WORD = [
    ("Mevlüt Çavuşoğlu", "cavusoglu"), ("Çavuşoğlu", "cavusoglu"), ("Cavusoglu", "cavusoglu"),
    ("Əhmədli Qardaşları", "ahmadli-brothers"), ("Ahmadli", "ahmadli-brothers"),
    ("Əliyev", "aliyev"), ("Aliyev", "aliyev"),
    ("Московский гарнизон", "moscow-garrison"), ("гарнизон", "moscow-garrison"),
    ("Հայաստանի Հանրապետության կառավարություն", "armenian-republic"), ("կառավարություն", "armenian-republic"),
    ("ქართული ოცნება", "georgian-dream"), ("ოცნება", "georgian-dream"),
    ("الهلال الأحمر", "red-crescent"), ("الأحمر", "red-crescent"),
    ("سپاه پاسداران انقلاب اسلامی", "irgc"), ("پاسداران", "irgc"),
    ("משרד החוץ", "israel-mfa"), ("החוץ", "israel-mfa"),
    ("中国远洋海运集团", "cosco"), ("远洋", "cosco"), ("海运集", "cosco"),
    ("日本郵船株式会社", "nyk"), ("郵船", "nyk"),
    ("현대상선", "hmm"), ("상선", "hmm"),
]


# --- the text Pagefind reads ----------------------------------------------------------

def test_character_pairs_overlap() -> None:
    assert character_pairs("日本郵船") == ["日本", "本郵", "郵船"]


def test_letters_without_marks_as_english_spells_them() -> None:
    assert without_marks("Əhmədli") == "Ahmadli"
    assert without_marks("Erdoğan") == "Erdogan"
    assert without_marks("Łódź") == "Lodz"
    assert without_marks("Straße") == "Strasse"
    assert without_marks("Путин") == "Путин"


def test_searchable_text_adds_pairs_and_plain_spellings_between_markers() -> None:
    start, end = ADDED
    assert searchable_text("NYK 日本郵船 Line") == f"NYK 日本郵船 {start}日本 本郵 郵船{end} Line"
    assert searchable_text("İlham Əliyev") == f"İlham Əliyev {start}Aliyev{end}"
    # two characters are a word already; marks alone Pagefind drops by itself
    assert searchable_text("中国 Erdoğan Путин") == "中国 Erdoğan Путин"


def test_searchable_html_changes_text_only() -> None:
    html = ('<dl><dt>Also known as</dt><dd>Putin</dd></dl><p class="native-name">日本郵船</p>'
            '<script>var x = "日本郵船 Əli";</script><a title="Əli">Əli</a>')
    out = searchable_html(html)
    assert '<script>var x = "日本郵船 Əli";</script>' in out
    assert '<a title="Əli">Əli \ue000Ali\ue001</a>' in out
    assert "</dt> <dd>Putin</dd> " in out  # "as" and "Putin" stay two words
    assert '<p class="native-name" data-pagefind-weight="7">日本郵船 \ue000' in out


def test_listing_pages_say_so_and_others_do_not(built_example: Project) -> None:
    for page in ("index.html", "timeline.html", "sources.html", "tags/index.html", "regions.html", "status.html",
                 "actors/index.html"):
        assert '<meta name="search-listing" content="true">' in (built_example.site / page).read_text("utf-8"), page
    for page in ("glossary.html", "legend.html", "actors/putin.html", "briefings/russia-options-nagorno-karabakh.html"):
        assert "search-listing" not in (built_example.site / page).read_text("utf-8"), page


# --- the index a build writes ---------------------------------------------------------

def _tiny_site(root: Path, pages: dict[str, str]) -> Path:
    site = root / "site"
    for name, body in pages.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'<html lang="en"><body><article class="md-content__inner"><h1>{name}</h1>'
                        f"<p>{body}</p></article></body></html>", encoding="utf-8")
    return site


def test_two_processes_write_the_searchable_copy_one_writes(built_example: Project, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    one = search_module._write_searchable_copy(built_example.site, tmp_path / "one", "en")
    monkeypatch.setattr(search_module, "SPLIT_COPY_FROM", 2)
    two = search_module._write_searchable_copy(built_example.site, tmp_path / "two", "en")
    assert one == two > 10

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_listing_pages_stay_out_of_the_index(tmp_path: Path) -> None:
    site = _tiny_site(tmp_path, {"index.html": "Home", "timeline.html": "ceasefire", "a.html": "ceasefire"})
    timeline = site / "timeline.html"
    timeline.write_text(timeline.read_text("utf-8").replace(
        "<body>", '<head><meta name="search-listing" content="true"></head><body>'), encoding="utf-8")
    assert write_search_index(site).pages == 2


def test_index_holds_every_page_and_the_browser_side(tmp_path: Path) -> None:
    site = _tiny_site(tmp_path, {"index.html": "Home", "actors/nyk.html": "日本郵船", "a.html": "Əliyev"})
    result = write_search_index(site)
    entry = json.loads((site / INDEX_DIR / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert result.pages == 3 and entry["languages"]["en"]["page_count"] == 3
    for name in ("pagefind.js", "search-worker.js", "search-dialog.js", "search-dialog.css", "search-from-disk.js"):
        assert (site / INDEX_DIR / name).is_file(), name
    assert not list((site / INDEX_DIR).glob("pagefind-*ui*")), "Pagefind's own interfaces are left out"
    assert (site / "actors" / "nyk.html").read_text(encoding="utf-8").count("\ue000") == 0, "pages stay as built"
    assert not list(tmp_path.glob(".search-*")), "the searchable copy is removed"


def test_each_language_has_its_index_and_a_page_without_one_takes_the_sites(tmp_path: Path) -> None:
    site = _tiny_site(tmp_path, {"index.html": "Home", "a.html": "Baku", "b.html": "Баку", "c.html": "Bakı"})
    (site / "b.html").write_text((site / "b.html").read_text("utf-8").replace('lang="en"', 'lang="ru"'), "utf-8")
    (site / "c.html").write_text((site / "c.html").read_text("utf-8").replace(' lang="en"', ""), "utf-8")
    write_search_index(site, "az")
    entry = json.loads((site / INDEX_DIR / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {lang: e["page_count"] for lang, e in entry["languages"].items()} == {"en": 2, "ru": 1, "az": 1}


def test_index_is_written_again_from_scratch(tmp_path: Path) -> None:
    site = _tiny_site(tmp_path, {"index.html": "Home", "old.html": "Old"})
    write_search_index(site)
    (site / "old.html").unlink()
    write_search_index(site)
    entry = json.loads((site / INDEX_DIR / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 1


def test_a_site_without_pages_is_a_clear_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(SiteError, match="could not build the search index"):
        write_search_index(site)


# --- in the browser, with every engine ------------------------------------------------

@pytest.fixture(scope="module")
def scripts_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The multilingual site built with each engine, served by nginx."""
    sites = {}
    for name in ENGINES:
        project = copy_project(tmp_path_factory.mktemp(f"scripts-{name}"))
        for actor in (SCRIPTS / "actors").iterdir():
            shutil.copy(actor, project.data / "actors" / actor.name)
        build(project, BuildOptions(quiet=True, pdf=False, engine=name))
        sites[name] = project.site
    with nginx_serving(sites, tmp_path_factory.mktemp("nginx-scripts")) as urls:
        yield urls


@pytest.fixture(params=list(ENGINES))
def engine_visit(request: pytest.FixtureRequest, browser: Browser,
                 scripts_served: dict[str, str]) -> Iterator[tuple[str, Visit]]:
    for visit in visit_site(browser, scripts_served[request.param], DESKTOP):
        yield request.param, visit


def dialog_search(page: Page, query: str) -> list[tuple[str, str]]:
    """Type into our search dialog (the Zensical theme); (href, text) of every result."""
    box = page.locator(".brief-search__input")
    if not box.is_visible():
        page.keyboard.press("/")
    box.fill("")
    box.press_sequentially(query, delay=5)
    page.locator(".brief-search__results a").first.wait_for(timeout=10_000)
    return read_results(page, ".brief-search__results a", query)


def find(engine: str, page: Page, query: str) -> list[tuple[str, str]]:
    if engine == "zensical":
        return dialog_search(page, query)
    page.locator("input[data-md-component=search-query]").fill("")
    return search(page, query, delay=5)  # a fast typist: 25 queries a run


def test_names_in_every_script_found_whole_and_by_a_word(engine_visit: tuple[str, Visit]) -> None:
    engine, visit = engine_visit
    page = visit.open("index.html")
    missed = []
    for query, actor in WHOLE_AND_WORD:
        results = find(engine, page, query)
        first = results[0][0].split("?")[0].split("#")[0] if results else ""
        if first != f"{visit.base}actors/{actor}.html":
            missed.append((query, actor, [h for h, _ in results[:3]]))
    assert missed == [], f"{engine}: not found first"
    visit.screenshot(f"search-scripts-{engine}.png")


def test_results_show_the_text_as_the_page_has_it(engine_visit: tuple[str, Visit]) -> None:
    """What the index adds for searching (pairs, plain spellings) never reaches the reader."""
    engine, visit = engine_visit
    page = visit.open("index.html")
    for query in ("郵船", "Ahmadli"):
        text = " ".join(t for _, t in find(engine, page, query))
        assert "日本郵船株式会社" in text or "Əhmədli" in text, text
        assert "\ue000" not in text and "\ue001" not in text
        assert "本郵" not in text.replace("日本郵船", "") and "Ahmadli" not in text, text


def test_a_glossary_term_leads_to_its_entry(engine_visit: tuple[str, Visit]) -> None:
    engine, visit = engine_visit
    results = find(engine, visit.open("index.html"), "Kazan")
    hrefs = [re.sub(r"\?[^#]*", "", h) for h, _ in results]  # the theme adds ?h=kazan to highlight it there
    assert f"{visit.base}glossary.html#kazan-formula" in hrefs, (engine, hrefs)


def test_search_by_keyboard_alone(engine_visit: tuple[str, Visit]) -> None:
    engine, visit = engine_visit
    page = visit.open("glossary.html")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    box = ".brief-search__input" if engine == "zensical" else "input[data-md-component=search-query]"
    assert page.evaluate(f"document.activeElement === document.querySelector({box!r})"), engine
    page.keyboard.type("Putin", delay=30)
    page.keyboard.press("End")
    result = ".brief-search__results a" if engine == "zensical" else ".md-search-result__item a"
    page.locator(result).first.wait_for(timeout=10_000)
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('href') || ''")
    assert "actors/putin.html" in focused, (engine, focused)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{visit.base}actors/putin.html**", timeout=5_000)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    page.keyboard.press("Escape")
    assert not page.locator(box).is_visible() or engine != "zensical"


WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def test_search_on_a_phone_in_dark_mode(browser: Browser, scripts_served: dict[str, str]) -> None:
    for engine, base in scripts_served.items():
        for visit in visit_site(browser, base, PHONE):
            visit.context.pages[0].emulate_media(color_scheme="dark")
            page = visit.open("index.html")
            if engine == "zensical":
                page.locator("label.md-header__button[for=__search]").click()
                results = dialog_search(page, "ოცნება")
            else:
                results = search(page, "ოცნება")
            assert results and "actors/georgian-dream.html" in results[0][0], engine
            visit.screenshot(f"search-phone-dark-{engine}.png")
            width = page.evaluate("document.documentElement.scrollWidth")
            wide = page.evaluate(WIDEST)
            assert width <= PHONE["width"], f"{engine}: the page scrolls sideways ({width} px): {wide}"


def test_opened_from_disk_the_box_says_how_to_search(browser: Browser, scripts_served: dict[str, str],
                                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    del scripts_served  # built; its sites are read from disk below
    for engine in ENGINES:
        site = next(tmp_path_factory.getbasetemp().glob(f"scripts-{engine}*/site"))
        context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, seen=errors: seen.append(str(e)))
        page.goto(f"file://{site}/index.html")
        page.wait_for_timeout(500)
        page.keyboard.press("/")
        if engine != "zensical":
            page.locator("input[data-md-component=search-query]").click()
            message = page.locator(".md-search-result__meta")
        else:
            message = page.locator(".brief-search__meta")
        message.wait_for(timeout=5_000)
        assert "python build_brief.py view" in message.inner_text(), engine
        assert errors == [], engine
        context.close()


def test_a_broken_index_says_so_in_the_box(browser: Browser, scripts_served: dict[str, str],
                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    del scripts_served  # built; a copy of its MkDocs site loses its index below
    built = next(tmp_path_factory.getbasetemp().glob("scripts-mkdocs*/site"))
    site = tmp_path_factory.mktemp("broken") / "site"
    shutil.copytree(built, site)
    (site / INDEX_DIR / "pagefind.js").unlink()
    with nginx_serving({"broken": site}, tmp_path_factory.mktemp("nginx-broken")) as urls:
        for visit in visit_site(browser, urls["broken"], DESKTOP):
            visit.allowed_errors.append(r"status of 404")
            results = search(visit.open("index.html"), "Putin")
            assert len(results) == 1 and "Search is not available" in results[0][1], results
            assert "python build_brief.py build" in results[0][1]


def test_a_page_the_second_process_cannot_copy_is_a_clear_error(built_example: Project, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    here, copy_each = os.getpid(), search_module._copy_each_searchable

    def full_there(*args: Any) -> int:
        if os.getpid() != here:
            raise OSError(28, "No space left on device")
        return copy_each(*args)

    monkeypatch.setattr(search_module, "SPLIT_COPY_FROM", 2)
    monkeypatch.setattr(search_module, "_copy_each_searchable", full_there)
    with pytest.raises(SiteError, match=r"could not prepare the pages for the search index: .*No space left") as raised:
        search_module._write_searchable_copy(built_example.site, tmp_path / "copy", "en")
    assert "\n" not in str(raised.value) and "Traceback" not in str(raised.value)
