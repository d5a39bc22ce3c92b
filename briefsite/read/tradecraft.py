"""The checks a careful second reader makes of a briefing before it goes out, against the
site's settings and the sources: likelihood terms of the site's yardstick (an error), and the
tradecraft warnings (see docs/errors.md): estimative language (read/estimative.py), confidence
the sourcing does not bear, and confidence resting on an assumption a key assumptions check
found unsupported."""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core import sourcing, yardsticks
from ..core.errors import Problem, Report, Severity
from .estimative import KINDS, check_prose, check_scenario_set
from .items import Item
from .messages import shown
from .warnings import warning


def check_tradecraft(briefings: list[Item], sources: list[Item], site: m.SiteConfig, report: Report) -> None:
    yardstick = yardsticks.of(site.yardstick)
    held = {item.id: item.record for item in sources}
    ignored: set[str] = set(site.ignore_warnings)
    prose = not ignored.issuperset(KINDS)
    sets = "scenario-likelihoods-inconsistent" not in ignored
    files: dict[str, list[str]] = {}  # lines of the files read to place a warning inside a text
    for item in briefings:
        _check_terms(item, yardstick, report)
        report.extend(_overconfident(item, held))
        report.extend(_on_unsupported(item))
        if prose:
            report.extend(check_prose(item, yardstick, ignored, files))
        if sets and (inconsistent := check_scenario_set(item, yardstick)) is not None:
            report.add(inconsistent)


def _overconfident(item: Item, held: dict[str, m.Source]) -> Iterator[Problem]:
    """High confidence needs two independent publishers and a source graded C3 or better
    (sourcing.meets_bar). A judgment citing a source that could not be read is left alone:
    that source's own error comes first, and counting without it would mislead."""
    b: m.Briefing = item.record
    for i, kj in enumerate(b.key_judgments):
        if kj.confidence != "high":
            continue
        ids = kj.rests_on()
        if any(sid not in held for sid in ids):
            continue
        summary = sourcing.summarise(held[sid] for sid in ids)
        short = []
        if summary.count == 0:
            short.append("it rests on no source")
        elif len(summary.publishers) < 2:
            short.append(f"its sources come from one publisher ({summary.publishers[0]}), not two independent ones")
        if summary.count and not summary.meets_bar:
            graded = ", ".join(summary.grades + ("ungraded",) * summary.ungraded)
            short.append(f"none of its sources is graded C3 or better ({graded})")
        if short:
            yield _at_confidence(item, i, "high confidence, but " + " and ".join(short) + "; add a source from "
                                 "another publisher graded C3 or better, or lower the confidence",
                                 "confidence-exceeds-sourcing")


def _on_unsupported(item: Item) -> Iterator[Problem]:
    """A key assumptions check that found an assumption unsupported undercuts high confidence
    in every judgment resting on it."""
    b: m.Briefing = item.record
    position = {kj.id: i for i, kj in enumerate(b.key_judgments) if kj.id}
    for a_index, a in enumerate(b.assumptions):
        if a.status != "unsupported":
            continue
        for jid in dict.fromkeys(a.judgments):
            i = position.get(jid)
            if i is None or b.key_judgments[i].confidence != "high":
                continue
            yield _at_confidence(item, i, f"high confidence, but this judgment rests on assumptions[{a_index}] "
                                 f"({shown(_short(a.text))}), which is rated unsupported; check the assumption "
                                 "again, or lower the confidence", "judgment-on-unsupported-assumption")


def _at_confidence(item: Item, i: int, message: str, kind: str) -> Problem:
    """A warning at the i-th key judgment's confidence, placed where its file was read
    (Facts.confident): a desk's unchanged files are not parsed again to place it."""
    path = ("key_judgments", i, "confidence")
    for where, mark in item.known.confident:
        if where == path:
            return Problem(item.doc.name, mark, path, message, Severity.WARNING, kind)
    return warning(item.doc, path, message, kind)


def _short(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= 60 else words[:57].rstrip() + "..."


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
