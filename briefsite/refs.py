"""The two kinds of reference inside Markdown fields: `[@source]` and `[[id|text]]`."""

from __future__ import annotations

import re
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
    """The whole reference as written, to find it in the file."""


def citation_ids(group: str) -> list[str]:
    """'@a; @b' -> ['a', 'b'] (an item without '@' comes back as written, to be reported)."""
    return [item.strip().removeprefix("@").strip() for item in group.split(";") if item.strip()]


def find_refs(text: str) -> list[Ref]:
    refs: list[Ref] = []
    for m in WIKILINK.finditer(text):
        refs.append(Ref("link", m.group(1).strip(), m.group(0)))
    for m in CITATION.finditer(text):
        for source_id in citation_ids(m.group(1)):
            refs.append(Ref("cite", source_id, m.group(0)))
    return refs
