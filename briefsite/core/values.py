"""The kinds of value a record's fields hold: ids, Markdown, dates (whole or partial) and
web addresses, each with the message a user sees when a value is not of its kind."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_MAX = 80

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX)]
Markdown = Annotated[str, Field(json_schema_extra={"format": "markdown"})]
Text = str

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _iso_date(value: Any) -> Any:
    """YAML dates arrive as dates; quoted ones as strings. Refuse anything else."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"'{value}' has a time of day; write the date alone, as YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(_impossible_date(value)) from None
    raise ValueError(f"{_shown(value)} is not a date; write YYYY-MM-DD")


def _impossible_date(value: str) -> str:
    """Why a date of the right shape is not a real one, such as 2020-02-30."""
    year, month = (int(p) for p in value.split("-")[:2])
    if year < 1:
        return f"'{value}' is not a real date: there is no year 0"
    if not 1 <= month <= 12:
        return f"'{value}' is not a real date: there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    return f"'{value}' is not a real date: {_MONTHS[month - 1]} {year} has {days} days"


def partial_date(value: Any) -> Any:
    """A timeline date: YYYY-MM-DD, YYYY-MM or YYYY, normalised to a string."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"'{value}' has a time of day; write the date alone, as YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and PARTIAL_DATE.match(value):
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 2 and not 1 <= parts[1] <= 12:
            raise ValueError(f"'{value}' is not a real month: there is no month {parts[1]}")
        if len(parts) == 3:
            _iso_date(value)
        return value
    raise ValueError(f"{_shown(value)} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")


def _shown(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return repr(value) if isinstance(value, str) else str(value)


def indicator_shorthand(value: Any) -> Any:
    """An indicator or an assumption may be a bare Markdown string: the same as {text: ...}."""
    return {"text": value} if isinstance(value, str) else value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date), Field(json_schema_extra={"format": "date"})]
PartialDate = Annotated[str, BeforeValidator(partial_date)]


def _web_address(value: str) -> str:
    """The pattern admits some text that no browser could follow, such as 'http://[a'."""
    try:
        host = urlsplit(value).hostname
    except ValueError:
        host = None
    if not host:
        raise ValueError(f"'{value}' is not a web address: the part after '//' must name a host, "
                         "like https://example.org/page")
    return value


HttpUrl = Annotated[str, StringConstraints(pattern=r"^(?i:https?)://[^\s/$.?#][^\s]*$"), AfterValidator(_web_address)]

# A BCP 47 language tag as HTML's lang attribute takes it: a language, then optional
# subtags such as a script (az-Arab, sr-Latn) or a region (pt-BR).
LANGUAGE_TAG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
# Languages written right to left unless a script subtag says otherwise, and those scripts.
_RTL_LANGUAGES = frozenset("ar arc ckb dv fa he iw ks ku ps sd syr ug ur yi".split())
_RTL_SCRIPTS = frozenset("arab hebr thaa syrc nkoo adlm mand samr".split())


def _language_tag(value: str) -> str:
    """Checked here, not by a pattern, so the message can say what a language tag is."""
    if not re.match(LANGUAGE_TAG, value):
        raise ValueError(f"{_shown(value)} is not a language code; write one such as ru, hy, ar or az-Arab "
                         "(ISO 639, optionally followed by a script or region)")
    return value


LanguageTag = Annotated[str, AfterValidator(_language_tag), Field(json_schema_extra={"pattern": LANGUAGE_TAG})]


def text_direction(tag: str) -> str:
    """'rtl' or 'ltr': how text in the language `tag` runs (a script subtag decides first)."""
    language, *subtags = tag.lower().split("-")
    scripts = [s for s in subtags if len(s) == 4 and s.isalpha()]
    if scripts:
        return "rtl" if scripts[0] in _RTL_SCRIPTS else "ltr"
    return "rtl" if language in _RTL_LANGUAGES else "ltr"
