"""A print document's text in its own direction, as a browser reads `dir="auto"`.

WeasyPrint reads dir="ltr" and dir="rtl" but neither dir="auto" nor CSS `unicode-bidi`, and it
lays the inline pieces of a right-to-left line (text, links, badges) out from right to left: an
English paragraph of an Arabic document came out with its links before its words. So before
typesetting, each block (paragraph, list item, cell, heading...) whose first letter runs the
other way than the text around it is given that letter's direction, and `dir="auto"` (a name of
unknown language, <bdi>) becomes the direction of the element's first letter. The contents
(<nav>) keep the document's direction: their leaders and page numbers are layout, not text.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "caption",
                    "figcaption", "blockquote", "summary"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})
NOT_TEXT = frozenset({"script", "style", "title"})
RIGHT_TO_LEFT = re.compile(r'[\u200f\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff'
                           r'\U0001e800-\U0001efff]|dir="rtl"')
"""A right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko..., their presentation forms, the
right-to-left mark) or element: the characters whose Unicode direction is R or AL."""


def letter_direction(text: str) -> str | None:
    """'ltr' or 'rtl', the direction of the first letter that has one (Unicode's strong
    characters), or None for text of numbers, punctuation and spaces only."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def text_in_own_direction(document: str) -> str:
    """The document with `dir` set where the text's first letter and the direction around it
    differ, and every dir="auto" resolved (see the module's docstring). A document with no
    right-to-left letter and no dir="rtl" is left as it is: all of it runs left to right."""
    if not RIGHT_TO_LEFT.search(document):
        return document
    parser = _Directions(document)
    parser.feed(document)
    parser.close()
    out, last = [], 0
    for offset, old_length, text in sorted(parser.edits):
        out += [document[last:offset], text]
        last = offset + old_length
    return "".join([*out, document[last:]])


class _Open:
    """An open element: its tag, direction, and whether its own text decides it."""

    def __init__(self, tag: str, direction: str, explicit: bool, edit: tuple[int, int] | None):
        self.tag, self.direction, self.explicit = tag, direction, explicit
        self.edit = edit
        """Where its direction goes once its first letter is read: (offset, length of the text
        replaced there); None when it has its direction already."""


class _Directions(HTMLParser):
    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for index, char in enumerate(document):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.open: list[_Open] = [_Open("", "ltr", True, None)]
        self.edits: list[tuple[int, int, str]] = []
        self.in_nav = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        given = next((value.lower() for name, value in attrs if name == "dir" and value), None)
        around = self.open[-1].direction
        start, text = self._offset(), self.get_starttag_text() or ""
        edit: tuple[int, int] | None = None
        if given == "auto" or (given is None and tag == "bdi"):
            at = text.find('dir="auto"')
            edit = (start + at, len('dir="auto"')) if at >= 0 else (start + 1 + len(tag), 0)
        elif given is None and tag in BLOCKS and not self.in_nav:
            edit = (start + 1 + len(tag), 0)
        self.in_nav += tag == "nav"
        explicit = given is not None or tag in NOT_TEXT or tag == "bdi"
        self.open.append(_Open(tag, given if given in ("ltr", "rtl") else around, explicit, edit))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, 0, -1):
            if self.open[index].tag == tag:
                self.in_nav -= sum(e.tag == "nav" for e in self.open[index:])
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        waiting = [e for e in self.open if e.edit is not None]
        if not waiting or self.open[-1].tag in NOT_TEXT:
            return
        direction = letter_direction(data)
        if direction is None:
            return
        # The letter decides only the elements whose own text it is: not those around an
        # element that has a direction of its own (a name marked as Russian inside a paragraph).
        innermost = max(i for i, e in enumerate(self.open) if e.explicit)
        for index, element in enumerate(self.open):
            if element.edit is None or index < innermost:
                continue
            around = self.open[index - 1].direction
            offset, length = element.edit
            if length or direction != around:  # dir="auto" is always replaced
                prefix = "" if length else " "
                self.edits.append((offset, length, f'{prefix}dir="{direction}"'))
            element.direction, element.edit = direction, None
