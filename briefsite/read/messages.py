"""The words of messages: what a user calls each record and value, and the hint that
names the closest allowed word. Shared by every check of the read stage."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any

from ..core import model as m
from ..core.errors import Path_
from ..core.places import BoundingBox
from ..core.text import slug
from .document import Document

# What a user calls each record, for messages.
NOUNS: dict[type[m.Record], str] = {
    m.SiteConfig: "site settings", m.Briefing: "briefing", m.KeyJudgment: "key judgment",
    m.BriefingActor: "entry of actors", m.TimelineEvent: "timeline event", m.Scenario: "scenario",
    m.Indicator: "indicator", m.Section: "section", m.Update: "update", m.Actor: "actor",
    m.Relation: "relation", m.Source: "source", m.Term: "glossary term", m.Place: "place",
    BoundingBox: "area",
}

VOCABULARY_NOUNS = {
    "likelihood": "a likelihood term", "confidence": "a confidence level", "trend": "a trend",
    "audience": "an audience", "type": "a relation type", "reliability": "a reliability grade (Admiralty)",
    "credibility": "a credibility grade (Admiralty)",
}

# Words people write for a vocabulary term: ICD 203's paired terms and common near misses.
SYNONYMS = {
    "remote": "almost-no-chance", "no-chance": "almost-no-chance", "highly-improbable": "very-unlikely",
    "highly-unlikely": "very-unlikely", "improbable": "unlikely", "roughly-even-odds": "roughly-even-chance",
    "even-chance": "roughly-even-chance", "even-odds": "roughly-even-chance", "probable": "likely",
    "probably": "likely", "highly-probable": "very-likely", "highly-likely": "very-likely",
    "nearly-certain": "almost-certain", "almost-certainly": "almost-certain", "certain": "almost-certain",
    "medium": "moderate", "mid": "moderate", "country": "state", "nation": "state", "government": "state",
    "organisation": "organization", "militia": "armed-group", "individual": "person", "published": "final",
    "done": "final", "private": "internal", "seen": "observed", "unobserved": "not-observed",
    "enemy": "adversary", "opponent": "adversary", "competitor": "rival", "supports": "backs",
    "member": "member-of", "leader": "leads",
}


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """A hint naming the closest allowed word, by spelling, case, separators or synonym."""
    close = closest(word, options)
    return f" (did you mean '{close}'?)" if close else ""


def closest(word: str, options: Iterable[str]) -> str | None:
    by_folded = {fold(o): o for o in options}
    folded = fold(word)
    for candidate in (folded, SYNONYMS.get(folded, "")):
        if candidate in by_folded and by_folded[candidate] != word:
            return by_folded[candidate]
    close = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.6)
    if close and by_folded[close[0]] != word:
        return by_folded[close[0]]
    return None


def fold(word: str) -> str:
    """Case, spaces, underscores and hyphens do not tell words apart for a hint."""
    return re.sub(r"[\s_-]+", "-", word.strip().lower())


def shown(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if value is None:
        return "an empty value"
    return f"{type_name(value)} {value!r}" if isinstance(value, (list, dict)) else str(value)


def describe(doc: Document, path: Path_, value: Any) -> str:
    """What the user wrote, as they wrote it: "'yes', which YAML reads as true/false"."""
    raw = doc.raw_scalars.get(path)
    if raw is not None and isinstance(value, bool):
        return f"'{raw}', which YAML reads as true/false"
    if raw is not None and isinstance(value, (int, float)):
        return f"the number {raw}"
    if raw is not None and isinstance(value, dt.date):
        return f"the date {raw}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text ('{shown}')" if "\n" not in shown else "text"
    return type_name(value)


def type_name(value: Any) -> str:
    if value is None:
        return "no value"
    if isinstance(value, bool):
        return f"true/false ({value})".lower()
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, dt.date):
        return f"a date ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def slug_hint(text: str) -> str:
    """', such as 'src-two'' when the text was probably meant as that id."""
    meant = slug(text, max_length=m.ID_MAX)
    return f", such as '{meant}'" if meant and meant != text else ""
