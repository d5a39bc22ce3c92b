"""The hosted site in a real browser.

nginx serves built copies of the example and of the attack dataset with the server
block of hosting/nginx.conf (security headers included); headless Chromium reads them.
Every test's page must log no error, break no Content-Security-Policy rule, open no
dialog and ask nothing of any server but the local one. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import itertools
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from bench.nginx import nginx_serving
from briefsite.app import BuildOptions, build
from briefsite.core.project import Project
from tests.conftest import copy_project

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"

BRIEFING = "briefings/russia-options-nagorno-karabakh.html"
ATTACK_BRIEFING = "briefings/attack-briefing.html"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Recorded in every page before its own scripts run.
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()


# --- the browser ---------------------------------------------------------------------

@dataclass
class Visit:
    """One browser context on one local site, and all it saw."""

    base: str
    context: BrowserContext
    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    allowed_errors: list[str] = field(default_factory=list)
    """Console errors a test expects (regular expressions)."""
    tab_csp: list[str] = field(default_factory=list)
    """Content-Security-Policy violations seen in the tabs of open_each, closed since."""

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def open_each(self, paths: list[str], at_once: int = 8) -> Iterator[tuple[str, Page]]:
        """Each page in a tab of its own, `at_once` tabs loading together: a page counts as
        loaded half a second after its last request, and those half seconds pass side by side.
        Each tab is watched as `page` is, and closed once the caller is done with it."""
        for start in range(0, len(paths), at_once):
            tabs = []
            for path in paths[start:start + at_once]:
                tab = self.context.new_page()
                watch_page(self, tab)
                tab.goto(self.base + path)
                tabs.append((path, tab))
            for path, tab in tabs:
                tab.wait_for_load_state("networkidle")
                yield path, tab
                self.tab_csp.extend(tab.evaluate("window.__csp || []"))
                tab.close()

    def csp_violations(self) -> list[str]:
        return [*self.tab_csp, *self.page.evaluate("window.__csp || []")]

    def screenshot(self, name: str, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def assert_clean(self) -> None:
        errors = [e for e in self.console_errors if not any(re.search(a, e) for a in self.allowed_errors)]
        assert errors == [], "console errors"
        assert self.page_errors == [], "uncaught script errors"
        assert self.csp_violations() == [], "Content-Security-Policy violations"
        assert self.dialogs == [], "dialogs opened"
        elsewhere = [u for u in self.requests if not u.startswith(self.base)]
        assert elsewhere == [], "requests to other servers"


def visit_site(browser: Browser, base: str, viewport: dict[str, int],
               scheme: str | None = None) -> Iterator[Visit]:
    """A fresh context on the site; `scheme`: the reader's colour scheme (light or dark)."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    visit = Visit(base, context, page)
    context.on("request", lambda r: visit.requests.append(r.url))
    # nothing may leave this machine: record such requests above, then refuse them
    context.route(lambda url: not url.startswith(base), lambda route: route.abort())
    watch_page(visit, page)
    try:
        yield visit
        visit.assert_clean()
    finally:
        context.close()


