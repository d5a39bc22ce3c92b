"""Accessibility, checked by a tool nobody here wrote: axe-core (npm, pinned in
tests/js/package.json) run inside the real browser on every page type, in light and dark
mode, at desktop width and on a 390 px phone, for every rule of WCAG 2.0, 2.1 and 2.2 A
and AA and axe's best practices."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from briefsite.core.project import Project
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.test_browser import ATTACK_BRIEFING, BRIEFING, DESKTOP, PHONE, visit_site

pytestmark = pytest.mark.slow

AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
EXAMPLE_PAGES = ["index.html", BRIEFING, "actors/putin.html", "actors/index.html", "sources.html", "glossary.html",
                 "timeline.html", "tags/index.html", "regions.html", "status.html", "legend.html", "watch.html",
                 "track-record.html", "no/such/page.html"]
DRAFT_PAGE = ATTACK_BRIEFING  # a draft briefing (its banner and badge), all its text hostile
VERSION_PAGES = ["briefings/first-briefing.html", "briefings/first-briefing/2026-01-22.html",
                 "briefings/first-briefing/2026-02-03-changes.html"]  # a briefing issued three times


def split_pages(site: Path) -> list[str]:
    """The pages of a large library's split views: each index, and one page of each."""
    found = ["index.html", "timeline.html", "sources.html", "actors/index.html", "tags/index.html", "status.html",
             "watch.html", "track-record.html"]
    for folder in ("archive", "timeline", "sources", "actors/by-name", "tags", "regions"):
        found.append(min(p.relative_to(site).as_posix() for p in (site / folder).glob("*.html")
                         if p.name != "index.html"))
    return found


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe's findings on the page as it is: 'rule (impact): first element, how to fix'."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated, not a <script>: the page's policy stays
    # passes and the like not listed in full: only violations are read (a sixth of axe's time)
    result = page.evaluate("rules => axe.run(document, {runOnly: {type: 'tag', values: rules}, "
                           "resultTypes: ['violations']})", RULES)
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')[:200]}"
            for v in result["violations"]]


# Each layout in one colour scheme, each scheme in one layout: the layouts differ in what
# is shown (menus, tables that scroll), the schemes in colours; a full square cost 80 s more.
@pytest.mark.parametrize(("viewport", "scheme"), [(DESKTOP, "light"), (PHONE, "dark")], ids=["desktop-light",
                                                                                           "phone-dark"])
def test_no_axe_violation_on_any_page_type(browser: Browser, served: dict[str, str], built_large: Project,
                                           scheme: str, viewport: dict[str, int]) -> None:
    found = {}
    for site, pages in (("example", EXAMPLE_PAGES), ("attack", [DRAFT_PAGE]), ("versions", VERSION_PAGES),
                        ("large", split_pages(built_large.site))):
        for visit in visit_site(browser, served[site], viewport, scheme):
            visit.allowed_errors.append(r"status of 404")  # the 404 page, on purpose
            for path, page in visit.open_each(pages):
                problems = violations(page)
                if problems:
                    found[f"{site}:{path}"] = problems
    assert found == {}, f"axe ({scheme}, {viewport['width']} px)"


# --- valid HTML: the Nu HTML Checker --------------------------------------------------------

VNU = Path(__file__).parent / "js" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Errors of the theme's own markup (Material for MkDocs 9.8), not ours; docs/hosting.md
# lists them with their cause.
THEME_ERRORS = [
    # its toggles (<input type="checkbox" ... autocomplete="off">), set to keep browsers from
    # restoring a stale state on back navigation
    re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
    # its table of contents' title (<label for="__toc">) on a page outside the navigation,
    # where the toggle it names is not drawn
    re.compile(r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control"),
]


def nu_errors(*sites: Path) -> list[str]:
    """The checker's errors in every page of the sites, in one run (Java starts once)."""
    result = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--skip-non-html", *map(str, sites)],
                            capture_output=True, text=True, check=False)
    messages = json.loads(result.stderr)["messages"]
    return [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
            for m in messages if m["type"] == "error"]


def test_valid_html_but_for_the_themes_own(built_example: Project, built_attack: Project,
                                           built_versions: Project, built_large: Project) -> None:
    found = nu_errors(*(project.site for project in (built_example, built_attack, built_versions, built_large)))
    ours = [e for e in found if not any(pattern.search(e.split(": ", 1)[1]) for pattern in THEME_ERRORS)]
    assert ours == []
    assert found, "the theme's own errors are still there: if the theme fixed them, drop them from THEME_ERRORS"


