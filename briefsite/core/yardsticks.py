"""The two probability yardsticks desks use: each likelihood term, its range and its
synonym. A site names its yardstick in site.yaml (`yardstick: icd-203 | phia`); the terms
of the other stay readable in earlier versions, which keep the term they were issued with.

- ICD 203: US Intelligence Community Directive 203, Analytic Standards (2015), the table
  of expressions of likelihood (each term with its synonym and range).
- PHIA: the UK Professional Head of Intelligence Assessment's Probability Yardstick (2019
  edition), which leaves gaps between its terms on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .shown import N_

YardstickName = Literal["icd-203", "phia"]


@dataclass(frozen=True)
class Term:
    """One likelihood term of a yardstick."""

    key: str
    """As written in YAML: 'very-likely'."""
    low: int
    high: int
    """Its range, in per cent."""
    synonym: str
    """The other words the yardstick gives the term ('' when it gives none)."""

    @property
    def label(self) -> str:
        """'Very likely'."""
        return self.key.replace("-", " ").capitalize()

    @property
    def range(self) -> str:
        """'80-95%'."""
        return f"{self.low}-{self.high}%"

    @property
    def midpoint(self) -> float:
        """Where the term stands on one line with every term of both yardsticks (for the
        direction of a change, and the Brier score of a resolved judgment)."""
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Yardstick:
    key: YardstickName
    name: str
    """'ICD 203'."""
    title: str
    """What it is, for the legend: the table that defines it."""
    terms: tuple[Term, ...]
    """Lowest first."""

    def term(self, key: str) -> Term | None:
        return next((t for t in self.terms if t.key == key), None)

    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.terms)

    def nearest(self, percent: float) -> Term:
        """The term whose range holds `percent` (of two that share an end, the one whose middle
        is nearer), else the one whose range is nearest it."""
        def distance(t: Term) -> tuple[float, float]:
            outside = 0 if t.low <= percent <= t.high else min(abs(t.low - percent), abs(t.high - percent))
            return outside, abs(t.midpoint - percent)
        return min(self.terms, key=distance)


ICD_203 = Yardstick("icd-203", "ICD 203", N_("the table of expressions of likelihood in US Intelligence Community "
                                       "Directive 203, Analytic Standards (ICD 203, 2015)"), (
    Term("almost-no-chance", 1, 5, "remote"),
    Term("very-unlikely", 5, 20, "highly improbable"),
    Term("unlikely", 20, 45, "improbable"),
    Term("roughly-even-chance", 45, 55, "roughly even odds"),
    Term("likely", 55, 80, "probable"),
    Term("very-likely", 80, 95, "highly probable"),
    Term("almost-certain", 95, 99, "nearly certain"),
))
PHIA = Yardstick("phia", "PHIA", N_("the Probability Yardstick of the UK Professional Head of Intelligence "
                                 "Assessment (PHIA, 2019)"), (
    Term("remote-chance", 0, 5, ""),
    Term("highly-unlikely", 10, 20, ""),
    Term("unlikely", 25, 35, ""),
    Term("realistic-possibility", 40, 50, ""),
    Term("likely", 55, 75, "probable"),
    Term("highly-likely", 80, 90, ""),
    Term("almost-certain", 95, 100, ""),
))
YARDSTICKS: dict[str, Yardstick] = {y.key: y for y in (ICD_203, PHIA)}
DEFAULT = ICD_203

ALL_TERMS: tuple[str, ...] = tuple(dict.fromkeys(k for y in YARDSTICKS.values() for k in y.keys()))
"""Every term of every yardstick: what the format reads (a site accepts its own yardstick's)."""


def resolve(key: str, yardstick: Yardstick = DEFAULT) -> Term | None:
    """A term as a site shows it: from its own yardstick (a term both share, such as 'likely',
    takes the site's range), else from the other (an earlier version issued before the site
    changed yardstick keeps its term)."""
    found = yardstick.term(key)
    if found is not None:
        return found
    return next((t for y in YARDSTICKS.values() for t in y.terms if t.key == key), None)


def of(name: str | None) -> Yardstick:
    return YARDSTICKS.get(name or "", DEFAULT)
