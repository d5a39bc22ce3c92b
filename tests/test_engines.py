"""The example built with every site engine: MkDocs (default), ProperDocs and Zensical.

Each engine builds the example once; the same checks then run on each output. Where
Zensical 0.0.73 does something differently, the test asserts what it does (see
docs/engines.md).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from briefsite.app import BuildOptions, build, check
from briefsite.core.errors import SiteError
from briefsite.core.project import Project
from briefsite.output.engine import DEFAULT_ENGINE, ENGINES, Engine, engine_config, engine_failure
from tests.conftest import REPO, add_site_page, copy_project
from tests.test_cli import edit, fetch, free_port, wait_for

pytestmark = pytest.mark.slow

BRIEFING = "briefings/russia-options-nagorno-karabakh.html"


@pytest.fixture(scope="module", params=list(ENGINES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Project]:
    """The example built with one engine (the default one is the session's shared build)."""
    engine = ENGINES[request.param]
    if engine.name == DEFAULT_ENGINE:
        return engine, request.getfixturevalue("built_example")
    project = copy_project(tmp_path_factory.mktemp(f"engine-{engine.name}"))
    build(project, BuildOptions(quiet=True, engine=engine.name))
    return engine, project


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags(page: Path) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


def search_docs(engine: Engine, site: Path) -> list[dict[str, str]]:
    """The entries of the engine's search index: MkDocs and ProperDocs write
    search/search_index.json with "docs", Zensical search.json with "items"."""
    index = json.loads((site / engine.search_index).read_text(encoding="utf-8"))
    return index["items" if engine.name == "zensical" else "docs"]


def test_every_briefing_actor_source_and_term_has_its_page(built: tuple[Engine, Project]) -> None:
    engine, project = built
    library, _ = check(project)
    site = project.site
    for page in ["index.html", "actors/index.html", "sources.html", "glossary.html", "404.html"]:
        assert (site / page).is_file(), f"{engine.name}: {page}"
    for bid in library.briefings:
        assert (site / f"briefings/{bid}.html").is_file(), f"{engine.name}: briefing {bid}"
    for aid in library.actors:
        assert (site / f"actors/{aid}.html").is_file(), f"{engine.name}: actor {aid}"
    sources = (site / "sources.html").read_text(encoding="utf-8")
    for sid in library.sources:
        assert f'id="source-{sid}"' in sources, f"{engine.name}: source {sid}"
    glossary = (site / "glossary.html").read_text(encoding="utf-8")
    for tid in library.terms:
        assert f'id="{tid}"' in glossary, f"{engine.name}: term {tid}"
    # .html addresses: no page became a folder of its own
    assert not (site / "briefings" / BRIEFING.split("/")[1].removesuffix(".html")).exists()


def test_search_is_pagefinds_on_every_engine(built: tuple[Engine, Project]) -> None:
    """Every page with content of its own (not a list of other pages) is in the Pagefind
    index, and every page hands the theme our worker; MkDocs' own index, which the browser
    would load whole, holds no page."""
    engine, project = built
    site = project.site
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    texts = [p.read_text(encoding="utf-8") for p in pages(site) if not p.is_relative_to(site / "pagefind")]
    with_content = [t for t in texts if 'class="md-content__inner' in t and 'name="search-listing"' not in t]
    assert entry["languages"]["en"]["page_count"] == len(with_content), engine.name
    for page in (site / "index.html", site / BRIEFING):
        assert "pagefind/search-worker.js" in page.read_text(encoding="utf-8"), f"{engine.name}: {page.name}"
    if engine.name != "zensical":
        assert search_docs(engine, site) == [], engine.name


def test_search_index_location_per_engine(built: tuple[Engine, Project]) -> None:
    """Zensical writes its own index format at another address; nothing else is left behind."""
    engine, project = built
    site = project.site
    assert (site / engine.search_index).is_file()
    other = {e.search_index for e in ENGINES.values()} - {engine.search_index}
    for path in other:
        assert not (site / path).exists(), f"{engine.name} also wrote {path}"


def test_every_local_link_resolves_to_a_file(built: tuple[Engine, Project]) -> None:
    """Whatever a page links or loads from the site (pages, PDFs, styles, scripts, images)
    is a file of the output."""
    engine, project = built
    site = project.site.resolve()
    for page in pages(site):
        if page.name == "404.html":  # served at any address, so its links are absolute
            continue
        for tag, attrs in tags(page):
            for attr in ("href", "src"):
                url = attrs.get(attr, "")
                parts = urlsplit(url)
                if not url or parts.scheme or url.startswith(("#", "//")):
                    continue
                base = site if parts.path.startswith("/") else page.parent
                target = (base / unquote(parts.path).lstrip("/")).resolve()
                if target.is_dir():
                    target = target / "index.html"
                rel = page.relative_to(site)
                assert target.is_file(), f"{engine.name}: {rel} <{tag} {attr}={url!r}> is missing"
                assert target.is_relative_to(site), f"{engine.name}: {rel} links outside the site: {url}"


def test_pdf_links_when_pdfs_were_built(built: tuple[Engine, Project]) -> None:
    """The PDFs are put into pdf/ after the engine ran, so every engine gets the same ones;
    the briefing page's "Download PDF" link points at its PDF."""
    engine, project = built
    site = project.site
    if not (site / "pdf").is_dir():
        # built without PDFs: the pages must not offer any
        assert "Download PDF" not in (site / BRIEFING).read_text(encoding="utf-8")
        return
    links = [a["href"] for tag, a in tags(site / BRIEFING) if tag == "a" and a.get("href", "").endswith(".pdf")]
    assert links, f"{engine.name}: the briefing page has no PDF link"
    html = (site / BRIEFING).read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*href="[^"]+\.pdf"[^>]*>Download PDF</a>', html), engine.name
    for href in links:
        target = (site / BRIEFING).parent / href
        assert target.is_file() and target.read_bytes().startswith(b"%PDF-"), f"{engine.name}: {href}"


