"""A briefing and its translations: one situation, written in several languages.

A translation names its original with `translation_of`; lists show the original once, with
its translations' languages beside it, and each page links the others (read/translations.py
checks that every translation names an original in another language).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from . import model as m


def language_of(b: m.Briefing, site: m.SiteConfig) -> str:
    """The language a briefing is written in: its own `lang`, else the site's."""
    return b.lang or site.language


def originals(briefings: Mapping[str, m.Briefing]) -> Iterator[tuple[str, m.Briefing]]:
    """The briefings that translate none, in the library's order: each situation once, as lists show them."""
    return ((bid, b) for bid, b in briefings.items() if b.translation_of is None)


def translations(briefings: Mapping[str, m.Briefing]) -> dict[str, list[str]]:
    """Original id -> the ids of its translations, in the library's order (originals without
    translations are not keys)."""
    found: dict[str, list[str]] = {}
    for bid, b in briefings.items():
        if b.translation_of is not None:
            found.setdefault(b.translation_of, []).append(bid)
    return found


Languages = Callable[[str], list[tuple[str, str]]]
"""For a briefing id: (id, language) of its original and each translation of it, the original
first: the pages that link each other; [] for a briefing without translations, or none of that id."""


def languages(briefings: Mapping[str, m.Briefing], site: m.SiteConfig) -> Languages:
    """The versions in each language of every briefing, found once for the whole library (asked
    of each briefing, they would read every other one each time)."""
    translated = translations(briefings)

    def of(bid: str) -> list[tuple[str, str]]:
        b = briefings.get(bid)
        if b is None:  # a page kept from an earlier render may ask of one since removed
            return []
        original = b.translation_of or bid
        ids = [i for i in [original, *translated.get(original, [])] if i in briefings]
        return [(i, language_of(briefings[i], site)) for i in ids] if len(ids) > 1 else []
    return of
