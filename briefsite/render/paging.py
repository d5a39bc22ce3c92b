"""Long lists cut into pages, so that every page stays small at any size (docs/views.md,
"Pages that stay small"): the archive of every briefing by year, the timeline by year and
month, the sources and the actors by initial, the groups of the tags, regions and status
indexes. While a list is short each view keeps its one page, and nothing here is made.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ..core import model as m
from ..core.translations import originals
from .views import Group, MonthGroup, YearGroup, sort_key
from .words import ENGLISH_WORDS, Words, words_for

TIMELINE_WHOLE = 400
"""Events the timeline shows on one page; a library with more has a page per year (or per
month of a long year) and the timeline page lists them."""
TIMELINE_PAGE = 200
"""Events on one page of a split timeline: a longer year gets a page per month, and a
longer month pages of this many."""


@dataclass(frozen=True)
class TimelinePage:
    """One page of a split timeline: a year, a month of a long year, or part of a long month."""

    page: str
    """'timeline/2020.md', 'timeline/2020-03.md', 'timeline/2020-03-2.md' (00: the month is not known)."""
    label: str
    year: int
    years: list[YearGroup]
    """What it shows: one year, with all its months or one of them (or part of one)."""

    @property
    def count(self) -> int:
        return sum(y.count for y in self.years)


def timeline_pages(groups: list[YearGroup], words: Words = ENGLISH_WORDS) -> list[TimelinePage]:
    """The timeline in pages of at most about TIMELINE_PAGE events, oldest first (none while
    it fits on one page)."""
    if sum(y.count for y in groups) <= TIMELINE_WHOLE:
        return []
    pages = []
    for y in groups:
        if y.count <= TIMELINE_PAGE:
            pages.append(TimelinePage(f"timeline/{y.year}.md", str(y.year), y.year, [y]))
            continue
        for mg in y.months:
            runs = [mg.items[i:i + TIMELINE_PAGE] for i in range(0, len(mg.items), TIMELINE_PAGE)]
            for n, run in enumerate(runs, start=1):
                name = f"timeline/{y.year}-{mg.month:02d}" + (f"-{n}" if n > 1 else "") + ".md"
                label = part_label(mg.label, n, len(runs), words)
                part = MonthGroup(mg.month, mg.label, mg.anchor, run)
                pages.append(TimelinePage(name, label, y.year, [YearGroup(y.year, y.anchor, [part])]))
    return pages


def in_parts(ids: list[str], size: int) -> list[tuple[int, int, list[str]]]:
    """(part, parts, ids) of a list cut into parts of `size` (one part, maybe empty, at least)."""
    parts = max(1, -(-len(ids) // size))
    return [(part, parts, ids[(part - 1) * size:part * size]) for part in range(1, parts + 1)]


def part_page(stem: str, part: int) -> str:
    """'archive/2020.md' for the first part, 'archive/2020-2.md' for the second."""
    return f"{stem}.md" if part == 1 else f"{stem}-{part}.md"


HOME_LATEST = 20
"""Briefings the home page lists; a library with more has an archive of them all, by year."""
ARCHIVE_PAGE = 200
"""Briefings on one page of the archive: a year with more is split into pages of this many."""


@dataclass(frozen=True)
class ArchivePage:
    """One page of the archive of every briefing: a year, or part of a long year."""

    page: str
    """'archive/2020.md', or 'archive/2020-2.md' for the second page of a long year."""
    year: int
    part: int
    """1, 2, ... within the year."""
    parts: int
    briefings: list[str]
    """Ids, newest first."""
    words: Words = field(default=ENGLISH_WORDS, compare=False, repr=False)
    """The site's words, for the label."""

    @property
    def label(self) -> str:
        return part_label(str(self.year), self.part, self.parts, self.words)


def archive(lib: m.Library) -> list[ArchivePage]:
    """Every briefing by year, newest first, in pages of at most ARCHIVE_PAGE (none while the
    home page lists them all)."""
    listed = list(originals(lib.briefings))
    if len(listed) <= HOME_LATEST:
        return []
    years: dict[int, list[str]] = {}
    for bid, b in listed:  # newest first already
        years.setdefault(b.date.year, []).append(bid)
    words = words_for(lib.site.language)
    return [ArchivePage(part_page(f"archive/{year}", part), year, part, parts, ids, words)
            for year in sorted(years, reverse=True) for part, parts, ids in in_parts(years[year], ARCHIVE_PAGE)]


SOURCES_WHOLE = 300
"""Sources the sources page lists whole; a library with more has a page per initial of
their titles (in parts of SOURCES_PAGE), and the sources page lists those."""
SOURCES_PAGE = 150
CITED_SHOWN = 30
"""Briefings a source's entry names as citing it (the newest); the rest are counted."""


