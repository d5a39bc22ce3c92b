"""A right-to-left site: the example with site.yaml's language Arabic (tests/conftest.py,
arabic_project), its content the example's English with an Arabic paragraph and an Arabic
name. Its pages and PDFs run right to left, their layout mirrored, and the text of each
piece of data in its own direction; the English example's stay as they were."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader
from weasyprint import CSS, HTML

from bench.nginx import nginx_serving
from briefsite.app import BuildOptions, build
from briefsite.core.project import DEFAULT_TEMPLATES, Project
from briefsite.output.bidi import letter_direction, text_in_own_direction
from briefsite.output.pdf import stylesheet
from briefsite.render.words import words_for
from tests.conftest import ARABIC, ARABIC_NAME, arabic_project
from tests.test_accessibility import THEME_ERRORS, nu_errors, violations
from tests.test_browser import BRIEFING, DESKTOP, PHONE, Visit, visit_site
from tests.test_pdf import outline_titles, pdfua_findings

pytestmark = pytest.mark.slow

ACTOR = "actors/idlib-pro-turkish-groups.html"  # the actor with a name in Arabic
PAGES = ["index.html", BRIEFING, ACTOR]
PDF = "pdf/russia-options-nagorno-karabakh.pdf"
BOOK = "pdf/briefing-book.pdf"
HTML_TAG = re.compile(r"<html\b[^>]*>")


def site_pages(site: Path) -> list[Path]:
    """The site's own pages (not the search index's or the theme's fragments)."""
    return [p for p in sorted(site.rglob("*.html")) if "pagefind" not in p.relative_to(site).parts]


