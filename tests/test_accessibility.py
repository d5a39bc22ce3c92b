"""Accessibility, checked by a tool nobody here wrote: axe-core (npm, pinned in
tests/js/package.json) run inside the real browser on every page type, in light and dark
mode, at desktop width and on a 390 px phone, for every rule of WCAG 2.0, 2.1 and 2.2 A
and AA and axe's best practices."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.test_browser import ATTACK_BRIEFING, BRIEFING, DESKTOP, PHONE, visit_site

pytestmark = pytest.mark.slow

AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
EXAMPLE_PAGES = ["index.html", BRIEFING, "actors/putin.html", "actors/index.html", "sources.html", "glossary.html",
                 "timeline.html", "tags/index.html", "regions.html", "status.html", "legend.html", "no/such/page.html"]
DRAFT_PAGE = ATTACK_BRIEFING  # a draft briefing (its banner and badge), all its text hostile


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe's findings on the page as it is: 'rule (impact): first element, how to fix'."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated, not a <script>: the page's policy stays
    result = page.evaluate("rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES)
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')[:200]}"
            for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_axe_violation_on_any_page_type(browser: Browser, served: dict[str, str], scheme: str,
                                           viewport: dict[str, int]) -> None:
    found = {}
    for site, pages in (("example", EXAMPLE_PAGES), ("attack", [DRAFT_PAGE])):
        for visit in visit_site(browser, served[site], viewport):
            visit.allowed_errors.append(r"status of 404")  # the 404 page, on purpose
            visit.page.emulate_media(color_scheme=scheme)
            for path in pages:
                problems = violations(visit.open(path))
                if problems:
                    found[f"{site}:{path}"] = problems
    assert found == {}, f"axe ({scheme}, {viewport['width']} px)"
