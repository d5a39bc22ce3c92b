"""Two views across the library that keep score: the Watch list (every indicator of every
briefing, by status, newest change first) and the Track record (the judgments and
scenarios whose outcome is known, scored with the Brier score and by term).

Both are pure functions of the library (a public build's is already its public subset, so
they count only what is public). What a page shows of them is bounded: each list holds at
most a fixed number of entries and counts the rest, so the pages stay small at thousands
of briefings.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from ..core import history, yardsticks
from ..core import model as m
from ..core.shown import N_
from ..core.translations import originals
from ..core.vocabulary import IndicatorStatus
from .words import ENGLISH_WORDS, Words

WATCH_LISTED = 100
"""Indicators the Watch list shows of each status (newest change first); it counts the rest."""
RESOLVED_LISTED = 100
"""Resolved judgments the Track record lists (newest outcome first); it counts the rest."""
GROUPS_LISTED = 50
"""Regions the Track record's table shows (most resolved first); it counts the rest."""
FEW_RESOLVED = 10
"""Below this many scored judgments the Track record says its figures mean little."""

WATCH_STATUSES: tuple[tuple[IndicatorStatus, str], ...] = (
    ("observed", "Observed"), ("not-observed", "Not observed"), ("unknown", "Unknown"))
NO_REGION = N_("No region")
"""The Track record's group of the judgments whose briefing names no region."""


def scenario_anchor(b: m.Briefing, sc: m.Scenario) -> str:
    """The anchor of a scenario on its briefing's page: from its id, else from its place
    ('--' cannot occur in an id, so the two never meet)."""
    if sc.id:
        return f"scenario-{sc.id}"
    return f"scenario--{next(n for n, s in enumerate(b.scenarios, start=1) if s is sc)}"


# --- The Watch list --------------------------------------------------------------------------

@dataclass(frozen=True)
class WatchEntry:
    """One indicator of a briefing's scenario, with the date its status was last set."""

    briefing_id: str
    scenario: str
    """The scenario's title."""
    anchor: str
    """The scenario's anchor on the briefing's page."""
    text: str
    status: str
    changed: dt.date
    found_from: str
    """How `changed` was found: 'versions', 'observed' (its observed_on) or 'briefing' (the briefing's date)."""


@dataclass(frozen=True)
class WatchGroup:
    status: str
    label: str
    count: int
    entries: list[WatchEntry] = field(default_factory=list)
    """The newest WATCH_LISTED changes."""

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


def watch_list(lib: m.Library) -> list[WatchGroup]:
    """Every indicator of every briefing, grouped by status (observed, not observed, unknown),
    newest change first (ties: newest briefing first, then in the order written)."""
    found: dict[str, list[WatchEntry]] = {status: [] for status, _ in WATCH_STATUSES}
    for bid, b in originals(lib.briefings):
        statuses = _statuses_by_version(lib.versions.get(bid, ()))
        for sc in b.scenarios:
            for ind in sc.indicators:
                changed, how = _status_set_on(b, sc, ind, statuses)
                found[ind.status].append(WatchEntry(bid, sc.title, scenario_anchor(b, sc), ind.text, ind.status,
                                                    changed, how))
    groups = []
    for status, label in WATCH_STATUSES:
        entries = sorted(found[status], key=lambda e: e.changed, reverse=True)  # stable: ties keep the order
        groups.append(WatchGroup(status, label, len(entries), entries[:WATCH_LISTED]))
    return groups


def _statuses_by_version(versions: tuple[m.Version, ...]) -> list[tuple[dt.date, dict[tuple[str, str], str]]]:
    """Each version's indicator statuses by (the scenario, followed as history follows it; text)
    (none when the briefing has one version: its history says nothing then)."""
    if len(versions) < 2:
        return []
    newest = versions[-1].briefing
    return [(v.date, history.indicator_statuses(v.briefing, newest)) for v in versions]


def _status_set_on(b: m.Briefing, sc: m.Scenario, ind: m.Indicator,
                   statuses: list[tuple[dt.date, dict[tuple[str, str], str]]]) -> tuple[dt.date, str]:
    """The first version of the run of versions, up to the newest, that give the indicator
    its current status; else the date it was observed on; else the briefing's date."""
    if statuses:
        key, since = (history.follow_key(b, sc), ind.text.strip()), None
        for day, status_of in statuses:
            since = (since or day) if status_of.get(key) == ind.status else None
        if since is not None:
            return since, "versions"
    if ind.observed_on is not None:
        return ind.observed_on, "observed"
    return b.date, "briefing"


# --- The Track record ------------------------------------------------------------------------

