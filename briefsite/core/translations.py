"""A briefing and its translations: one situation, written in several languages.

A translation names its original with `translation_of`; lists show the original once, with
its translations' languages beside it, and each page links the others (read/translations.py
checks that every translation names an original in another language).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

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


def family(bid: str, briefings: Mapping[str, m.Briefing], translated: Mapping[str, list[str]]) -> list[str]:
    """A briefing's original and every translation of it, the original first: the pages that
    link each other (just the briefing itself when it has none)."""
    original = briefings[bid].translation_of or bid
    return [original, *translated.get(original, [])]
