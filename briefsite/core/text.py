"""Small rules about text that several stages share: how YAML counts lines, how free
text becomes an id or an anchor, and how text is made safe for the theme's HTML."""

from __future__ import annotations

import html
import re
import unicodedata

LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""The line breaks of YAML (libyaml counts lines by these, and so must we)."""


def slug(text: str, *, scripts: bool = False, max_length: int | None = None) -> str:
    """Words in lower case joined by single hyphens: 'Src_Two' -> 'src-two'.

    By default the text is folded to ASCII first ('Erdoğan' -> 'erdogan'), as an id must be.
    With `scripts`, letters of every script are kept, as an anchor may ('Кремль' -> 'кремль').
    """
    if scripts:
        return re.sub(r"[\W_]+", "-", text.casefold()).strip("-")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return out[:max_length].strip("-") if max_length is not None else out


def theme_text(value: object) -> str:
    """Plain text for a value the theme inserts into HTML as it is: the site name and
    description, and page titles in front matter. MkDocs templates do not escape, and
    Material writes these inside elements and double-quoted attributes, so &, <, > and "
    are escaped (an apostrophe stays, so titles read right where the theme escapes again).
    """
    return html.escape(str(value), quote=False).replace('"', "&quot;")


def counted(n: int, noun: str) -> str:
    """'1 briefing', '2 briefings', '0 terms': a count with its noun (plural with an s)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def library_counts(briefings: int, actors: int, sources: int, terms: int) -> str:
    return ", ".join(counted(n, noun) for n, noun in ((briefings, "briefing"), (actors, "actor"),
                                                       (sources, "source"), (terms, "term")))