@dataclass(frozen=True)
class Resolved:
    """A key judgment or a scenario whose outcome is known."""

    briefing_id: str
    kind: str
    """'judgment' or 'scenario'."""
    anchor: str
    """Where it is on its briefing's page."""
    text: str
    """A judgment's text (Markdown), a scenario's title."""
    term: str | None
    """The likelihood term it is scored with (None: it had none, and is not scored)."""
    term_from: dt.date | None
    """The date of the version that stated the term (None: the briefing's current term)."""
    probability: float | None
    """The term's midpoint, 0 to 1."""
    happened: bool
    on: dt.date
    region: str | None

    @property
    def score(self) -> float | None:
        """Its Brier score: the squared distance between the stated probability and what happened."""
        return None if self.probability is None else (self.probability - self.happened) ** 2


@dataclass(frozen=True)
class TermRow:
    """A row of the calibration table: one term, what it stated and how often it happened."""

    term: str
    label: str
    yardstick: str
    """The name of the yardstick it comes from (the site's, or the other for a term of an old version)."""
    low: int
    high: int
    midpoint: float
    count: int
    happened: int

    @property
    def share(self) -> float:
        return self.happened / self.count if self.count else 0.0


@dataclass(frozen=True)
class GroupRow:
    """A row of the tables by region and by year."""

    name: str
    count: int
    happened: int
    brier: float
    stated: float
    """The mean stated probability, 0 to 1 (against the share that happened)."""

    @property
    def share(self) -> float:
        return self.happened / self.count if self.count else 0.0


@dataclass(frozen=True)
class TrackRecord:
    yardstick: str
    resolved: int
    """Judgments and scenarios with an outcome."""
    scored: int
    """Those with a likelihood term (the others cannot be scored)."""
    happened: int
    """Of the scored, those that happened."""
    brier: float | None
    terms: list[TermRow]
    """Every term of the site's yardstick, then any other term scored, lowest first."""
    regions: list[GroupRow]
    regions_more: int
    years: list[GroupRow]
    """By the year of the outcome, newest first."""
    entries: list[Resolved]
    """The RESOLVED_LISTED newest outcomes."""

    @property
    def few(self) -> bool:
        return self.scored < FEW_RESOLVED

    @property
    def more(self) -> int:
        return self.resolved - len(self.entries)


def track_record(lib: m.Library) -> TrackRecord:
    """The judgments and scenarios whose outcome is known, each scored with the midpoint of
    the term it carried in the last version issued before the outcome (history.judged_as
    follows it there), else with its current term."""
    yardstick = yardsticks.of(lib.site.yardstick)
    found = [r for bid, b in originals(lib.briefings) for r in _resolved(bid, b, lib.versions.get(bid, ()), yardstick)]
    found.sort(key=lambda r: r.on, reverse=True)  # stable: ties keep briefing and written order
    scored = [r for r in found if r.probability is not None]
    by_region = _groups(scored, lambda r: r.region or NO_REGION)
    by_region.sort(key=lambda g: (-g.count, g.name.casefold()))
    return TrackRecord(
        yardstick=yardstick.name, resolved=len(found), scored=len(scored), happened=sum(r.happened for r in scored),
        brier=_brier(scored), terms=_term_rows(scored, yardstick),
        regions=by_region[:GROUPS_LISTED], regions_more=max(0, len(by_region) - GROUPS_LISTED),
        years=sorted(_groups(scored, lambda r: str(r.on.year)), key=lambda g: g.name, reverse=True),
        entries=found[:RESOLVED_LISTED])


def _resolved(bid: str, b: m.Briefing, versions: tuple[m.Version, ...], yardstick: yardsticks.Yardstick
              ) -> list[Resolved]:
    items: list[tuple[m.KeyJudgment | m.Scenario, str, str, str]] = [
        (kj, "judgment", "key-judgments", kj.text) for kj in b.key_judgments]
    items += [(sc, "scenario", scenario_anchor(b, sc), sc.title) for sc in b.scenarios]
    found = []
    for item, kind, anchor, text in items:
        if item.outcome is None:
            continue
        term, term_from = _term_before(b, item, item.outcome.on, versions)
        resolved = yardsticks.resolve(term, yardstick) if term else None
        found.append(Resolved(bid, kind, anchor, text, term if resolved else None, term_from if resolved else None,
                              resolved.midpoint / 100 if resolved else None, item.outcome.result == "happened",
                              item.outcome.on, b.region))
    return found


def _term_before(b: m.Briefing, item: m.KeyJudgment | m.Scenario, on: dt.date, versions: tuple[m.Version, ...]
                 ) -> tuple[str | None, dt.date | None]:
    """The term the item carried in the last version issued before `on` that holds it (with
    that version's date), else its current term (and None)."""
    key = history.follow_key(b, item)
    for v in reversed(versions[:-1]):  # the newest version is the current briefing
        if v.date < on:
            judged = history.judged_as(v.briefing, b).get(key)
            if judged is not None:
                return judged.likelihood, v.date
            break
    return item.likelihood, None


def _brier(scored: list[Resolved]) -> float | None:
    return sum(r.score or 0.0 for r in scored) / len(scored) if scored else None