# Tags whose address the browser fetches by itself. <link rel=canonical|alternate|prev|next>
# only names an address; any other <link> (stylesheet, icon, preload...) is fetched.
FETCHING_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
                  "audio": "src", "embed": "src", "object": "data", "link": "href"}
NAMING_RELS = {"canonical", "alternate", "prev", "next"}


def test_no_third_party_request(built: tuple[Engine, Project]) -> None:
    engine, project = built
    for page in pages(project.site):
        for tag, attrs in tags(page):
            attr = FETCHING_ATTRS.get(tag)
            if attr is None or (tag == "link" and set(attrs.get("rel", "").split()) & NAMING_RELS):
                continue
            url = attrs.get(attr, "") + " " + attrs.get("srcset", "")
            assert not re.search(r"(^|\s)(https?:)?//", url), f"{engine.name}: {page.name}: <{tag} {attrs}>"
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, page.name
    for css in project.site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import\s+['\"]?(url\()?\s*['\"]?(https?:)?//",
                             css.read_text(encoding="utf-8")), f"{engine.name}: {css.name}"


def test_same_content_on_every_engine(built: tuple[Engine, Project], built_example: Project) -> None:
    """Our own render step makes every page's content; the engines only wrap it. The briefing's
    article holds the same footnotes, badges and glossary hovers whatever the engine."""
    engine, project = built
    article = re.compile(r"<article.*?</article>", re.S)

    def content(p: Project) -> list[str]:
        match = article.search((p.site / BRIEFING).read_text(encoding="utf-8"))
        assert match, engine.name
        return [ln.strip() for ln in match.group(0).splitlines() if ln.strip() and "__skip" not in ln]

    assert content(project) == content(built_example)

    def citation(p: Project) -> list[tuple[str, str]]:  # the head's citation tags (theme overrides)
        return [(a["name"], a.get("content", "")) for t, a in tags(p.site / BRIEFING)
                if t == "meta" and a.get("name", "").startswith(("citation_", "DC."))]

    assert citation(project) == citation(built_example) != []


def test_engine_differences_in_the_generated_config(project: Project) -> None:
    library, _ = check(project)
    site_dir = project.build / "site-new"
    configs = {name: engine_config(project, library.site, site_dir, name) for name in ENGINES}
    assert configs["mkdocs"] == configs["properdocs"]
    mkdocs, zensical = configs["mkdocs"], configs["zensical"]
    assert f'docs_dir: "{project.generated_docs}"' in mkdocs and "hooks:" in mkdocs
    # Zensical 0.0.73 panics on an absolute docs_dir, appends lists to inherited ones
    # and runs no hooks; it is asked for Material's look (its default look is its own).
    assert 'docs_dir: "docs"' in zensical
    assert "hooks:" not in zensical and "watch:" not in zensical
    assert '"variant": "classic"' in zensical


