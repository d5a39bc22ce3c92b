"""Markdown fields converted before, by page: the live preview renders every page at every
edit, and a field whose inputs did not change costs a lookup instead of a conversion."""

from __future__ import annotations

from typing import Any


class Fragments:
    """Converted fields of this render and the one before, by page; older ones are dropped.

    A value is whatever the render stage keeps of a conversion (its HTML, the footnotes and
    terms it leaves behind, and the dependencies it noted, to note them again on a hit).
    """

    def __init__(self) -> None:
        self.current: dict[str, dict[Any, Any]] = {}
        self.previous: dict[str, dict[Any, Any]] = {}

    def get(self, page: str, key: Any) -> Any:
        value = self.current.get(page, {}).get(key)
        if value is None:
            value = self.previous.get(page, {}).get(key)
            if value is not None:
                self.current.setdefault(page, {})[key] = value
        return value

    def put(self, page: str, key: Any, value: Any) -> None:
        self.current.setdefault(page, {})[key] = value

    def carry(self, page: str) -> None:
        """A page not rendered this time (its text was kept): keep its fields for a later render."""
        if page in self.previous and page not in self.current:
            self.current[page] = self.previous[page]

    def next_render(self) -> None:
        self.previous, self.current = self.current, {}

    def __len__(self) -> int:
        return sum(len(fields) for fields in self.current.values())
