"""The basemaps drawn around areas, kept between builds (saved by store.py with the pages):
a map is drawn once per distinct area, whatever the number of briefings that share it."""

from __future__ import annotations

from typing import Any

SIZE = 4096
"""Areas kept (about 15 KB each); the oldest go first."""


class KeptMaps:
    """Base layers of maps by their key (the drawing's version, the basemap's digest, the area)."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._kept: dict[str, Any] = {}
        self.changed = False

    def get(self, key: str) -> Any:
        return self._kept.get(key)

    def put(self, key: str, layer: Any) -> None:
        while self._kept and len(self._kept) >= self.size:
            self._kept.pop(next(iter(self._kept)))
        self._kept[key] = layer
        self.changed = True

    def __len__(self) -> int:
        return len(self._kept)

    def __getstate__(self) -> dict[str, Any]:
        return {"size": self.size, "kept": self._kept}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.size = state["size"]
        self._kept = state["kept"]
        self.changed = False
