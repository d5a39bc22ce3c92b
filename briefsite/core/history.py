"""How judgments move between the issued versions of a briefing (ICD 203's seventh
standard: explain changes to, or the consistency of, analytic judgments).

Key judgments and scenarios are followed across versions by their `id`; a version is an
entry of `updates:` with the briefing as it was then (read from git, see read/history.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import get_args

from . import model as m
from . import yardsticks
from .refs import CITATION, citation_ids
from .shown import ENGLISH, Wording
from .vocabulary import Confidence

CONFIDENCES: tuple[str, ...] = get_args(Confidence)


@dataclass(frozen=True)
class Judged:
    """A key judgment or a scenario as one version states it."""

    id: str
    kind: str
    """'judgment' or 'scenario'."""
    text: str
    """A judgment's text, a scenario's title."""
    likelihood: str | None
    confidence: str | None


@dataclass(frozen=True)
class Movement:
    """One judgment since the version before the current one."""

    current: Judged
    previous: Judged | None
    on: dt.date
    """The current version's date."""
    since: dt.date | None
    """The previous version's date (None: there is none)."""
    reason: str = ""
    """The note of the update that issued the current version (Markdown)."""
    yardstick: yardsticks.Yardstick = yardsticks.DEFAULT
    """The site's, whose ranges the sentences give."""

    @property
    def new(self) -> bool:
        return self.since is not None and self.previous is None

    @property
    def likelihood_step(self) -> int:
        """+1 up, -1 down, 0 the same (or not rated in one of the two)."""
        if self.previous is None or not self.previous.likelihood or not self.current.likelihood:
            return 0
        now, was = yardsticks.resolve(self.current.likelihood), yardsticks.resolve(self.previous.likelihood)
        if now is None or was is None:
            return 0
        # by the terms' middles: a version issued on the other yardstick compares too
        return (now.midpoint > was.midpoint) - (now.midpoint < was.midpoint)

    @property
    def confidence_step(self) -> int:
        if self.previous is None or not self.previous.confidence or not self.current.confidence:
            return 0
        return CONFIDENCES.index(self.current.confidence) - CONFIDENCES.index(self.previous.confidence)

    @property
    def reworded(self) -> bool:
        return self.previous is not None and self.previous.text.strip() != self.current.text.strip()

    @property
    def regraded(self) -> bool:
        """Its likelihood or confidence differs from the version before (rated or not)."""
        return self.previous is not None and (self.previous.likelihood != self.current.likelihood
                                              or self.previous.confidence != self.current.confidence)

    @property
    def changed(self) -> bool:
        return self.new or self.regraded or self.reworded

    def grading(self, words: Wording = ENGLISH) -> list[str]:
        """How its likelihood and confidence moved, in words (nothing when they did not)."""
        if self.since is None or self.previous is None:
            return []
        said = []
        now, was = self.current, self.previous
        if now.likelihood != was.likelihood:
            terms = {"now": capitalized(likelihood_text(now.likelihood, self.yardstick, words)),
                     "was": likelihood_text(was.likelihood, self.yardstick, words), "day": words.day(self.since)}
            said.append(words._("%(now)s, up from %(was)s on %(day)s", **terms) if self.likelihood_step > 0 else
                        words._("%(now)s, down from %(was)s on %(day)s", **terms) if self.likelihood_step < 0 else
                        words._("%(now)s, was %(was)s on %(day)s", **terms))
        if now.confidence != was.confidence:
            level = words.shown("confidence", now.confidence) if now.confidence else words._("not given")
            said.append(words._("confidence raised to %(level)s", level=level) if self.confidence_step > 0 else
                        words._("confidence lowered to %(level)s", level=level) if self.confidence_step < 0 else
                        words._("confidence now %(level)s", level=level))
        return said

    def sentences(self, words: Wording = ENGLISH) -> list[str]:
        """What moved, in words: ['Very likely (80-95%), up from likely (55-80%) on 2020-10-22']."""
        if self.since is None:
            return []
        if self.previous is None:
            return [words._("New on %(day)s", day=words.day(self.on))]
        said = self.grading(words)
        if self.reworded:
            said.append(words._("reworded since %(day)s", day=words.day(self.since)))
        return said or [words._("unchanged since %(day)s", day=words.day(self.since))]