def test_zensical_failure_is_reported_without_colours_or_traceback() -> None:
    output = ("\x1b[33mWarning:\x1b[0m page does not exist\n 183 | [bad](nope.md)\n1 issue found\n"
              'Traceback (most recent call last):\n  File "x.py", line 8, in <module>\n    cli()\n'
              "RuntimeError: Aborted because --strict flag is set\n")
    assert engine_failure(output) == ("Warning: page does not exist\n 183 | [bad](nope.md)\n1 issue found\n"
                                      "RuntimeError: Aborted because --strict flag is set")


@pytest.mark.parametrize("engine", [e for e in ENGINES if e != DEFAULT_ENGINE])
def test_a_broken_link_fails_the_build_with_every_engine(engine: str, project: Project) -> None:
    add_site_page(project, "broken.md", "# Broken\n\n[nowhere](no-such-page.md)\n")
    with pytest.raises(SiteError) as err:
        build(project, BuildOptions(quiet=True, engine=engine, pdf=False))
    assert "no-such-page.md" in str(err.value) or "page does not exist" in str(err.value)
    assert "\x1b[" not in str(err.value)
    assert not project.site.exists()


@pytest.mark.parametrize("engine", list(ENGINES))
def test_serve_rerenders_and_stops_with_every_engine(engine: str, project: Project, browser: Browser) -> None:
    """MkDocs and ProperDocs re-render (and index for search) through the hooks, Zensical
    through build_brief.py's own watchers; errors in the data show at the top of the page (as
    text, with file:line:column) until fixed; stopping build_brief.py stops the engine's server too."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{BRIEFING}"
    cmd = [sys.executable, str(REPO / "build_brief.py"), "serve", "--engine", engine, "--dev-addr", f"127.0.0.1:{port}"]
    log = project.root / "serve.log"  # what it said, quoted when a wait fails
    with log.open("w") as said:
        proc = subprocess.Popen(cmd, cwd=project.root, stdout=subprocess.DEVNULL, stderr=said,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert wait_for(lambda: "range from bad to worse" in fetch(url), 60), f"{engine}: preview did not start"
        edit(project, "briefings/russia-options-nagorno-karabakh.yaml", "range from bad to worse",
             "range from bad to terrible")
        assert wait_for(lambda: "range from bad to terrible" in fetch(url), 30), f"{engine}: edit did not show"
        entry = f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json"
        assert wait_for(lambda: '"page_count"' in fetch(entry), 30), f"{engine}: the preview has no search index"
        state = f"http://127.0.0.1:{port}/preview-problems.json"
        looks = Looks(browser, url)
        assert looks.until(False, 90), f"{engine}: a banner without errors ({looks.said(state)})"
        edit(project, "briefings/russia-options-nagorno-karabakh.yaml", "likelihood: very-likely",
             "likelihood: <b>maybe</b>")
        assert looks.until(True, 120), f"{engine}: the error is not shown in the page ({looks.said(state)})"
        banner = looks.page.locator(".preview-problems")
        assert "russia-options-nagorno-karabakh.yaml:62:17: key_judgments[1].likelihood" in banner.inner_text()
        assert "'<b>maybe</b>'" in banner.inner_text() and banner.locator("b").count() == 0
        assert "range from bad to terrible" in looks.page.content(), f"{engine}: the last good page is gone"
        edit(project, "briefings/russia-options-nagorno-karabakh.yaml", "likelihood: <b>maybe</b>",
             "likelihood: very-likely")
        assert looks.until(False, 120), (f"{engine}: the fixed error is still shown ({looks.said(state)}; staged: "
                                         f"{(project.generated_docs / 'preview-problems.json').read_text()[:200]!r}; "
                                         f"it said: {log.read_text()[-2000:]!r})")
        looks.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert wait_for(lambda: not serving(port), 10), f"{engine}: the engine's server outlived build_brief.py"


class Looks:
    """Looks at the preview's page, each in a new tab that loads it afresh: a tab kept from
    one look to the next can be reloaded by the engine's own live-reload script meanwhile,
    which interrupts the next look. The last tab stays open until the next look."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.browser, self.url = browser, url
        self.page: Page | None = None
        self.answers: list[bool | None] = []
        """What each look found (None: no answer in time, or the load interrupted)."""

    def until(self, shown: bool, seconds: float) -> bool:
        """Whether a look finds the error banner `shown` (or not) within `seconds`."""
        def look() -> bool:
            self.close()
            self.page = self.browser.new_page()
            self.answers.append(problems_shown(self.page, self.url))
            return self.answers[-1] is shown
        return wait_for(look, seconds)

    def said(self, state: str) -> str:
        return f"looks: {self.answers[-6:]}; the preview's state: {fetch(state)[:300]!r}"

    def close(self) -> None:
        if self.page is not None:
            self.page.close()
            self.page = None