# --- the keyboard -------------------------------------------------------------------------

FOCUS_SHOWN = """() => {
  let e = document.activeElement;
  // a hidden input (the colour scheme toggle) shows its focus on the label after it
  if (e.tagName === 'INPUT' && getComputedStyle(e).opacity === '0' && e.nextElementSibling
      && e.nextElementSibling.tagName === 'LABEL') e = e.nextElementSibling;
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {tag: e.tagName, cls: String(e.className), text: (e.innerText || '').slice(0, 40),
          visible: r.width > 0 && r.height > 0,
          ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'};
}"""


def test_a_keyboard_skips_to_the_content_and_sees_where_it_is(browser: Browser, served: dict[str, str]) -> None:
    for visit in visit_site(browser, served["example"], DESKTOP):
        page = visit.open(BRIEFING)
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUS_SHOWN)
        assert "md-skip" in first["cls"] and first["visible"], first  # the theme's skip link comes first
        page.keyboard.press("Enter")
        # the address changes once Chromium has followed the link, not always by the next line
        page.wait_for_url(re.compile(r"#russias-options-in-nagorno-karabakh-range-from-bad-to-worse$"), timeout=10_000)
        unseen = []
        for _ in range(25):  # on through the page: every stop shows where the focus is
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_SHOWN)
            if state["tag"] != "BODY" and not state["ring"]:
                unseen.append(state)
        assert unseen == []


def tab_stops(page, limit: int = 400) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """Where the focus lands, Tab after Tab, once round the page (or `limit` stops)."""
    stops: list[dict[str, object]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_SHOWN)
        if stops and state == stops[0]:
            break
        stops.append(state)
    return stops


def test_every_tab_stop_of_every_page_type_shows_the_focus(browser: Browser, served: dict[str, str]) -> None:
    unseen = {}
    for visit in visit_site(browser, served["example"], DESKTOP):
        visit.allowed_errors.append(r"status of 404")
        for path, page in visit.open_each(EXAMPLE_PAGES):
            page.bring_to_front()  # the keyboard goes to the tab in front
            stops = tab_stops(page)
            assert len(stops) > 5, path
            hidden = [s for s in stops if s["tag"] != "BODY" and not (s["ring"] and s["visible"])]
            if hidden:
                unseen[path] = hidden[:3]
    assert unseen == {}


def test_the_graph_in_words_opens_from_the_keyboard(browser: Browser, served: dict[str, str]) -> None:
    for visit in visit_site(browser, served["example"], DESKTOP):
        page = visit.open("actors/armenia.html")
        words = page.locator("details.graph-in-words")
        assert not words.get_attribute("open") and not page.get_by_text("Nikol Pashinyan leads Armenia").is_visible()
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate(FOCUS_SHOWN)["text"] == "The graph in words":
                break
        assert page.evaluate(FOCUS_SHOWN)["ring"]
        page.keyboard.press("Enter")
        assert page.get_by_text("Nikol Pashinyan leads Armenia: Prime Minister of Armenia.").is_visible()


# --- Lighthouse -----------------------------------------------------------------------------

LIGHTHOUSE = Path(__file__).parent / "js" / "node_modules" / "lighthouse" / "cli" / "index.js"


def lighthouse_accessibility(url: str, profile: Path) -> tuple[float, list[str]]:
    """Lighthouse's accessibility score of a page (0 to 1) and the audits it failed."""
    out = profile / "report.json"
    flags = " ".join([*CHROMIUM_ARGS, f"--user-data-dir={profile / 'chromium'}"])
    subprocess.run(["node", str(LIGHTHOUSE), url, "--only-categories=accessibility", "--output=json",
                    f"--output-path={out}", "--quiet", f"--chrome-flags={flags}"],
                   env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, timeout=180)
    report = json.loads(out.read_text(encoding="utf-8"))
    failed = [f"{key}: {audit['title']}" for key, audit in report["audits"].items()
              if audit.get("score") is not None and audit["score"] < 1]
    return report["categories"]["accessibility"]["score"], failed


@pytest.mark.parametrize("path", ["index.html", BRIEFING])
def test_lighthouse_accessibility_is_100(served: dict[str, str], path: str, tmp_path: Path) -> None:
    score, failed = lighthouse_accessibility(f"{served['example']}{path}", tmp_path)
    assert (score, failed) == (1, [])
