"""Relationship graphs drawn before, by their Graphviz source (for the life of a process)."""

from __future__ import annotations

import hashlib

SIZE = 2048
"""Drawings kept: a few hundred pages' worth; the oldest go first (a long live preview)."""


def drawing_key(dot_source: str) -> str:
    return hashlib.sha256(dot_source.encode("utf-8")).hexdigest()


class Drawings:
    """SVG drawings by the digest of their Graphviz source."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._kept: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self._kept.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._kept

    def __len__(self) -> int:
        return len(self._kept)

    def put_all(self, drawn: dict[str, str]) -> None:
        """Keep these drawings, letting the oldest go to stay within the size."""
        while self._kept and len(self._kept) + len(drawn) > self.size:
            self._kept.pop(next(iter(self._kept)))
        self._kept.update(drawn)

    def clear(self) -> None:
        self._kept.clear()