@pytest.fixture(scope="module")
def served_rtl(built_arabic: Project, built_example: Project,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with nginx_serving({"arabic": built_arabic.site, "example": built_example.site},
                       tmp_path_factory.mktemp("nginx-rtl")) as urls:
        yield urls


@pytest.fixture
def arabic(browser: Browser, served_rtl: dict[str, str]) -> Iterator[Visit]:
    yield from visit_site(browser, served_rtl["arabic"], DESKTOP)


@pytest.fixture
def arabic_phone(browser: Browser, served_rtl: dict[str, str]) -> Iterator[Visit]:
    yield from visit_site(browser, served_rtl["arabic"], PHONE)


# --- the pages ------------------------------------------------------------------------------

def test_every_page_of_an_arabic_site_runs_right_to_left(built_arabic: Project, built_example: Project) -> None:
    pages = site_pages(built_arabic.site)
    assert len(pages) > 20
    wrong = [p.name for p in pages if HTML_TAG.search(p.read_text(encoding="utf-8")).group(0)  # type: ignore[union-attr]
             not in ('<html lang="ar" dir="rtl" class="no-js">', '<html lang="ar" dir="rtl">')]
    assert wrong == []
    english = [HTML_TAG.search(p.read_text(encoding="utf-8")).group(0) for p in site_pages(built_example.site)]  # type: ignore[union-attr]
    assert english and all('lang="en"' in tag and "dir=" not in tag for tag in english)
    assert '<body dir="ltr"' in (built_example.site / BRIEFING).read_text(encoding="utf-8")


def test_zensical_pages_run_right_to_left_too(tmp_path: Path) -> None:
    """Zensical has its own copy of the theme (and of partials/language.html, which we replace)."""
    project = arabic_project(tmp_path / "zensical")
    build(project, BuildOptions(quiet=True, engine="zensical", pdf=False))
    for page in ("index.html", BRIEFING):
        html = (project.site / page).read_text(encoding="utf-8")
        assert '<html lang="ar" dir="rtl" class="no-js">' in html and '<body dir="rtl"' in html


def test_arabic_text_and_the_arabic_name_are_on_the_pages(built_arabic: Project) -> None:
    paragraph = (ARABIC / "summary.md").read_text(encoding="utf-8").split(".")[0]
    assert paragraph in (built_arabic.site / BRIEFING).read_text(encoding="utf-8")
    assert f'<p class="native-name" lang="ar" dir="rtl">{ARABIC_NAME}</p>' in (
        built_arabic.site / ACTOR).read_text(encoding="utf-8")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_axe_violation_on_arabic_pages(browser: Browser, served_rtl: dict[str, str],
                                          viewport: dict[str, int]) -> None:
    found = {}
    for visit in visit_site(browser, served_rtl["arabic"], viewport):
        for path, page in visit.open_each(PAGES):
            problems = violations(page)
            if problems:
                found[path] = problems
    assert found == {}


def test_arabic_pages_are_valid_html_but_for_the_themes_own(built_arabic: Project) -> None:
    found = [e for e in nu_errors(built_arabic.site) if e.split(":", 1)[0] in PAGES]
    assert [e for e in found if not any(pattern.search(e.split(": ", 1)[1]) for pattern in THEME_ERRORS)] == []


MIRRORED = """() => {
  const box = s => document.querySelector(s).getBoundingClientRect();
  const style = s => getComputedStyle(document.querySelector(s));
  const bluf = style('.md-typeset .bluf'), judgment = style('.md-typeset li.key-judgment');
  return {nav: box('.md-sidebar--primary').left, content: box('.md-content').left,
          toc: box('.md-sidebar--secondary').left,
          blufRule: [parseFloat(bluf.borderLeftWidth), parseFloat(bluf.borderRightWidth)],
          judgmentPadding: [parseFloat(judgment.paddingLeft), parseFloat(judgment.paddingRight)],
          range: getComputedStyle(document.querySelector('.badge .range')).direction};
}"""


def test_the_layout_is_mirrored_on_a_desktop(arabic: Visit, browser: Browser, served_rtl: dict[str, str]) -> None:
    page = arabic.open(BRIEFING)
    rtl = page.evaluate(MIRRORED)
    arabic.screenshot("rtl-briefing.png")
    assert rtl["nav"] > rtl["content"] > rtl["toc"]  # the navigation at the right, the contents at the left
    left, right = rtl["blufRule"]
    assert right > 0 and left == 0  # the bottom line's rule at its start edge: the right
    left, right = rtl["judgmentPadding"]
    assert right > left  # room for the judgment's number at the right
    assert rtl["range"] == "ltr"  # "55-80%" keeps its order
    for english in visit_site(browser, served_rtl["example"], DESKTOP):
        ltr = english.open(BRIEFING).evaluate(MIRRORED)
        assert ltr["nav"] < ltr["content"] < ltr["toc"]
        assert ltr["blufRule"][0] > 0 and ltr["blufRule"][1] == 0


def test_english_text_in_an_arabic_page_reads_left_to_right(arabic: Visit) -> None:
    """The bottom line's paragraphs: the Arabic one begins at the right edge, the English one
    after it at the left (each reads in the direction of its first letter)."""
    page = arabic.open(BRIEFING)
    edges = page.evaluate("""() => [...document.querySelectorAll('.md-typeset .bluf > p')].slice(0, 2).map(p => {
        const text = document.createTreeWalker(p, NodeFilter.SHOW_TEXT).nextNode();
        const r = document.createRange(); r.setStart(text, 0); r.setEnd(text, 1);
        const first = r.getBoundingClientRect(), box = p.getBoundingClientRect();
        return [first.left - box.left, box.right - first.right]; })""")
    (arabic_left, arabic_right), (english_left, english_right) = edges
    assert arabic_right < 2 < 100 < arabic_left
    assert english_left < 2 < 100 < english_right


def test_nothing_scrolls_sideways_on_a_phone(arabic_phone: Visit) -> None:
    wide = {}
    for path in [*PAGES, "actors/index.html", "timeline.html", "sources.html", "legend.html"]:
        page = arabic_phone.open(path)
        width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        if width > PHONE["width"]:
            wide[path] = width
    arabic_phone.open(BRIEFING)
    arabic_phone.screenshot("rtl-mobile-briefing.png")
    assert wide == {}


# --- the PDF --------------------------------------------------------------------------------

def test_the_arabic_pdf_is_tagged_in_arabic_and_passes_the_pdfua_check(built_arabic: Project) -> None:
    path = built_arabic.site / PDF
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert pdfua_findings(path) == ""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)


def test_the_arabic_pdf_reads_in_order(built_arabic: Project) -> None:
    path = built_arabic.site / PDF
    titles = outline_titles(path)
    arabic = words_for("ar")
    expected = [arabic._(heading) for heading in ("Bottom line", "Key judgments", "Assumptions", "Actors", "Timeline",
                                                  "Scenarios", "Sources cited")]
    assert [t for t in titles if t in expected] == expected  # the headings in the document's order
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)
    for words in ("خيارات روسيا في حرب ناغورنو كاراباخ تتراوح بين السيئ", "فلاديمير بوتين"):
        assert words in text  # each run of Arabic words in the order it is read, not reversed
    assert "Vladimir Putin" in text


