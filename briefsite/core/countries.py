"""A state's ISO 3166-1 alpha-2 code, found from its names in the Unicode CLDR's territory
names (through Babel): what other tools need to place a state on a map (a STIX `location`)."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

from babel import Locale, UnknownLocaleError

NOT_ISO_3166 = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "TA", "UN", "XK"})
"""Codes CLDR gives territories that ISO 3166-1 reserves without assigning them as countries
(Ascension, Clipperton, Sark, Diego Garcia, Ceuta and Melilla, the EU, the Eurozone, the
Canary Islands, Tristan da Cunha, the UN) or leaves to users (Kosovo's XK)."""


def iso_code(names: Iterable[str], languages: Iterable[str] = ("en",)) -> str | None:
    """The code of the first of `names` that CLDR gives a country in one of `languages`
    (case and accents aside), or None."""
    found = [country_codes(language) for language in dict.fromkeys(languages)]
    for name in names:
        key = _key(name)
        for codes in found:
            if key in codes:
                return codes[key]
    return None


@functools.cache
def country_codes(language: str) -> dict[str, str]:
    """Country names in `language` -> their codes (none for a language CLDR does not know).
    Made once per language: the names are fixed data of the installed Babel."""
    try:
        territories = Locale.parse(language.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        return {}
    return {_key(name): code for code, name in sorted(territories.items())
            if len(code) == 2 and code.isalpha() and code not in NOT_ISO_3166 and not _user_assigned(code)}


def _user_assigned(code: str) -> bool:
    """AA, QM to QZ, XA to XZ and ZZ: ISO 3166-1 leaves them to users (CLDR's QO, XA, XB, ZZ)."""
    return code == "AA" or code == "ZZ" or code[0] == "X" or (code[0] == "Q" and code[1] >= "M")


def _key(name: str) -> str:
    """A name compared case and accents aside ('Türkiye' and 'turkiye' alike)."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
