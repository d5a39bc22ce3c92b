"""The project's own words in the reader's language: gettext catalogues (`briefsite/locale/
<language>.po`, read with Babel, no compiled files kept) and dates in the language's format.

English is the language the templates are written in: it needs no catalogue. A language
without a catalogue shows the English words (the build says so, see `missing_catalogue`).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import hashlib
import io
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE = Path(__file__).resolve().parent.parent / "locale"
"""One catalogue file per language (`ru.po`, `pt_BR.po`) and the template of them all
(`messages.pot`, made by `python -m tests.catalogue_words`)."""
SOURCE_LANGUAGE = "en"


def catalogue_file(language: str) -> Path | None:
    """The catalogue for a language tag: its own (pt-BR: pt_BR.po), else its language's (pt.po)."""
    parts = language.replace("_", "-").split("-")
    for name in ("_".join([parts[0].lower(), *parts[1:]]), parts[0].lower()):
        path = LOCALE / f"{name}.po"
        if path.is_file():
            return path
    return None


def catalogue_languages() -> list[str]:
    """The languages with a catalogue, besides English."""
    return sorted(p.stem.replace("_", "-") for p in LOCALE.glob("*.po"))


def missing_catalogue(language: str) -> bool:
    """True when the site's words would stay English for lack of a catalogue."""
    return _primary(language) != SOURCE_LANGUAGE and catalogue_file(language) is None


def catalogue_digest(language: str) -> str:
    """What the pages' words in a language depend on: its catalogue's bytes (a change to it
    renders every page again)."""
    path = catalogue_file(language) if _primary(language) != SOURCE_LANGUAGE else None
    return f"{language}:" + (hashlib.sha256(path.read_bytes()).hexdigest() if path else "")


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of a language, compiled in memory (a few milliseconds, once a process)."""
    path = catalogue_file(language) if _primary(language) != SOURCE_LANGUAGE else None
    if path is None:
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=_babel_locale(language))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # entries marked fuzzy are left out: their English shows
    compiled.seek(0)
    return Translations(compiled)


def format_day(day: dt.date, language: str) -> str:
    """A date as readers of the language write it (Babel's medium format: 15 окт. 2020 г.,
    15 oct. 2020); in English the ISO date (2020-10-15) the site has always shown, which no
    reader of English misreads as another day."""
    if _primary(language) == SOURCE_LANGUAGE:
        return day.isoformat()
    locale = _babel_locale(language)
    return format_date(day, "medium", locale=locale) if locale else day.isoformat()


@functools.cache
def language_name(tag: str) -> str:
    """A language's name in that language, as CLDR writes it (ru: русский, hy: հայերեն), for
    a reader looking for their own; the tag itself for a language CLDR does not name."""
    locale = _babel_locale(tag)
    name = locale.get_display_name(locale) if locale else None
    return name or tag


def _primary(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


@functools.cache
def _babel_locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(_primary(language))
        except (UnknownLocaleError, ValueError):
            return None
