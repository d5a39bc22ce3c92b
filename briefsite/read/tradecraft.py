"""The checks a careful second reader makes of a briefing before it goes out, against the
site's settings: likelihood terms of the site's yardstick (an error), and the tradecraft
warnings (see docs/errors.md): estimative language (read/estimative.py)."""

from __future__ import annotations

from ..core import model as m
from ..core import yardsticks
from ..core.errors import Report
from .estimative import KINDS, check_prose, check_scenario_set
from .items import Item


def check_tradecraft(briefings: list[Item], site: m.SiteConfig, report: Report) -> None:
    yardstick = yardsticks.of(site.yardstick)
    ignored: set[str] = set(site.ignore_warnings)
    prose = not ignored.issuperset(KINDS)
    sets = "scenario-likelihoods-inconsistent" not in ignored
    files: dict[str, list[str]] = {}  # lines of the files read to place a warning inside a text
    for item in briefings:
        _check_terms(item, yardstick, report)
        if prose:
            report.extend(check_prose(item, yardstick, ignored, files))
        if sets and (inconsistent := check_scenario_set(item, yardstick)) is not None:
            report.add(inconsistent)


def _check_terms(item: Item, yardstick: yardsticks.Yardstick, report: Report) -> None:
    """A likelihood term of the other yardstick: a site states every judgment on one scale."""
    b: m.Briefing = item.record
    rated = [(("key_judgments", i), kj.likelihood) for i, kj in enumerate(b.key_judgments)]
    rated += [(("scenarios", i), s.likelihood) for i, s in enumerate(b.scenarios)]
    for path, term in rated:
        if term is None or yardstick.term(term) is not None:
            continue
        other = yardsticks.resolve(term)
        assert other is not None  # the shape admits the terms of every yardstick
        owner = next(y for y in yardsticks.YARDSTICKS.values() if y.term(term))
        nearest = yardstick.nearest(other.midpoint)
        report.add(item.doc.problem(
            item.path + path + ("likelihood",),
            f"'{term}' is a term of the {owner.name} yardstick ({other.range}), and this site uses {yardstick.name} "
            f"(yardstick: {yardstick.key} in site.yaml); write '{nearest.key}' ({nearest.range}), the nearest "
            f"{yardstick.name} term, or change the site's yardstick"))
