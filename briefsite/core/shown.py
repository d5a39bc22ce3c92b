"""How the values a desk writes in YAML (`likelihood: very-likely`, `kind: armed-group`) are
shown to readers, in English: the messages the site's catalogues translate (render/words.py).
The YAML keeps its English keys; only what is shown is translated.

`N_` and `NP_` only mark a message for extraction (tests/words_catalogue.py): the text is
translated where it is shown, in the language of the site. `NP_` gives the message a context
where one English word means different things (a likelihood term, a confidence level)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools know
    """A message, marked for the catalogues and translated where it is shown."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802
    """A message with its context (pgettext), marked for the catalogues."""
    return message


SHOWN: dict[str, dict[str, str]] = {
    "likelihood": {
        "almost-no-chance": NP_("likelihood", "Almost no chance"),
        "very-unlikely": NP_("likelihood", "Very unlikely"),
        "unlikely": NP_("likelihood", "Unlikely"),
        "roughly-even-chance": NP_("likelihood", "Roughly even chance"),
        "likely": NP_("likelihood", "Likely"),
        "very-likely": NP_("likelihood", "Very likely"),
        "almost-certain": NP_("likelihood", "Almost certain"),
        "remote-chance": NP_("likelihood", "Remote chance"),
        "highly-unlikely": NP_("likelihood", "Highly unlikely"),
        "realistic-possibility": NP_("likelihood", "Realistic possibility"),
        "highly-likely": NP_("likelihood", "Highly likely"),
    },
    "synonym": {
        "remote": NP_("likelihood", "remote"), "highly improbable": NP_("likelihood", "highly improbable"),
        "improbable": NP_("likelihood", "improbable"), "roughly even odds": NP_("likelihood", "roughly even odds"),
        "probable": NP_("likelihood", "probable"), "highly probable": NP_("likelihood", "highly probable"),
        "nearly certain": NP_("likelihood", "nearly certain"),
    },
    "confidence": {
        "low": NP_("confidence", "low"), "moderate": NP_("confidence", "moderate"),
        "high": NP_("confidence", "high"),
    },
    "confidence badge": {
        "low": NP_("confidence badge", "Low confidence"),
        "moderate": NP_("confidence badge", "Moderate confidence"),
        "high": NP_("confidence badge", "High confidence"),
    },
    "status": {"draft": NP_("status", "DRAFT"), "final": NP_("status", "FINAL")},
    "actor kind": {
        "person": NP_("actor kind", "person"), "state": NP_("actor kind", "state"),
        "organization": NP_("actor kind", "organization"), "armed-group": NP_("actor kind", "armed group"),
        "other": NP_("actor kind", "other"),
    },
    "relation": {
        "ally": NP_("relation", "ally"), "partner": NP_("relation", "partner"), "rival": NP_("relation", "rival"),
        "adversary": NP_("relation", "adversary"), "mediator": NP_("relation", "mediator"),
        "member-of": NP_("relation", "member of"), "leads": NP_("relation", "leads"),
        "backs": NP_("relation", "backs"), "other": NP_("relation", "other"),
    },
    "source kind": {
        "news": NP_("source kind", "news"), "opinion": NP_("source kind", "opinion"),
        "analysis": NP_("source kind", "analysis"), "official": NP_("source kind", "official"),
        "dataset": NP_("source kind", "dataset"), "other": NP_("source kind", "other"),
    },
    "assumption": {
        "solid": NP_("assumption", "solid"), "caveated": NP_("assumption", "caveated"),
        "unsupported": NP_("assumption", "unsupported"),
    },
    "indicator": {
        "observed": NP_("indicator", "observed"), "not-observed": NP_("indicator", "not observed"),
        "unknown": NP_("indicator", "unknown"),
    },
    "item": {"judgment": NP_("item", "judgment"), "scenario": NP_("item", "scenario")},
    "watch": {
        "observed": NP_("watch", "Observed"), "not-observed": NP_("watch", "Not observed"),
        "unknown": NP_("watch", "Unknown"),
    },
    "trend": {
        "deteriorated": NP_("trend", "Deteriorated"), "improved": NP_("trend", "Improved"),
        "unchanged": NP_("trend", "Unchanged"), "risk-alert": NP_("trend", "Conflict risk alert"),
        "resolution-opportunity": NP_("trend", "Resolution opportunity"),
    },
}
"""context -> YAML value -> the English shown for it (the msgid, translated with the context)."""


CONTEXTS: dict[str, str] = {"synonym": "likelihood"}
"""Tables whose messages share another's context (a likelihood term's synonym is a likelihood term)."""


def shown(context: str, value: object) -> tuple[str, str]:
    """The (context, English message) a value is shown with; a value outside the table as it
    is written, hyphens as spaces."""
    text = str(value)
    return CONTEXTS.get(context, context), SHOWN.get(context, {}).get(text, text.replace("-", " "))


class Wording(Protocol):
    """The words of one language, as the code that writes reader text asks for them
    (render/words.Words reads a language's catalogue; ENGLISH below is the words as written)."""

    def _(self, message: str, **values: object) -> str: ...
    def translate(self, message: str, context: str | None = None) -> str: ...
    def pgettext(self, context: str, message: str, **values: object) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str: ...
    def shown(self, context: str, value: object) -> str: ...
    def percent_range(self, low: float, high: float) -> str: ...
    def day(self, day: dt.date) -> str: ...


class English:
    """The messages as written, for code run without a site's language (its defaults)."""

    def _(self, message: str, **values: object) -> str:
        return message % values if values else message

    def translate(self, message: str, context: str | None = None) -> str:
        return message

    def pgettext(self, context: str, message: str, **values: object) -> str:
        return message % values if values else message

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return (singular if n == 1 else plural) % {"num": n, **values}

    def shown(self, context: str, value: object) -> str:
        return shown(context, value)[1]

    def percent_range(self, low: float, high: float) -> str:
        return f"{low:g}-{high:g}%"

    def day(self, day: dt.date) -> str:
        return day.isoformat()


ENGLISH = English()
