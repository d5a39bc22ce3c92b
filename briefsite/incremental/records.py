"""Values worked out from one record, kept while the record is in the library: records are
immutable, and an unchanged file gives the very same record objects again (FileMemo), so
the live preview need not work them out again at every edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class PerRecord:
    """name -> value worked out from a record object, for this render and the one before."""

    def __init__(self) -> None:
        self._before: dict[tuple[int, str], tuple[Any, Any]] = {}
        self._now: dict[tuple[int, str], tuple[Any, Any]] = {}

    def get(self, record: Any, name: str, work: Callable[[Any], T]) -> T:
        key = (id(record), name)  # the record is kept with its value, so its id is not reused
        found = self._now.get(key) or self._before.get(key)
        if found is None or found[0] is not record:
            found = (record, work(record))
        self._now[key] = found
        return found[1]  # type: ignore[no-any-return]

    def next_render(self) -> None:
        """Keep only what the last render used: records no longer in the library are let go."""
        self._before, self._now = self._now, {}

    def __getstate__(self) -> list[tuple[Any, str, Any]]:
        """(record, name, value) of the last render: pickled with the files read (incremental.store),
        an unchanged file's records come back as the very same objects, under new ids."""
        return [(record, key[1], value) for key, (record, value) in {**self._before, **self._now}.items()]

    def __setstate__(self, state: list[tuple[Any, str, Any]]) -> None:
        self._before = {}
        # as the last render left them: the next render takes them as the one before
        self._now = {(id(record), name): (record, value) for record, name, value in state}
