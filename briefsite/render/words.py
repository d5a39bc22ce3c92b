"""The project's own words in the reader's language: gettext catalogues (`briefsite/locale/
<language>.po`, read with Babel, no compiled files kept) and dates in the language's format.

English is the language the templates are written in: it needs no catalogue. A language
without a catalogue shows the English words (the build says so, see `missing_catalogue`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import gettext
import hashlib
import io
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent, parse_pattern
from babel.support import Translations

from ..core.catalogues import LOCALE, SOURCE_LANGUAGE, catalogue_file, primary_language
from ..core.shown import N_, shown


def catalogues_digest(site_language: str) -> str:
    """What the pages' words depend on (a translated briefing's pages are in its language):
    the site's language and every catalogue's bytes (a change to one renders the pages again)."""
    files = sorted(LOCALE.glob("*.po"))
    return "|".join([site_language, *(f"{f.name}:{hashlib.sha256(f.read_bytes()).hexdigest()}" for f in files)])


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of a language, compiled in memory (a few milliseconds, once a process)."""
    path = catalogue_file(language) if primary_language(language) != SOURCE_LANGUAGE else None
    if path is None:
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=babel_locale(language))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # entries marked fuzzy are left out: their English shows
    compiled.seek(0)
    return Translations(compiled)


def format_day(day: dt.date, language: str) -> str:
    """A date as readers of the language write it (Babel's medium format: 15 окт. 2020 г.,
    15 oct. 2020); in English the ISO date (2020-10-15) the site has always shown, which no
    reader of English misreads as another day."""
    if primary_language(language) == SOURCE_LANGUAGE:
        return day.isoformat()
    locale = babel_locale(language)
    return format_date(day, "medium", locale=locale) if locale else day.isoformat()


@functools.cache
def language_name(tag: str) -> str:
    """A language's name in that language, as CLDR writes it (ru: русский, hy: հայերեն), for
    a reader looking for their own; the tag itself for a language CLDR does not name."""
    locale = babel_locale(tag)
    name = locale.get_display_name(locale) if locale else None
    return name or tag


@functools.cache
def babel_locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(primary_language(language))
        except (UnknownLocaleError, ValueError):
            return None