def problems_shown(page: Page, url: str) -> bool | None:
    """Load the page afresh: True when the preview's error banner is on it, False when not,
    None while the engine is still rebuilding (it holds pages back until it is done)."""
    try:
        with page.expect_response(lambda r: r.url.endswith("/preview-problems.json"), timeout=30_000):
            page.goto(url, timeout=30_000)
    except PlaywrightTimeout:
        return None
    except PlaywrightError as exc:  # the preview reloaded the page itself, after a rebuild: ask again
        # Chromium says so either way: the navigation was interrupted, or aborted (net::ERR_ABORTED)
        if "interrupted by another navigation" in str(exc) or "net::ERR_ABORTED" in str(exc):
            return None
        raise
    page.wait_for_timeout(200)  # the script reads the answer and writes the banner
    return page.locator(".preview-problems").count() > 0


def serving(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def serve_process(project: Project, port: int) -> subprocess.Popen[str]:
    """`build_brief.py serve` on the project, its output (and the engine's) captured as text."""
    return subprocess.Popen([sys.executable, str(REPO / "build_brief.py"), "serve", "--dev-addr",
                             f"127.0.0.1:{port}"], cwd=project.root, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_the_live_preview_says_each_warning_once_without_the_engines_noise(project: Project) -> None:
    """A warning at start and after two edits: printed once. MkDocs' dirty-build warning and its
    list of pages outside the navigation (every briefing and actor, by design) are not shown."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{BRIEFING}"
    proc = serve_process(project, port)
    try:
        assert wait_for(lambda: "range from bad to worse" in fetch(url), 60)
        for new in ("terrible", "dreadful"):
            edit(project, "briefings/russia-options-nagorno-karabakh.yaml", "range from bad to ",
                 f"range from bad to {new} ")
            assert wait_for(lambda new=new: f"range from bad to {new}" in fetch(url), 30)
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=15)
    assert output.count("sources without archive_url") == 1, output
    assert "dirty" not in output and "not included in the" not in output, output
    # one rebuild per edit (the re-render writes pages from inside a rebuild, which the
    # engine would otherwise take for a second change)
    assert output.count("Building documentation") == 3, output


def test_serve_on_an_address_in_use_says_so(project: Project) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(REPO / "build_brief.py"), "serve", "--dev-addr",
                                 f"127.0.0.1:{port}"], cwd=project.root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"error: cannot serve on 127.0.0.1:{port}: Address already in use; give another address with " \
           "--dev-addr HOST:PORT" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_the_poller_renders_a_file_only_once_it_is_written_whole() -> None:
    """An editor's save empties the file and writes it again, both within one tick of the
    clock: the poller sees the sizes differ, waits for two polls alike, then renders once."""
    from briefsite.preview import Settled

    watch = Settled({"a.yaml": (1, 120)})
    assert watch.changed({"a.yaml": (2, 0)}) is False  # caught half written
    assert watch.changed({"a.yaml": (2, 130)}) is False  # the same modification time, written whole
    assert watch.changed({"a.yaml": (2, 130)}) is True  # settled: render
    assert watch.changed({"a.yaml": (2, 130)}) is False  # rendered already
    assert watch.changed({"a.yaml": (2, 130), "b.yaml": (3, 10)}) is False
    assert watch.changed({"a.yaml": (2, 130), "b.yaml": (3, 10)}) is True


def test_the_watcher_puts_the_errors_in_the_served_pages_without_the_engine(project: Project, tmp_path: Path) -> None:
    """For an engine without hooks, build_brief.py's watcher writes the banner's state into
    the pages served as well as into the engine's input: an engine that misses the change
    (no engine runs here) still shows the errors, and their fixing."""
    import threading

    from briefsite.preview import rerender_on_change, watched_stamps

    served = tmp_path / "served"
    served.mkdir()
    state = served / "preview-problems.json"
    stop = threading.Event()
    watcher = threading.Thread(target=rerender_on_change, args=(project, served, watched_stamps(project), 0.1, stop))
    watcher.start()
    try:
        edit(project, "briefings/russia-options-nagorno-karabakh.yaml", "likelihood: very-likely", "likelihood: maybe")
        assert wait_for(lambda: state.is_file() and "'maybe' is not a likelihood term" in state.read_text(), 60)
        edit(project, "briefings/russia-options-nagorno-karabakh.yaml", "likelihood: maybe", "likelihood: very-likely")
        assert wait_for(lambda: json.loads(state.read_text())["errors"] == [], 60), state.read_text()
    finally:
        stop.set()
        watcher.join()
