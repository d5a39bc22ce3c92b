"""What a judgment's sourcing amounts to (ICD 206's source summary statement): how many
sources, from how many publishers, graded how, archived or not, read when; and the bar a
high-confidence judgment's sources must clear. One rule, used by the page, the PDF and the
tradecraft warnings alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .shown import ENGLISH, Wording
from .vocabulary import CREDIBILITY_MEANINGS, RELIABILITY_MEANINGS

BAR = ("C", 3)
"""The grade a source must reach (or better) to carry a high-confidence judgment alone."""
RELIABILITY_ORDER = list(RELIABILITY_MEANINGS)
CREDIBILITY_ORDER = list(CREDIBILITY_MEANINGS)


def host_of(url: str) -> str:
    """The host of an address, lowercase, without `www.`: who publishes at it."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def publisher_of(source: Any) -> str:
    """Who stands behind a source, as shown: its `publisher`, or the host of its URL without
    `www.` when it names none."""
    if source.publisher:
        return " ".join(str(source.publisher).split())
    return host_of(source.url)


def independent(publishers: Iterable[str]) -> tuple[str, ...]:
    """The distinct publishers, in the order first met: case does not tell two apart."""
    seen: dict[str, str] = {}
    for name in publishers:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


def meets_bar(source: Any) -> bool:
    """Graded C3 or better: reliability A, B or C and credibility 1, 2 or 3. A source without
    both grades does not: nothing says it is good enough."""
    reliability, credibility = source.reliability, source.credibility
    if reliability is None or credibility is None:
        return False
    return RELIABILITY_ORDER.index(reliability) <= RELIABILITY_ORDER.index(BAR[0]) and credibility <= BAR[1]


def grade_of(source: Any) -> str:
    """'B2'; a grade not given shows as '?' ('B?', '?3', '??')."""
    return f"{source.reliability or '?'}{source.credibility or '?'}"


def _grade_order(source: Any) -> tuple[int, int]:
    """Best first; a grade not given after every given one."""
    r, c = source.reliability, source.credibility
    return (RELIABILITY_ORDER.index(r) if r else len(RELIABILITY_ORDER),
            CREDIBILITY_ORDER.index(c) if c else len(CREDIBILITY_ORDER))


@dataclass(frozen=True)
class Summary:
    """The sourcing of one judgment, as its source summary line states it."""

    count: int
    """Sources it rests on that the library holds."""
    publishers: tuple[str, ...]
    """Their distinct publishers (publisher_of, independent), in the order first met."""
    grades: tuple[str, ...]
    """One grade per source that has any grade, best first ('B2', 'C?')."""
    ungraded: int
    """Sources with neither grade."""
    archived: int
    """Sources with an archive_url."""
    newest_read: dt.date | None
    """The latest `accessed` date among them."""
    missing: int = 0
    """Sources it names that the library does not hold (an earlier version's, since removed)."""
    meets_bar: int = 0
    """Sources graded C3 or better."""

    def line(self, words: Wording = ENGLISH) -> str:
        """'Sources: 3 from 2 publishers; graded B2, C3, F6; 2 of 3 archived; newest read 2020-10-20'."""
        if self.count == 0:
            parts = [words._("Sources: none")]
        else:
            parts = [words.ngettext("Sources: %(count)d from %(num)d publisher",
                                    "Sources: %(count)d from %(num)d publishers",
                                    len(self.publishers), count=self.count)]
            if self.grades:
                parts.append(words._("graded %(grades)s", grades=", ".join(self.grades)))
            if self.ungraded:
                parts.append(words._("%(count)d ungraded", count=self.ungraded) if self.grades else words._("ungraded"))
            parts.append(words._("%(archived)d of %(count)d archived", archived=self.archived, count=self.count))
            parts.append(words._("newest read %(day)s", day=words.day(self.newest_read)) if self.newest_read
                         else words._("no read date"))
        if self.missing:
            parts.append(words._("%(count)d no longer listed", count=self.missing))
        return "; ".join(parts)


def summarise(sources: Iterable[Any], missing: int = 0) -> Summary:
    """The summary of the sources a judgment rests on (records of the library, or what
    stands for them: a page's tracked records, whose every read is noted)."""
    held = list(sources)
    graded = sorted((s for s in held if s.reliability or s.credibility), key=_grade_order)
    read = [s.accessed for s in held if s.accessed is not None]
    return Summary(
        count=len(held),
        publishers=independent(publisher_of(s) for s in held),
        grades=tuple(grade_of(s) for s in graded),
        ungraded=len(held) - len(graded),
        archived=sum(1 for s in held if s.archive_url),
        newest_read=max(read) if read else None,
        missing=missing,
        meets_bar=sum(1 for s in held if meets_bar(s)),
    )