def likelihood_text(term: str | None, yardstick: yardsticks.Yardstick = yardsticks.DEFAULT,
                    words: Wording = ENGLISH) -> str:
    """'very-likely' -> 'very likely (80-95%)', with the range of the site's yardstick (a term
    of the other, from a version issued before the site changed, with its own)."""
    found = yardsticks.resolve(term, yardstick) if term else None
    if found is None:
        return words._("not rated")
    return words._("%(term)s (%(range)s)", term=words.shown("likelihood", found.key).lower(),
                   range=words.percent_range(found.low, found.high))


def capitalized(text: str) -> str:
    """The first letter upper case, the rest as it is ('very likely (80-95%)' -> 'Very likely (80-95%)')."""
    return text[:1].upper() + text[1:]


def follow_key(b: m.Briefing, item: m.KeyJudgment | m.Scenario) -> str:
    """What follows a key judgment or scenario from one version to the next: its id, or, for
    one written without (content of the format before ids), its place ('#judgment-2')."""
    if item.id:
        return item.id
    if isinstance(item, m.KeyJudgment):
        return f"#judgment-{next(n for n, kj in enumerate(b.key_judgments, start=1) if kj is item)}"
    return f"#scenario-{next(n for n, sc in enumerate(b.scenarios, start=1) if sc is item)}"


def judged(b: m.Briefing) -> dict[str, Judged]:
    """The briefing's key judgments and scenarios, by what follows them (follow_key)."""
    found = {}
    for kj in b.key_judgments:
        key = follow_key(b, kj)
        found[key] = Judged(key, "judgment", kj.text, kj.likelihood, kj.confidence)
    for sc in b.scenarios:
        key = follow_key(b, sc)
        found[key] = Judged(key, "scenario", sc.title, sc.likelihood, None)
    return found


def judged_as(old: m.Briefing, new: m.Briefing) -> dict[str, Judged]:
    """The judgments of an earlier version, keyed as the later version's are: one the earlier
    version gave no id is taken for the later one's at the same place (ids added since)."""
    before, now = judged(old), judged(new)
    keyed = {}
    for key, j in before.items():
        if key.startswith("#"):
            kind, place = key[1:].split("-")
            later = [k for k, jn in now.items() if jn.kind == kind]
            n = int(place) - 1
            if n < len(later) and later[n] not in before:
                key = later[n]
        keyed[key] = dataclasses.replace(j, id=key)
    return keyed


def movements(versions: tuple[m.Version, ...],
              yardstick: yardsticks.Yardstick = yardsticks.DEFAULT) -> dict[str, Movement]:
    """Each judgment of the newest version since the one before it, by id."""
    if not versions:
        return {}
    now = judged(versions[-1].briefing)
    before = judged_as(versions[-2].briefing, versions[-1].briefing) if len(versions) > 1 else {}
    since = versions[-2].date if len(versions) > 1 else None
    return {jid: Movement(j, before.get(jid), versions[-1].date, since, versions[-1].note, yardstick)
            for jid, j in now.items()}


@dataclass(frozen=True)
class IndicatorChange:
    scenario: str
    text: str
    old: str
    new: str


@dataclass(frozen=True)
class Changes:
    """What changed from one version to the next."""

    since: dt.date
    added: list[Judged] = field(default_factory=list)
    removed: list[Judged] = field(default_factory=list)
    regraded: list[Movement] = field(default_factory=list)
    reworded: list[Movement] = field(default_factory=list)
    indicators: list[IndicatorChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.regraded or self.reworded or self.indicators)


