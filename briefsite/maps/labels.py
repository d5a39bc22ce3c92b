"""Labels that do not overlap: each is tried at a few positions around what it names, most
important first, and dropped when none is free (its place stays in the list beside the map).

Text is measured by an upper bound of its width (no font is at hand when the SVG is written;
the reader's browser picks one): a label's box is never narrower than the text drawn in it."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

LINE_HEIGHT = 1.2
"""A line's height as a share of the font size."""
NARROW, WIDE = 0.62, 1.05
"""Widths of a character as a share of the font size: Latin, Cyrillic, Armenian, Arabic... and
the wide ones of East Asian scripts (upper bounds for the sans-serif fonts a reader may have)."""


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return self.left < other.right and other.left < self.right and \
            self.top < other.bottom and other.top < self.bottom

    def within(self, width: float, height: float, margin: float = 2.0) -> bool:
        return self.left >= margin and self.top >= margin and \
            self.right <= width - margin and self.bottom <= height - margin


def text_width(text: str, size: float) -> float:
    """An upper bound of the width of one line of text at a font size."""
    return sum(WIDE if unicodedata.east_asian_width(ch) in "WF" else
               0.0 if unicodedata.combining(ch) else NARROW for ch in text) * size


@dataclass(frozen=True)
class Request:
    """A label wanted: its lines, at a point (x, y), around a mark of radius `gap` (0 for an
    area's name, written over its middle)."""

    lines: tuple[str, ...]
    x: float
    y: float
    size: float
    gap: float
    kind: str
    """What it names, for the drawing's classes: 'place', 'country', 'area'."""
    key: str
    langs: tuple[str | None, ...] = ()
    """Each line's language (BCP 47), None for the map's own."""


@dataclass(frozen=True)
class Placed:
    request: Request
    box: Box
    anchor: str
    """SVG text-anchor: start, middle or end."""
    x: float
    baseline: float
    """The first line's baseline."""


@dataclass
class Layout:
    placed: list[Placed] = field(default_factory=list)
    dropped: list[Request] = field(default_factory=list)


def _size(request: Request) -> tuple[float, float]:
    width = max(text_width(line, request.size) for line in request.lines)
    return width, len(request.lines) * request.size * LINE_HEIGHT


def candidates(request: Request) -> list[tuple[Box, str, float, float]]:
    """Positions to try, best first: (box, anchor, x, first baseline)."""
    w, h = _size(request)
    ascent = request.size * 0.9
    x, y, g = request.x, request.y, request.gap
    if g == 0:  # an area's name: on its middle, then nudged
        found = []
        for dx, dy in ((0, 0), (0, -h), (0, h), (-w / 2, 0), (w / 2, 0), (0, -2 * h), (0, 2 * h)):
            top = y + dy - h / 2
            found.append((Box(x + dx - w / 2, top, x + dx + w / 2, top + h), "middle", x + dx, top + ascent))
        return found
    d = g + 2
    e = d * 0.7  # the diagonals, as far from the mark
    spots = (("start", x + d, y - h / 2), ("end", x - d, y - h / 2),
             ("start", x + e, y - e - h), ("start", x + e, y + e), ("end", x - e, y - e - h), ("end", x - e, y + e),
             ("middle", x, y - d - h), ("middle", x, y + d))
    found = []
    for anchor, ax, top in spots:
        left = ax if anchor == "start" else ax - w if anchor == "end" else ax - w / 2
        found.append((Box(left, top, left + w, top + h), anchor, ax, top + ascent))
    return found


class Taken:
    """Boxes already taken, found by the cells of a grid they cover: a label is checked
    against its neighbours only, not against every box of the map."""

    CELL = 48.0

    def __init__(self, boxes: Iterable[Box]) -> None:
        self._cells: dict[tuple[int, int], list[Box]] = {}
        for box in boxes:
            self.add(box)

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        c = self.CELL
        for i in range(int(box.left // c), int(box.right // c) + 1):
            for j in range(int(box.top // c), int(box.bottom // c) + 1):
                yield i, j

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self._cells.setdefault(key, []).append(box)

    def free(self, box: Box) -> bool:
        return not any(box.overlaps(other) for key in self._keys(box) for other in self._cells.get(key, ()))


def place(requests: Sequence[Request], obstacles: Iterable[Box], width: float, height: float) -> Layout:
    """Each label at its first free position, in the order given (most important first)."""
    taken = Taken(obstacles)
    layout = Layout()
    for request in requests:
        for box, anchor, x, baseline in candidates(request):
            if box.within(width, height) and taken.free(box):
                taken.add(box)
                layout.placed.append(Placed(request, box, anchor, x, baseline))
                break
        else:
            layout.dropped.append(request)
    return layout


def mark_box(x: float, y: float, radius: float) -> Box:
    return Box(x - radius, y - radius, x + radius, y + radius)