class Words:
    """The project's words in one language, for the Python code that writes reader text (a
    feed's title, a graph's sentences, a citation): the same catalogue the templates read.
    Babel extracts the messages of calls such as `words._("...")` and `words.pgettext(...)`."""

    def __init__(self, language: str = SOURCE_LANGUAGE):
        self.language = language
        self.catalogue = translations(language)
        self.locale = babel_locale(language) if primary_language(language) != SOURCE_LANGUAGE else None

    def _(self, message: str, **values: object) -> str:
        """The message in the language, its %(name)s placeholders filled."""
        text = self.catalogue.gettext(message)
        return text % values if values else text

    def translate(self, message: str, context: str | None = None) -> str:
        """A message marked elsewhere (N_, NP_ in a table): the extractor reads the mark, not this call."""
        return self.catalogue.pgettext(context, message) if context else self.catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The form of the message for the count `n` (filled as %(num)d, with `values`)."""
        return self.catalogue.ngettext(singular, plural, n) % {"num": n, **values}

    def pgettext(self, context: str, message: str, **values: object) -> str:
        """A message with a context: an English word that means different things."""
        text = self.catalogue.pgettext(context, message)
        return text % values if values else text

    def shown(self, context: str, value: object) -> str:
        """A value from the YAML as readers see it (core/shown.py): 'armed-group' -> 'armed group'."""
        found_context, message = shown(context, value)
        return self.translate(message, found_context)

    def number(self, value: float) -> str:
        """A number as the language writes it (English as Python does: 0.25, 1200)."""
        return format_decimal(value, locale=self.locale) if self.locale else f"{value:g}"

    def fixed(self, value: float, digits: int) -> str:
        """A number with `digits` decimals, as the language writes it: 0.250, 0,250."""
        if self.locale is None:
            return f"{value:.{digits}f}"
        return format_decimal(value, format="0." + "0" * digits if digits else "0", locale=self.locale)

    def percent(self, share: float, digits: int = 0) -> str:
        """A share (0.25) as a percentage in the language: 25%, 25 %."""
        if self.locale is None:
            return f"{share * 100:.{digits}f}%"
        pattern = parse_pattern(self.locale.percent_formats[None].pattern)
        pattern.frac_prec = (digits, digits)
        return pattern.apply(share, self.locale)

    def percent_range(self, low: float, high: float) -> str:
        """A range of percentages: 55-80% in English, 55–80 % in Russian."""
        if self.locale is None:
            return f"{low:g}-{high:g}%"
        return f"{format_decimal(low, locale=self.locale)}\u2013{format_percent(high / 100, locale=self.locale)}"

    def day(self, day: dt.date) -> str:
        return format_day(day, self.language)

    def month(self, year: int, month: int, short: bool = False) -> str:
        """'October 2020' ('Oct 2020' short), 'октябрь 2020 г.': a month as a heading names it."""
        if self.locale is None:
            return f"{(calendar.month_abbr if short else calendar.month_name)[month]} {year}"
        return format_date(dt.date(year, month, 1), "LLL y" if short else "LLLL y", locale=self.locale)

    def long_day(self, day: dt.date) -> str:
        """'22 октября 2020 г.': a date written out, as a citation gives it."""
        return format_date(day, "long", locale=self.locale) if self.locale else day.isoformat()

    def short_day(self, day: dt.date) -> str:
        """'14 Oct 2020', '14 окт. 2020': a day of the timeline."""
        if self.locale is None:
            return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"
        return format_date(day, "d MMM y", locale=self.locale)


@functools.cache
def words_for(language: str) -> Words:
    """The words of a language (made once a process, like its catalogue)."""
    return Words(language)


ENGLISH_WORDS = Words(SOURCE_LANGUAGE)
"""The words as the templates write them (no catalogue)."""


def script_words(language: str) -> dict[str, str]:
    """What the site's search scripts say (output/search_assets), in the language: the theme
    override writes them into every page as JSON, and the scripts read them from there."""
    words = words_for(language)
    return {
        "search.from_disk": words._(
            "Search works when the site is served, not opened as a file. To read it with search, run "
            "\u201cpython build_brief.py view\u201d in the project, or serve this folder with any web server "
            "(\u201cpython3 -m http.server\u201d), and open the address it prints."),
        "search.needs_server": words._("Search (needs the site served)"),
    }


ENGINE_WORDS = (N_("Home"), N_("Actors"), N_("Sources"), N_("Glossary"), N_("Browse"), N_("Timeline"), N_("Tags"),
                N_("Regions"), N_("By status"), N_("Trends"), N_("Watch list"), N_("Track record"),
                N_("How to read a briefing"), N_("Switch to dark mode"), N_("Switch to light mode"))
"""The words of the tool's engine settings (briefsite/defaults/mkdocs.yml) that readers see:
the navigation's titles and the colour switch's."""


def engine_defaults_in(values: dict[str, Any], language: str) -> dict[str, Any]:
    """The tool's engine settings (`nav:`, the theme's palette) with their words in the language;
    a project's own settings are left as the desk wrote them (they are not in `values`)."""
    words = words_for(language)

    def shown(text: Any) -> Any:
        return words.translate(text) if isinstance(text, str) and text in ENGINE_WORDS else text

    def nav(items: Any) -> Any:
        if isinstance(items, list):
            return [nav(item) for item in items]
        if isinstance(items, dict):
            return {shown(title): nav(target) for title, target in items.items()}
        return items

    found = dict(values)
    if "nav" in found:
        found["nav"] = nav(found["nav"])
    palette = found.get("theme", {}).get("palette") if isinstance(found.get("theme"), dict) else None
    if isinstance(palette, list):
        found["theme"] = {**found["theme"], "palette": [
            {**p, "toggle": {**p["toggle"], "name": shown(p["toggle"].get("name"))}}
            if isinstance(p, dict) and isinstance(p.get("toggle"), dict) else p for p in palette]}
    return found