def _term_rows(scored: list[Resolved], yardstick: yardsticks.Yardstick) -> list[TermRow]:
    counts: dict[yardsticks.Term, list[bool]] = {t: [] for t in yardstick.terms}
    for r in scored:
        found = yardsticks.resolve(r.term or "", yardstick)
        if found is not None:
            counts.setdefault(found, []).append(r.happened)
    names = {t: y.name for y in yardsticks.YARDSTICKS.values() for t in y.terms}
    return [TermRow(t.key, t.label, names[t], t.low, t.high, t.midpoint, len(seen), sum(seen))
            for t, seen in sorted(counts.items(), key=lambda kv: (kv[0].midpoint, kv[0].key))]


def _groups(scored: list[Resolved], name_of: Callable[[Resolved], str]) -> list[GroupRow]:
    groups: dict[str, list[Resolved]] = {}
    for r in scored:
        groups.setdefault(name_of(r), []).append(r)
    return [GroupRow(name, len(rs), sum(r.happened for r in rs), _brier(rs) or 0.0,
                     sum(r.probability or 0.0 for r in rs) / len(rs)) for name, rs in groups.items()]


# --- The calibration chart -------------------------------------------------------------------

_SIZE, _LEFT, _TOP, _PLOT = 340, 48, 12, 270
"""The drawing's width and height, the plot's left and top margins and its side, in px."""


def calibration_svg(rows: list[TermRow], yardstick: str, words: Words = ENGLISH_WORDS) -> Markup:
    """The calibration chart: for each term used, its stated range (a bar along the x axis)
    at the height of the share of its judgments that happened, with their count; the
    diagonal is where stated and happened agree. An image with a title and a description
    (the table beside it holds the same figures); its colours come from the stylesheet."""
    used = [r for r in rows if r.count]

    def x(percent: float) -> float:
        return _LEFT + percent / 100 * _PLOT

    def y(percent: float) -> float:
        return _TOP + _PLOT - percent / 100 * _PLOT

    said = "; ".join(words._("%(term)s (%(range)s): %(happened)s of %(count)s happened (%(share)s)",
                             term=words.shown("likelihood", r.term), range=words.percent_range(r.low, r.high),
                             happened=r.happened, count=r.count, share=words.percent(r.share)) for r in used)
    parts = [f'<svg class="calibration-chart" viewBox="0 0 {_SIZE} {_SIZE}" width="{_SIZE}" height="{_SIZE}" '
             'role="img" aria-labelledby="calibration-title calibration-desc" xmlns="http://www.w3.org/2000/svg">',
             '<title id="calibration-title">{}</title>'.format(
                 html.escape(words._("Calibration by %(yardstick)s term", yardstick=yardstick))),
             '<desc id="calibration-desc">{} {}</desc>'.format(
                 html.escape(words._("Stated range of each term against the share of its judgments that happened.")),
                 html.escape(said or words._("No scored judgment yet."))),
             f'<rect class="cal-frame" x="{_LEFT}" y="{_TOP}" width="{_PLOT}" height="{_PLOT}"/>']
    for tick in (0, 25, 50, 75, 100):
        shown = words.percent(tick / 100)
        parts.append(f'<line class="cal-grid" x1="{x(0)}" y1="{y(tick)}" x2="{x(100)}" y2="{y(tick)}"/>')
        parts.append(f'<text class="cal-tick" x="{_LEFT - 6}" y="{y(tick) + 4}" text-anchor="end">{shown}</text>')
        parts.append(f'<text class="cal-tick" x="{x(tick)}" y="{_TOP + _PLOT + 16}" text-anchor="middle">'
                     f'{shown}</text>')
    parts.append(f'<line class="cal-diagonal" x1="{x(0)}" y1="{y(0)}" x2="{x(100)}" y2="{y(100)}"/>')
    for r in used:
        height = y(r.share * 100)
        parts.append(f'<line class="cal-range" x1="{x(r.low)}" y1="{height}" x2="{x(r.high)}" y2="{height}"/>')
        parts.append(f'<circle class="cal-point" cx="{x(r.midpoint)}" cy="{height}" r="4"/>')
        above = height - 9 if height > _TOP + 20 else height + 18
        parts.append(f'<text class="cal-count" x="{x(r.midpoint)}" y="{above}" text-anchor="middle">'
                     f'n={r.count}</text>')
    # the axes' words outside the f-strings: Babel's extractor does not look inside them
    stated, happened = html.escape(words._("Stated probability")), html.escape(words._("Share that happened"))
    parts.append(f'<text class="cal-axis" x="{_LEFT + _PLOT / 2}" y="{_SIZE - 4}" text-anchor="middle">'
                 f'{stated}</text>')
    parts.append(f'<text class="cal-axis" x="12" y="{_TOP + _PLOT / 2}" text-anchor="middle" '
                 f'transform="rotate(-90 12 {_TOP + _PLOT / 2})">{happened}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it is escaped above or a number
