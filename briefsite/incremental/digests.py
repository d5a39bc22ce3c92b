"""What each dependency (a Read, see tracking) is in one state of the library, as a digest."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..core import model as m
from .tracking import EXISTS, FIELDS, IDS, RECORD, SITE, VIEW, Read, digest

MISSING = "missing"


class Digests:
    """The digest of every dependency in one state of the library, each found once.

    `view(name, *args)` gives the value of a VIEW dependency, whose digest is found from it
    (tracking.as_plain); the render stage, which derives those values, supplies it. With
    `previous` (the digests of the render before, in the same process), a record that is the
    very same object as then (an unchanged file gives the same records) keeps its fields'
    digests: records are immutable.
    """

    def __init__(self, library: m.Library, view: Callable[..., Any], previous: Digests | None = None) -> None:
        self.library = library
        self.view = view
        self.previous = previous
        self._known: dict[Read, str] = {}
        self._by_kind: dict[str, Mapping[str, m.Record]] = {
            SITE: {"": library.site}, "briefing": library.briefings, "actor": library.actors,
            "source": library.sources, "term": library.terms, "place": library.places}

    def of(self, read: Read) -> str:
        found = self._known.get(read)
        if found is None:
            found = self._known[read] = self._digest(read)
        return found

    def _digest(self, read: Read) -> str:
        if read.kind in (FIELDS, RECORD):
            return self._record_digest(read)
        if read.kind == EXISTS:
            return str(read.id in self._by_kind[read.of])
        if read.kind == IDS:
            return digest(list(self._by_kind[read.of]))
        if read.kind == VIEW:
            return digest(self.view(read.of, *read.names))
        raise ValueError(f"not a dependency: {read!r}")

    def _record_digest(self, read: Read) -> str:
        record = self._by_kind[read.of].get(read.id)
        if record is None:
            return MISSING
        before = self.previous
        if before is not None and before._by_kind[read.of].get(read.id) is record:
            found = before._known.get(read)
            if found is not None:
                return found
        # pydantic's own serializer (compiled): the fields' values as JSON, in field order
        data = record.model_dump_json(include=set(read.names)) if read.kind == FIELDS else record.model_dump_json()
        return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def combined(self, dependencies: Iterable[Read]) -> str:
        """One digest of many dependencies (given in a fixed order)."""
        known, of = self._known, self.of
        return hashlib.blake2b("".join([known.get(d) or of(d) for d in dependencies]).encode("ascii"),
                               digest_size=16).hexdigest()

    def forget_previous(self) -> None:
        """Let the render before go (once this render's digests are all found)."""
        self.previous = None

    def __getstate__(self) -> dict[str, Any]:
        """The records and their digests only, for the next build: pickled with the files read
        (incremental.store), an unchanged file's records come back as the very same objects."""
        return {"by_kind": self._by_kind, "known": {d: v for d, v in self._known.items() if d.kind in (FIELDS, RECORD)}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.library = None  # type: ignore[assignment]
        self.view = None  # type: ignore[assignment]
        self.previous = None
        self._by_kind = state["by_kind"]
        self._known = state["known"]