def watch_page(visit: Visit, page: Page) -> None:
    """What a page of the visit logs, throws or opens, recorded for assert_clean."""
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))

    def on_dialog(dialog: object) -> None:
        visit.dialogs.append(f"{dialog.type}: {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)


@pytest.fixture
def example(browser: Browser, served: dict[str, str]) -> Iterator[Visit]:
    yield from visit_site(browser, served["example"], DESKTOP)


@pytest.fixture
def example_phone(browser: Browser, served: dict[str, str]) -> Iterator[Visit]:
    yield from visit_site(browser, served["example"], PHONE)


@pytest.fixture
def attack(browser: Browser, served: dict[str, str]) -> Iterator[Visit]:
    yield from visit_site(browser, served["attack"], DESKTOP)


def search(page: Page, query: str, delay: float = 30) -> list[tuple[str, str]]:
    """Type into Material's search box, `delay` ms between keys; (href, text) of every result."""
    box = page.locator("input[data-md-component=search-query]")
    opener = page.locator("label.md-header__button[for=__search]")
    if opener.is_visible():  # narrow screens: the search opens from a header button
        opener.click()
    box.click()
    box.press_sequentially(query, delay=delay)
    box.press("End")  # characters not on the keyboard come without a keyup, which the box waits for
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    return read_results(page, ".md-search-result__item a", query)


def read_results(page: Page, links: str, query: str) -> list[tuple[str, str]]:
    """(href, text) of every result link, once the list shows the whole query's results:
    it is redrawn while the query is typed, and each result names the words it matched
    (?h=...). Read in one step, once it holds still."""
    words = " ".join(query.lower().split())
    read = ('els => els.map(a => [a.getAttribute("href") || "", a.innerText, '
            '(new URL(a.href).searchParams.get("h") || "").toLowerCase()])')
    results: list[tuple[str, str]] = []
    for _ in range(100):
        current = [(h, t) for h, t, matched in page.eval_on_selector_all(links, read)]
        whole = all(m == words for _, _, m in page.eval_on_selector_all(links, read)[:1])
        if current and whole and current == results:
            break
        results = current
        page.wait_for_timeout(100)
    return results


# --- headers and the 404 page, as any client sees them ----------------------------------

def test_security_headers_on_every_response(served: dict[str, str]) -> None:
    base = served["example"]
    for path in ["", BRIEFING, "search/search_index.json", "no/such/page.html"]:
        status, headers, _ = fetch(base + path)
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "'unsafe-eval'" not in csp and "'unsafe-inline'" not in csp
        assert re.search(r"script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]{44}')+;", csp), csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["Cache-Control"] == "no-cache", path


def test_hashed_assets_are_cached_long_and_others_revalidated(served: dict[str, str],
                                                               built_example: Project) -> None:
    hashed = sorted(p.relative_to(built_example.site).as_posix()
                    for p in (built_example.site / "assets").rglob("*.min.*")
                    if re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", p.name))
    assert any(h.endswith(".js") for h in hashed) and any(h.endswith(".css") for h in hashed)
    for path in hashed:
        status, headers, _ = fetch(served["example"] + path)
        assert status == 200
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", path
        assert "Content-Security-Policy" in headers  # the location keeps the server's headers
    _, headers, _ = fetch(served["example"] + "stylesheets/brief.css")
    assert headers["Cache-Control"] == "no-cache"
    # the search index: its pieces are named by their content, its entry file is not
    index = built_example.site / "pagefind"
    pieces = [next((index / "index").iterdir()), next((index / "fragment").iterdir()), next(index.glob("*.pf_meta"))]
    for piece in pieces:
        _, headers, body = fetch(served["example"] + piece.relative_to(built_example.site).as_posix())
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", piece.name
        assert body == piece.read_bytes(), "sent as it is (gzip already)"
    for name in ("pagefind-entry.json", "pagefind.js", "wasm.en.pagefind", "search-worker.js"):
        _, headers, _ = fetch(served["example"] + "pagefind/" + name)
        assert headers["Cache-Control"] == "no-cache", name


def test_pdfs_go_without_the_page_policy(served: dict[str, str], built_example: Project) -> None:
    """Chromium's PDF viewer would be blocked by object-src 'none'; a PDF runs no site script."""
    pdf = next((built_example.site / "pdf").glob("*.pdf")).name
    status, headers, body = fetch(served["example"] + "pdf/" + pdf)
    assert status == 200 and body.startswith(b"%PDF") and headers["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in headers and "X-Frame-Options" not in headers
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"
    status, headers, _ = fetch(served["example"] + "pdf/no-such.pdf")  # the 404 page is a page again
    assert status == 404 and headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["X-Frame-Options"] == "DENY"


def test_text_is_compressed(served: dict[str, str]) -> None:
    for path in [BRIEFING, "pagefind/pagefind.js", "stylesheets/brief.css"]:
        _, headers, body = fetch(served["example"] + path, {"Accept-Encoding": "gzip"})
        assert headers.get("Content-Encoding") == "gzip", path
        assert body[:2] == b"\x1f\x8b"


def test_unknown_address_gets_the_sites_404_page(served: dict[str, str]) -> None:
    for path in ["missing.html", "a/b/c/missing.html", "briefings/", "_headers"]:
        status, headers, body = fetch(served["example"] + path)
        assert status == 404, path
        assert b'href="/assets/stylesheets/main.' in body  # absolute links: right at any depth
        assert b"404" in body


def test_404_page_works_at_depth_in_the_browser(example: Visit) -> None:
    example.allowed_errors.append(r"status of 404")  # the page itself is the 404 response
    page = example.open("deep/er/no-such-page.html")
    assert page.locator("h1").inner_text().startswith("404")
    # the theme's stylesheet applied: the header bar is laid out, not plain text
    assert page.locator("header.md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
    example.screenshot("desktop-404.png")
    page.locator("a.md-header__button.md-logo").click()
    page.wait_for_load_state("networkidle")
    assert page.url == example.base + "index.html"


# --- the example, read as a reader would ------------------------------------------------

def test_search_finds_glossary_term_and_briefing(example: Visit) -> None:
    page = example.open(BRIEFING)
    results = search(page, "Kazan")
    hrefs = [h for h, _ in results]
    assert any(h.startswith(example.base + "glossary.html") for h in hrefs), hrefs
    assert any(h.startswith(example.base + BRIEFING) for h in hrefs), hrefs
    glossary_text = " ".join(t for h, t in results if "glossary.html" in h)
    assert "Kazan formula" in glossary_text
    example.screenshot("desktop-search.png")
    page.locator(".md-search-result__item a[href*='glossary.html']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(example.base + "glossary.html")


def test_actor_link_leads_to_actor_whose_backlinks_lead_back(example: Visit) -> None:
    page = example.open(BRIEFING)
    page.locator("table.actors-table a", has_text="Vladimir Putin").click()
    page.wait_for_load_state("networkidle")
    assert page.url == example.base + "actors/putin.html"
    assert page.locator("h1").inner_text().startswith("Vladimir Putin")
    backlink = page.locator("ul.backlinks a", has_text="Russia's options in Nagorno-Karabakh")
    assert backlink.count() == 1
    example.screenshot("desktop-actor.png", full_page=True)
    backlink.click()
    page.wait_for_load_state("networkidle")
    assert page.url == example.base + BRIEFING


def test_footnote_marker_jumps_to_its_source_entry(example: Visit) -> None:
    page = example.open(BRIEFING)
    marker = page.locator(".bluf sup.cite a.cite-ref").first
    href = marker.get_attribute("href")
    assert href == "#source-mt-options"
    marker.click()
    page.wait_for_function("location.hash === '#source-mt-options'")
    entry = page.locator("ol.footnotes li#source-mt-options")
    page.wait_for_function("() => { const r = document.getElementById('source-mt-options')"
                           ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    assert entry.evaluate("e => e.matches(':target')")
    # below the sticky header, not hidden under it
    header_bottom = page.locator("header.md-header").bounding_box()["height"]  # type: ignore[index]
    assert entry.bounding_box()["y"] >= header_bottom - 1  # type: ignore[index]
    assert "Moscow Times" in entry.inner_text()
    entry.locator("a.source-entry").click()
    page.wait_for_load_state("networkidle")
    assert page.url == example.base + "sources.html#source-mt-options"


def test_dates_stay_on_one_line_in_a_narrow_column(example: Visit) -> None:
    page = example.open("sources.html")
    page.set_viewport_size({"width": 320, "height": 700})
    heights = page.evaluate("""() => [...document.querySelectorAll('.source-facts time, .footnotes time')].map(
        t => [getComputedStyle(t).whiteSpace, t.getBoundingClientRect().height,
              parseFloat(getComputedStyle(t).lineHeight)])""")
    assert len(heights) >= 5
    assert all(wrap == "nowrap" and height <= line * 1.2 for wrap, height, line in heights), heights


# Each word of a table cell (names above all: "Armenia", never "Armeni-a") on one line; a
# word with a hyphen of its own may break there, as any text may.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('.md-content table td, .md-content table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\-\u2010\u2011]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


def test_no_word_in_a_table_breaks_across_lines(example: Visit) -> None:
    for width, address in itertools.product((320, 600, 1024), ("briefings/russia-options-nagorno-karabakh.html",
                                                              "actors/russia.html", "actors/index.html")):
        page = example.open(address)
        page.set_viewport_size({"width": width, "height": 800})
        assert page.locator(".md-content table").count() > 0, address
        assert page.evaluate(BROKEN_WORDS) == [], f"{address} at {width} px"


def test_native_names_show_as_text(example: Visit) -> None:
    page = example.open(BRIEFING)
    text = page.locator("article").inner_text()
    assert "Նիկոլ Փաշինյան" in text and "Владимир Путин" in text
    for name in ["Նիկոլ Փաշինյան", "Владимир Путин"]:
        span = page.locator("span.native-name", has_text=name)
        assert span.is_visible()
        box = span.bounding_box()
        assert box is not None and box["width"] > 50  # drawn with a font, not left empty
    page = example.open("actors/pashinyan.html")
    assert page.locator(".actor-profile .native-name").inner_text() == "Նիկոլ Փաշինյան"


def test_palette_toggle_switches_and_remembers(example: Visit) -> None:
    page = example.open(BRIEFING)
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    example.screenshot("desktop-briefing.png", full_page=True)
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function(f"{scheme} === 'slate'")
    assert page.evaluate(background) != light
    example.screenshot("desktop-briefing-dark.png")
    page.locator("#key-judgments").scroll_into_view_if_needed()
    example.screenshot("desktop-briefing-dark-judgments.png")
    page = example.open("actors/putin.html")  # remembered across pages
    assert page.evaluate(scheme) == "slate"
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function(f"{scheme} === 'default'")


MAIN_PAGES = ["index.html", BRIEFING, "actors/index.html", "actors/putin.html", "actors/russia.html",
              "sources.html", "glossary.html", "legend.html"]


def test_nothing_scrolls_sideways_on_a_phone(example_phone: Visit) -> None:
    wide = {}
    for path in MAIN_PAGES:
        page = example_phone.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
        if path == BRIEFING:
            example_phone.screenshot("mobile-briefing.png", full_page=True)
            example_phone.screenshot("mobile-briefing-top.png")
        if path == "actors/putin.html":
            example_phone.screenshot("mobile-actor.png", full_page=True)
    assert wide == {}


def test_search_works_on_a_phone(example_phone: Visit) -> None:
    page = example_phone.open("index.html")
    hrefs = [h for h, _ in search(page, "Kazan")]
    assert any("glossary.html" in h for h in hrefs)
    example_phone.screenshot("mobile-search.png")


# --- the attack dataset: every attack stays text --------------------------------------

ATTACK_PAGES = ["index.html", ATTACK_BRIEFING, "briefings/attack-final.html", "actors/index.html",
                "actors/attack-actor.html", "actors/attack-state.html", "sources.html", "glossary.html",
                "no/such/page.html"]

# What the theme itself puts into a page; anything else of these kinds was injected.
FIND_INJECTED = """() => {
  // the one data: address our pages hold: a citation to download (render/cite.py)
  const CITATION = new RegExp('^data:application/(x-bibtex|x-research-info-systems|vnd\\\\.citationstyles'
                              + '\\\\.csl\\\\+json);charset=utf-8,[A-Za-z0-9%._~-]*$');
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(el.tagName + '[' + attr.name + ']');
      if (/^(href|src|action|formaction|xlink:href|data|srcdoc)$/i.test(attr.name)
          && /^\\s*(javascript|data|vbscript):/i.test(attr.value)
          && !(el.tagName === 'A' && attr.name === 'href' && el.hasAttribute('download') && CITATION.test(attr.value)))
        found.push(el.tagName + '[' + attr.name + ']');
    }
  }
  const article = document.querySelector('article') || document.body;
  for (const el of article.querySelectorAll('script, img, iframe, object, embed, style, form, input, textarea, '
                                           + 'details, math, foreignObject, video, audio, meta, link, base'))
    if (!(el.tagName === 'DETAILS' && el.className === 'graph-in-words' && el.attributes.length === 1))
      found.push('article ' + el.tagName);  // but the graph told in words, as the templates write it
  for (const el of document.querySelectorAll('script'))
    if (el.src ? !el.src.startsWith(location.origin + '/') : el.type !== 'application/json'
        && !/^(__md_scope=|var palette=|var target=)/.test(el.textContent))
      found.push('script ' + el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll('meta[http-equiv], base, iframe, object, embed'))
    found.push(el.outerHTML.slice(0, 80));
  const titles = document.querySelectorAll('title').length - document.querySelectorAll('svg title').length;
  if (titles !== 1) found.push(titles + ' page titles');
  if (document.getElementById('injected-id') || document.querySelector('.injected-class')) found.push('attr_list');
  return found;
}"""


def test_attacks_are_inert_in_the_browser(attack: Visit) -> None:
    attack.allowed_errors.append(r"status of 404")  # no/such/page.html
    for path in ATTACK_PAGES:
        page = attack.open(path)
        page.mouse.move(400, 300)
        page.mouse.move(600, 500)  # hover handlers, had any been injected
        assert page.evaluate(FIND_INJECTED) == [], path
    page = attack.open(ATTACK_BRIEFING)
    title = page.title()
    assert title.startswith("</title><script>alert('title')</script><img src=x onerror=alert('title')>"), title
    assert "Watch </title><script>alert('site-title')</script> & <b>Co</b>" in title
    assert "<script>alert('summary')</script>" in page.locator(".bluf").inner_text()
    assert "Jinja: {{ 7*7 }} and {% raw %} and {# comment #}." in page.locator(".bluf").inner_text()
    assert page.locator("h1").first.inner_text().startswith("</title><script>alert('title')</script>")
    attack.screenshot("attack-briefing.png", full_page=True)


def test_attacks_stay_text_in_search_results(attack: Visit) -> None:
    page = attack.open("index.html")
    for query in ["script", "onerror", "onmouseover", "Final", "Actor"]:
        page.locator("input[data-md-component=search-query]").fill("")
        results = search(page, query)
        assert results, query
        assert page.evaluate(FIND_INJECTED) == [], query
        result_html = page.locator(".md-search-result").inner_html()
        assert "<script>alert" not in result_html and "<img src=x" not in result_html, query
    attack.screenshot("attack-search.png")


def test_the_graph_stays_readable_on_a_phone(example_phone: Visit) -> None:
    """The drawing keeps its size in a box of its own that scrolls sideways (and that a
    keyboard can reach), so its labels stay as large as on a desktop, not a few pixels."""
    page = example_phone.open(BRIEFING)
    box = page.locator(".relation-graph-drawing")
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    heights = page.eval_on_selector_all(".relation-graph-drawing svg text",
                                        "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 12, min(heights)
    assert page.evaluate("document.querySelector('.relation-graph-drawing').scrollWidth") > PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # a reader who sees only part of the drawing is told the rest is sideways
    assert page.locator(".graph-scroll-cue").is_visible()
    box.scroll_into_view_if_needed()
    example_phone.screenshot("mobile-graph.png")


def test_a_desktop_reader_gets_no_scroll_cue(example: Visit) -> None:
    page = example.open(BRIEFING)
    assert page.locator(".graph-scroll-cue").count() == 1
    assert not page.locator(".graph-scroll-cue").is_visible()


def test_404_page_works_under_a_sub_path(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A site published at https://example.org/briefs/ and served from /briefs/: an unknown
    address there gets the site's 404 page with its styles, and its links lead home."""
    project = copy_project(tmp_path_factory.mktemp("subpath"))
    project.config.write_text(project.config.read_text(encoding="utf-8").replace(
        "site_url: !ENV [SITE_URL]", "site_url: https://example.org/briefs/"), encoding="utf-8")
    build(project, BuildOptions(quiet=True, pdf=False))

    def under_briefs(site: Path, port: int) -> str:
        return (f"server {{\n    listen 127.0.0.1:{port};\n    location = / {{ return 200 'other'; }}\n"
                f"    location /briefs/ {{ alias {site}/; error_page 404 /briefs/404.html; }}\n}}\n")

    with nginx_serving({"briefs": project.site}, tmp_path_factory.mktemp("nginx-subpath"), under_briefs) as urls:
        base = urls["briefs"] + "briefs/"
        for visit in visit_site(browser, base, DESKTOP):
            visit.allowed_errors.append(r"status of 404")
            page = visit.open("no/such/deep/page.html")
            assert page.locator("h1").inner_text().startswith("404")
            assert page.locator("header.md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
            page.locator("a.md-header__button.md-logo").click()
            page.wait_for_load_state("networkidle")
            assert page.url == base + "index.html"