def test_a_range_and_names_keep_their_order_in_arabic_print(tmp_path: Path) -> None:
    """Our words around data, as an Arabic catalogue will have them: the likelihood's range and
    a name with its native name each read in their own direction."""
    document = ('<html lang="ar" dir="rtl"><body><p>الاحتمال <span class="badge"><span class="range">55–80%</span>'
                '</span> حسب <bdi>Vladimir Putin</bdi> (<bdi lang="ru">Владимир Путин</bdi>)</p></body></html>')
    out = tmp_path / "rtl.pdf"
    css = stylesheet(DEFAULT_TEMPLATES, language="ar")
    HTML(string=text_in_own_direction(document)).write_pdf(out, stylesheets=[CSS(string=css)])
    text = " ".join((PdfReader(out).pages[0].extract_text() or "").split())
    assert "55–80%" in text and "Vladimir Putin" in text and "Владимир Путин" in text


def test_the_arabic_pdfs_put_heads_and_page_numbers_on_the_mirrored_sides(built_arabic: Project,
                                                                            built_example: Project) -> None:
    def sides(pdf: Path, page: int) -> dict[str, float]:
        """Where the page's running title and page number start (their leftmost word), as a
        fraction of its width: the number's words are the foot's, but for the marking."""
        width, words = words_on_page(pdf, page)
        top, foot = min(y for _, y, _ in words), max(y for _, y, _ in words)
        title = min(x for x, y, w in words if y == top and w != "TLP:CLEAR")
        number = min(x for x, y, w in words if y == foot and w != "TLP:CLEAR")
        return {"title": title / width, "number": number / width}

    rtl = sides(built_arabic.site / PDF, 3)
    ltr = sides(built_example.site / PDF, 3)
    assert ltr["title"] < 0.3 and rtl["title"] > 0.3  # the running title at the right
    assert ltr["number"] > 0.5 and rtl["number"] < 0.5  # the page number at the left
    # the book's contents: the page numbers at the left end of their leaders
    rtl_numbers, ltr_numbers = contents_numbers(built_arabic.site / BOOK), contents_numbers(built_example.site / BOOK)
    assert len(rtl_numbers) > 5 and max(rtl_numbers) < 0.2 < 0.8 < min(ltr_numbers)


def words_on_page(pdf: Path, page: int) -> tuple[float, list[tuple[float, float, str]]]:
    """The page's width and its words: (left, top, text) in points."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    return width, [(float(x), float(y), w) for x, y, w in words]


def contents_numbers(pdf: Path) -> list[float]:
    """Where the page numbers of the contents (page 2) start, as fractions of the page's width."""
    width, words = words_on_page(pdf, 2)
    footer = max(y for _, y, _ in words)
    return [x / width for x, y, w in words if w.isdigit() and y < footer - 1]


# --- the pieces -----------------------------------------------------------------------------

def test_each_block_takes_the_direction_of_its_first_letter() -> None:
    document = ('<html lang="ar" dir="rtl"><body><nav><ol><li><a>Contents</a></li></ol></nav><h2>Sources</h2>'
                '<p>قال <a>Putin</a> (<bdi lang="" dir="auto">Путин</bdi>) 55%</p>'
                '<p>The <span lang="ar" dir="rtl">عربي</span> words.</p><td>12</td></body></html>')
    assert text_in_own_direction(document) == (
        '<html lang="ar" dir="rtl"><body><nav><ol><li><a>Contents</a></li></ol></nav><h2 dir="ltr">Sources</h2>'
        '<p>قال <a>Putin</a> (<bdi lang="" dir="ltr">Путин</bdi>) 55%</p>'
        '<p dir="ltr">The <span lang="ar" dir="rtl">عربي</span> words.</p><td>12</td></body></html>')
    english = '<html lang="en"><body><p>Plain <b>English</b>.</p><p>بالعربية</p></body></html>'
    assert text_in_own_direction(english) == english.replace("<p>ب", '<p dir="rtl">ب')
    latin = '<html lang="en"><body><p>Vladimir Putin <bdi lang="" dir="auto">Путин</bdi></p></body></html>'
    assert text_in_own_direction(latin) == latin  # no right-to-left letter: nothing to do
    assert (letter_direction("2020 Putin"), letter_direction("— 55%"), letter_direction("12 شهرا")) == (
        "ltr", None, "rtl")
