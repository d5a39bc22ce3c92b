"""How a briefing's judgments moved, for its pages: the movement line under each judgment,
the "What changed" block, a judgment's history table and its sparkline (an inline SVG of
its likelihood over the versions, drawn at build time like the graphs)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from markupsafe import Markup

from ..core import history, yardsticks
from ..core import model as m
from ..core.refs import WIKILINK
from ..core.shown import ENGLISH, Wording
from .context import Reading
from .markup import Link, plain_text

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 160, 42, 4


def versions_of(reading: Reading, bid: str) -> tuple[m.Version, ...]:
    """The briefing's versions; for a dated version's page, those up to it (its own view:
    it reads no later version)."""
    if bid in reading.versions:
        shown = reading.versions[bid]
        reading.view("version", bid, shown[-1].date.isoformat())
        return shown
    return reading.view("history", bid)  # type: ignore[no-any-return]


def movement_html(movement: history.Movement | None, reason: Markup, words: Wording = ENGLISH) -> Markup:
    """'Very likely (80-95%), up from likely (55-80%) on 2020-10-22; confidence raised to high.
    Because: ...' (empty when the briefing has one version)."""
    if movement is None or movement.since is None:
        return Markup("")
    said = "; ".join(movement.sentences(words))
    css = "kj-movement changed" if movement.changed else "kj-movement"
    why = Markup(' <span class="kj-reason">{}</span>').format(reason) if movement.changed and reason else ""
    return Markup('\n<p class="{}">{}.{}</p>').format(css, said[0].upper() + said[1:], why)


def plain(text: str, link_to: Callable[[str], Link | None], words: Wording = ENGLISH) -> str:
    """A Markdown text shown plain, each [[link]] as its target's name (as a sentence shows it),
    or words._("(unpublished)") for what the site does not hold (an earlier version's links, a withheld
    briefing)."""
    def shown(match: re.Match[str]) -> str:
        target = link_to(match.group(1).strip())
        if target is None:
            return (match.group(2) or "").strip() or words._("(unpublished)")
        return (match.group(2) or "").strip() or (target.title_inside if match.start() else target.title)

    return plain_text(WIKILINK.sub(shown, text))


def sparkline(points: list[history.Point], label: str,
              yardstick: yardsticks.Yardstick = yardsticks.DEFAULT, words: Wording = ENGLISH) -> Markup:
    """The likelihood band of each version as a small line chart, with its points in words:
    each term stands at its place on the site's yardstick (a term of the other yardstick, from
    a version issued before the site changed, at the middle of its own range)."""
    rated = [(n, p, t) for n, p in enumerate(points) if (t := yardsticks.resolve(p.likelihood or "", yardstick))]
    if len(rated) < 2:
        return Markup("")
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(points) - 1, 1)
    low, high = yardstick.terms[0].midpoint, yardstick.terms[-1].midpoint

    def height(percent: float) -> float:
        return SPARK_HEIGHT - SPARK_PAD - (percent - low) / (high - low) * (SPARK_HEIGHT - 2 * SPARK_PAD)

    coords = [(SPARK_PAD + n * step, height(t.midpoint)) for n, _, t in rated]
    bands = "".join(f'<line x1="0" x2="{SPARK_WIDTH}" y1="{y:.1f}" y2="{y:.1f}"/>'
                    for y in (height(t.midpoint) for t in yardstick.terms))
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2"/>' for x, y in coords)
    said = "; ".join(words._("%(term)s on %(day)s", term=words.shown("likelihood", t.key).lower(),
                             day=words.day(p.date)) for _, p, t in rated)
    title = html.escape(f"{label}: {said}")
    return Markup(  # noqa: S704 - numbers, and text escaped above
        f'<svg class="sparkline" role="img" aria-label="{title}" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" '
        f'viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}"><title>{title}</title>'
        f'<g stroke="currentColor" stroke-opacity="0.2" stroke-width="0.5">{bands}</g>'
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        f'<g fill="currentColor">{dots}</g></svg>')
