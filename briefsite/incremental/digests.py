"""What each dependency (see tracking) is in one state of the library, as a digest."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..core import model as m
from .tracking import SITE, Dependency, digest

MISSING = "missing"


class Digests:
    """The digest of every dependency in one state of the library, each found once.

    `derived(name, *args)` gives the plain value of a ('d', name, *args) dependency; the
    render stage, which derives those values, supplies it. With `previous` (the digests of
    the render before, in the same process), a record that is the very same object as then
    (an unchanged file gives the same records) keeps its fields' digests: records are
    immutable.
    """

    def __init__(self, library: m.Library, derived: Callable[..., Any], previous: Digests | None = None) -> None:
        self.library = library
        self.derived = derived
        self.previous = previous
        self._known: dict[Dependency, str] = {}
        self._by_kind: dict[str, Mapping[str, m.Record]] = {
            SITE: {"": library.site}, "briefing": library.briefings, "actor": library.actors,
            "source": library.sources, "term": library.terms}

    def of(self, dependency: Dependency) -> str:
        found = self._known.get(dependency)
        if found is None:
            found = self._known[dependency] = self._digest(dependency)
        return found

    def _digest(self, dependency: Dependency) -> str:
        what = dependency[0]
        if what in ("f", "r"):
            return self._record_digest(dependency)
        if what == "has":
            return str(dependency[2] in self._by_kind[dependency[1]])
        if what == "keys":
            return digest(list(self._by_kind[dependency[1]]))
        if what == "d":
            return digest(self.derived(*dependency[1:]))
        raise ValueError(f"not a dependency: {dependency!r}")

    def _record_digest(self, dependency: Dependency) -> str:
        record = self._by_kind[dependency[1]].get(dependency[2])
        if record is None:
            return MISSING
        before = self.previous
        if before is not None and before._by_kind[dependency[1]].get(dependency[2]) is record:
            found = before._known.get(dependency)
            if found is not None:
                return found
        # pydantic's own serializer (compiled): the fields' values as JSON, in field order
        data = record.model_dump_json(include=set(dependency[3:])) if dependency[0] == "f" else record.model_dump_json()
        return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def combined(self, dependencies: Iterable[Dependency]) -> str:
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
        return {"by_kind": self._by_kind, "known": {d: v for d, v in self._known.items() if d[0] in ("f", "r")}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.library = None  # type: ignore[assignment]
        self.derived = None  # type: ignore[assignment]
        self.previous = None
        self._by_kind = state["by_kind"]
        self._known = state["known"]