def changes(versions: tuple[m.Version, ...], yardstick: yardsticks.Yardstick = yardsticks.DEFAULT) -> Changes | None:
    """What the newest version changed since the one before it (None: only one version)."""
    if len(versions) < 2:
        return None
    old, new = versions[-2], versions[-1]
    before, now = judged_as(old.briefing, new.briefing), judged(new.briefing)
    moved = movements(versions, yardstick)
    return Changes(
        since=old.date,
        added=[j for jid, j in now.items() if jid not in before],
        removed=[j for jid, j in before.items() if jid not in now],
        regraded=[mv for mv in moved.values() if mv.regraded],
        reworded=[mv for mv in moved.values() if mv.reworded],
        indicators=_indicator_changes(old.briefing, new.briefing),
    )


def in_words(found: Changes, plain: Callable[[str], str], words: Wording = ENGLISH) -> list[str]:
    """What changed, one line each, as the "What changed" block says it (for the feed);
    `plain` makes a Markdown text plain."""
    said = [words._("new %(kind)s: %(text)s", kind=words.shown("item", j.kind), text=plain(j.text))
            for j in found.added]
    said += [words._("removed %(kind)s: %(text)s", kind=words.shown("item", j.kind), text=plain(j.text))
             for j in found.removed]
    said += [words._("re-graded: %(text)s (%(how)s)", text=plain(mv.current.text), how="; ".join(mv.grading(words)))
             for mv in found.regraded]
    said += [words._("reworded: %(text)s", text=plain(mv.current.text)) for mv in found.reworded]
    said += [words._("indicator %(text)s (%(scenario)s): %(old)s → %(new)s", text=plain(c.text), scenario=c.scenario,
                     old=words.shown("indicator", c.old), new=words.shown("indicator", c.new))
             for c in found.indicators]
    return said


def indicator_statuses(old: m.Briefing, new: m.Briefing) -> dict[tuple[str, str], str]:
    """The statuses of an earlier version's indicators by (what follows their scenario, as the
    later version keys it: judged_as; the indicator's text)."""
    before = judged(old)
    later = [key for key, j in judged(new).items() if j.kind == "scenario"]
    found: dict[tuple[str, str], str] = {}
    for n, s in enumerate(old.scenarios):
        key = follow_key(old, s)
        if key.startswith("#") and n < len(later) and later[n] not in before:  # as judged_as does
            key = later[n]
        found.update({(key, i.text.strip()): i.status for i in s.indicators})
    return found


def _indicator_changes(old: m.Briefing, new: m.Briefing) -> list[IndicatorChange]:
    """Indicators whose status changed, matched by their scenario (followed as judgments are)
    and the indicator's text."""
    was = indicator_statuses(old, new)
    found = []
    for s in new.scenarios:
        key = follow_key(new, s)
        found += [IndicatorChange(s.title, i.text, was[(key, i.text.strip())], i.status) for i in s.indicators
                  if was.get((key, i.text.strip()), i.status) != i.status]
    return found


@dataclass(frozen=True)
class Point:
    """A judgment in one version: a row of its history table, a point of its sparkline
    (render.helper.PageHelper.judgment_history)."""

    date: dt.date
    likelihood: str | None
    confidence: str | None


# --- An earlier version as the site shows it ---------------------------------------------

def fitted(b: m.Briefing, actors: Container[str], sources: Container[str], briefings: Container[str]) -> m.Briefing:
    """An earlier version made to fit the library as it is now: actors, sources and related
    briefings it named that the library no longer holds (or a public build withholds) are
    left out of its lists and citations; a link to one shows as text (see markup)."""

    def known_citations(match: re.Match[str]) -> str:
        ids = [sid for sid in citation_ids(match.group(1)) if sid in sources]
        return "[" + "; ".join(f"@{sid}" for sid in ids) + "]" if ids else ""

    def walk(value: object, key: str = "") -> object:
        if isinstance(value, str):
            return CITATION.sub(known_citations, value)
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            items = [walk(v, key) for v in value]
            keep: Container[str] | None = {"sources": sources, "actors": actors, "related": briefings}.get(key)
            if keep is not None:
                items = [v for v in items if (v.get("actor") if isinstance(v, dict) else v) in keep]
            return items
        return value

    return m.Briefing.model_validate(walk(b.model_dump()))
