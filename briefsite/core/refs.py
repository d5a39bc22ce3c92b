"""The two kinds of reference inside Markdown fields: `[@source]` and `[[id|text]]`."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

# [@a] or [@a; @b]: the group is checked item by item so a typo is named exactly.
CITATION = re.compile(r"\[(@[^\[\]\n]*)\]")
WIKILINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")


@dataclass(frozen=True)
class Ref:
    """One reference found in a Markdown text."""

    kind: str
    """'cite' for [@id], 'link' for [[id]]."""
    target: str
    """The id it names, as written."""
    raw: str
    """The whole reference as written ([@a; @b] or [[id|text]]), to find it in the file."""
    occurrence: int = 0
    """How many times the same raw text came before it in the same text."""
    offset: int = 0
    """Where the id stands inside raw (for a citation of several sources)."""


def citation_ids(group: str) -> list[str]:
    """'@a; @b' -> ['a', 'b'] (an item without '@' comes back as written, to be reported)."""
    return [item.strip().removeprefix("@").strip() for item in group.split(";") if item.strip()]


def find_refs(text: str) -> Iterator[Ref]:
    """The references of a Markdown text: its links, then its citations, each with where it stands."""
    seen: Counter[str] = Counter()
    for match in WIKILINK.finditer(text):
        raw = match.group(0)
        yield Ref("link", match.group(1).strip(), raw, seen[raw], 0)
        seen[raw] += 1
    for match in CITATION.finditer(text):
        raw, start = match.group(0), 1
        for part in match.group(1).split(";"):
            if part.strip():
                yield Ref("cite", part.strip().removeprefix("@").strip(), raw, seen[raw],
                          start + len(part) - len(part.lstrip()))
            start += len(part) + 1
        seen[raw] += 1
