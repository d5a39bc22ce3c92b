"""Where the site's words in other languages are: one gettext catalogue per language in
briefsite/locale/ (`ru.po`, `pt_BR.po`), made from `messages.pot` (render/words.py reads them)."""

from __future__ import annotations

from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"
"""One catalogue file per language (`ru.po`, `pt_BR.po`) and the template of them all
(`messages.pot`, made by `python -m tests.words_catalogue`)."""
SOURCE_LANGUAGE = "en"


def catalogue_file(language: str) -> Path | None:
    """The catalogue for a language tag: its own (pt-BR: pt_BR.po), else its language's (pt.po)."""
    parts = language.replace("_", "-").split("-")
    for name in ("_".join([parts[0].lower(), *parts[1:]]), parts[0].lower()):
        path = LOCALE / f"{name}.po"
        if path.is_file():
            return path
    return None


def missing_catalogue(language: str) -> bool:
    """True when the site's words would stay English for lack of a catalogue."""
    return primary_language(language) != SOURCE_LANGUAGE and catalogue_file(language) is None


def primary_language(language: str) -> str:
    """'pt-BR' -> 'pt'."""
    return language.replace("_", "-").split("-")[0].lower()