@dataclass(frozen=True)
class SourcePage:
    """One page of the sources (or of the actors), by the initial of their titles (names)."""

    page: str
    """'sources/a.md', 'sources/a-2.md', 'sources/0-9.md', 'sources/other.md' (or 'actors/by-name/...')."""
    initial: str
    """'A', '0-9' or 'Other' (a title in another script, or starting with a sign)."""
    part: int
    parts: int
    sources: list[str]
    """Ids, by title (or name)."""
    words: Words = field(default=ENGLISH_WORDS, compare=False, repr=False)
    """The site's words, for the label."""

    @property
    def label(self) -> str:
        initial = self.words._("Other") if self.initial == "Other" else self.initial
        return part_label(initial, self.part, self.parts, self.words)


def initial_of(title: str) -> str:
    """'A' to 'Z' for a title that starts with a Latin letter (accents aside), '0-9' for a
    digit, 'Other' for the rest."""
    first = next((c for c in title if c.isalnum()), "")
    plain = unicodedata.normalize("NFKD", first)[:1].upper()
    if "A" <= plain <= "Z":
        return plain
    return "0-9" if plain.isdigit() else "Other"


ACTORS_WHOLE = 300
"""Actors the actors page lists whole; a library with more has a page per initial of
their names (in parts of ACTORS_PAGE), and the actors page lists those."""
ACTORS_PAGE = 200
BACKLINKS_SHOWN = 50
"""Briefings an actor's page names as naming it (the newest); the rest are counted."""


def actor_pages(lib: m.Library) -> list[SourcePage]:
    """The actors by the initial of their names, in pages (none while one page holds them)."""
    if len(lib.actors) <= ACTORS_WHOLE:
        return []
    by_initial: dict[str, list[str]] = {}
    for aid, a in lib.actors.items():  # sorted by name already
        by_initial.setdefault(initial_of(a.name), []).append(aid)
    order = sorted(by_initial, key=lambda i: (i == "Other", i != "0-9", i))
    # a folder of its own: an actor's page is actors/<id>.md, and an id may be a letter
    words = words_for(lib.site.language)
    return [SourcePage(part_page(f"actors/by-name/{initial.lower()}", part), initial, part, parts, ids, words)
            for initial in order for part, parts, ids in in_parts(by_initial[initial], ACTORS_PAGE)]


def source_pages(lib: m.Library) -> list[SourcePage]:
    """The sources by initial, in pages of at most SOURCES_PAGE (none while one page holds them)."""
    if len(lib.sources) <= SOURCES_WHOLE:
        return []
    by_initial: dict[str, list[str]] = {}
    for sid in sorted(lib.sources, key=lambda sid: sort_key(lib.sources[sid].title)):
        by_initial.setdefault(initial_of(lib.sources[sid].title), []).append(sid)
    order = sorted(by_initial, key=lambda i: (i == "Other", i != "0-9", i))
    words = words_for(lib.site.language)
    return [SourcePage(part_page(f"sources/{initial.lower()}", part), initial, part, parts, ids, words)
            for initial in order for part, parts, ids in in_parts(by_initial[initial], SOURCES_PAGE)]


GROUPS_WHOLE = 300
"""Briefings an index page (tags, regions, status) lists whole, all groups together; a
library with more has a page per group (in parts of GROUP_PAGE), and the index lists them."""
GROUP_PAGE = 200


@dataclass(frozen=True)
class GroupPage:
    """The page of one group of an index (a tag, a region, a status), or part of a long one."""

    page: str
    """'tags/tag-russia.md', 'tags/tag-russia-2.md', 'regions/region-caucasus.md', 'status/drafts.md'."""
    name: str
    anchor: str
    part: int
    parts: int
    briefings: list[str]
    """Ids, newest first."""
    words: Words = field(default=ENGLISH_WORDS, compare=False, repr=False)
    """The site's words, for the label."""

    @property
    def label(self) -> str:
        return part_label(self.name, self.part, self.parts, self.words)


def part_label(name: str, part: int, parts: int, words: Words) -> str:
    """'2020', or '2020 (2 of 3)' for a part of a long one."""
    return name if parts == 1 else words._("%(name)s (%(part)s of %(parts)s)", name=name, part=part, parts=parts)


def group_pages(folder: str, groups: list[Group], words: Words = ENGLISH_WORDS) -> list[GroupPage]:
    """The groups of an index in pages of their own under `folder` (none while it fits on one)."""
    if sum(len(g.briefings) for g in groups) <= GROUPS_WHOLE:
        return []
    return [GroupPage(part_page(f"{folder}/{g.anchor}", part), g.name, g.anchor, part, parts, ids, words)
            for g in groups for part, parts, ids in in_parts([bid for bid, _ in g.briefings], GROUP_PAGE)]


INDEXES = {"tags": ("tags/index.md", "tags", "Tag"), "regions": ("regions.md", "regions", "Region"),
           "statuses": ("status.md", "status", "Status")}
"""Each index of groups: its page, the folder of its groups' pages, what a group is."""
