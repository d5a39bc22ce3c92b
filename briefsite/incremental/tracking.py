"""What a page reads of the library, recorded while it renders.

The render stage hands its templates the library wrapped in the proxies below. Each read
of a record's field, of whether an id exists, or of the list of ids of a kind is noted as
a *dependency* of the page being rendered; so are the values a page takes from the
library index (the briefings naming an actor, a link's target, a briefing's bottom line),
which the index notes itself. The next render asks for each dependency's digest again:
a page all of whose dependencies are unchanged is what it was, and is not rendered again.
Nothing is listed by hand, so a template that starts to show another field can never
leave a page stale.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from ..core import model as m

FIELDS = "fields"
"""Some fields of a record (`names`)."""
RECORD = "record"
"""A whole record (a method over all its fields was called)."""
EXISTS = "exists"
"""Whether a record of that id exists."""
IDS = "ids"
"""The ids of a kind, in order."""
VIEW = "view"
"""A value the render stage derives from the library, by its name and arguments (see LibraryIndex.view)."""


class Read(NamedTuple):
    """One thing a page read of the library: the next render asks its digest again (digests.Digests)."""

    kind: str
    """FIELDS, RECORD, EXISTS, IDS or VIEW."""
    of: str
    """The kind of record (briefing, actor, source, term, or SITE for the settings), or the view's name."""
    id: str = ""
    """The record's id ('' for IDS and views)."""
    names: tuple[str, ...] = ()
    """The fields read (FIELDS), or the view's arguments (VIEW)."""


Dependency = Read
"""What a page, a version page or a PDF depends on: what it read."""

SITE = "site"
"""The kind under which the site settings are recorded (their id is '')."""

LIBRARY_RECORDS: tuple[type[m.Record], ...] = (m.Briefing, m.Actor, m.Source, m.Term, m.Place, m.SiteConfig)
"""The records a library holds by id: read through the tracked library, field by field."""


class Recorder:
    """Collects the dependencies of the page being rendered (none between pages).

    They are appended to a list, repeats and all (the cheapest thing to do a million times
    a render), and made a set when the page is done."""

    def __init__(self) -> None:
        self.current: list[Dependency] | None = None

    def start(self) -> None:
        self.current = []

    def finish(self) -> frozenset[Dependency]:
        found = frozenset(self.current or ())
        self.current = None
        return found

    def add(self, dependency: Dependency) -> None:
        if self.current is not None:
            self.current.append(dependency)

    def add_all(self, dependencies: Iterable[Dependency]) -> None:
        if self.current is not None:
            self.current.extend(dependencies)

    def capture(self) -> _Capture:
        """`with recorder.capture() as found:` collects what a piece of work reads (it still
        counts for the page), so that the work can be kept and its reads given again."""
        return _Capture(self)


class _Capture:
    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self.found: set[Dependency] = set()
        self._start = 0

    def __enter__(self) -> set[Dependency]:
        self._start = len(self.recorder.current or ())
        return self.found

    def __exit__(self, *exc: object) -> None:
        self.found.update((self.recorder.current or [])[self._start:])


class TrackedRecord:
    """A record as a page sees it: each field read is recorded; anything else read of it
    (a method over all its fields) counts as a read of the whole record.

    Make one with `tracked(record, ...)`: each record class has a class of these with a
    property per field (far cheaper to read than a lookup that fails over to __getattr__)."""

    __slots__ = ("_record", "_kind", "_id", "_recorder", "_reads")

    def __init__(self, record: m.Record, kind: str, record_id: str, recorder: Recorder) -> None:
        self._record = record
        self._kind = kind
        self._id = record_id
        self._recorder = recorder
        self._reads: dict[str, Dependency] = {}
        """What reading each field counts as, made once: templates read the same fields again and again."""

    def _read(self, name: str) -> Any:
        reads = self._recorder.current
        if reads is not None:
            read = self._reads.get(name)
            if read is None:
                read = self._reads[name] = Read(FIELDS, self._kind, self._id, (name,))
            reads.append(read)
        return self._record.__dict__[name]

    def __getattr__(self, name: str) -> Any:  # not a field: a method or property over all of them
        value = getattr(self._record, name)
        self._recorder.add(Read(RECORD, self._kind, self._id))
        return value

    @property  # type: ignore[misc]  # isinstance() sees the record's class, as helpers expect
    def __class__(self) -> type:  # type: ignore[override]
        return type(self._record)

    def __repr__(self) -> str:
        return f"Tracked({self._kind} {self._id!r})"


def tracked(record: m.Record, kind: str, record_id: str, recorder: Recorder) -> TrackedRecord:
    """The record as a page sees it (see TrackedRecord)."""
    return _tracking_class(type(record))(record, kind, record_id, recorder)


@functools.cache
def _tracking_class(cls: type[m.Record]) -> type[TrackedRecord]:
    def field(name: str) -> property:
        return property(lambda self: self._read(name))

    fields = {name: field(name) for name in cls.model_fields}
    return type(f"Tracked{cls.__name__}", (TrackedRecord,), {"__slots__": (), **fields})


def isinstance_tracked(value: Any) -> bool:
    """Whether a value is a TrackedRecord (isinstance() sees the record's class instead)."""
    return issubclass(type(value), TrackedRecord)


def read_as(record: Any, view: str) -> Any:
    """The record behind a TrackedRecord, noting for its page a read of the `view` that the
    render stage derives from it by its id, instead of reads of the fields it derives it from
    (a briefing's bottom line, not its whole summary). A plain record comes back as it is."""
    if not isinstance_tracked(record):
        return record
    record._recorder.add(Read(VIEW, view, "", (record._id,)))
    return record._record


class TrackedRecords(Mapping[str, Any]):
    """The records of one kind, by id, as a page sees them."""

    def __init__(self, records: Mapping[str, m.Record], kind: str, recorder: Recorder) -> None:
        self._records = records
        self._kind = kind
        self._recorder = recorder
        self._proxies: dict[str, TrackedRecord] = {}

    def _proxy(self, record_id: str) -> TrackedRecord:
        proxy = self._proxies.get(record_id)
        if proxy is None:
            proxy = self._proxies[record_id] = tracked(self._records[record_id], self._kind, record_id,
                                                       self._recorder)
        return proxy

    def __getitem__(self, record_id: str) -> TrackedRecord:
        if record_id not in self._records:
            self._recorder.add(Read(EXISTS, self._kind, record_id))
        return self._proxy(record_id)

    def __contains__(self, record_id: object) -> bool:
        self._recorder.add(Read(EXISTS, self._kind, str(record_id)))
        return record_id in self._records

    def __iter__(self) -> Iterator[str]:
        self._recorder.add(Read(IDS, self._kind))
        return iter(self._records)

    def __len__(self) -> int:
        self._recorder.add(Read(IDS, self._kind))
        return len(self._records)

    def items(self) -> Iterator[tuple[str, TrackedRecord]]:  # type: ignore[override]
        self._recorder.add(Read(IDS, self._kind))
        return ((record_id, self._proxy(record_id)) for record_id in self._records)

    def values(self) -> Iterator[TrackedRecord]:  # type: ignore[override]
        self._recorder.add(Read(IDS, self._kind))
        return (self._proxy(record_id) for record_id in self._records)


class TrackedLibrary:
    """The library as a page sees it (the same attributes as model.Library)."""

    def __init__(self, library: m.Library, recorder: Recorder) -> None:
        self.site = tracked(library.site, SITE, "", recorder)
        self.briefings = TrackedRecords(library.briefings, "briefing", recorder)
        self.actors = TrackedRecords(library.actors, "actor", recorder)
        self.sources = TrackedRecords(library.sources, "source", recorder)
        self.terms = TrackedRecords(library.terms, "term", recorder)
        self.places = TrackedRecords(library.places, "place", recorder)


def digest(value: Any) -> str:  # see digests.Digests for what each dependency is now
    """A digest of a value: text, numbers, lists, mappings, and the objects views hold (see
    as_plain), turned to JSON by the C encoder, which asks as_plain only of those objects."""
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
    else:
        data = json.dumps(value, ensure_ascii=False, sort_keys=True, default=as_plain).encode("utf-8",
                                                                                            "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def as_plain(value: Any) -> Any:
    """An object of a view as plain data, one level down (the encoder does the rest): a
    dataclass by the fields it compares (one it does not compare is derived from the others,
    or is a record beside its id), a model by its fields' values, and a record the library
    holds by id (briefing, actor, source, term, settings) as nothing: the view places it by
    its id, and what a page reads of it is recorded through the tracked library, field by field."""
    cls: type = value.__class__
    how = _how(cls)
    if how == "fields":
        return {name: getattr(value, name) for name in _field_names(cls)}
    if how == "model":
        return value.model_dump_json()  # pydantic's own serializer (compiled): one string
    return "record" if how == "record" else str(value)  # a date as text


@functools.cache
def _how(cls: type) -> str:
    """How as_plain takes an object of this class (found once per class: views hold thousands)."""
    if issubclass(cls, LIBRARY_RECORDS):
        return "record"
    if issubclass(cls, m.Record):
        return "model"
    return "fields" if dataclasses.is_dataclass(cls) else "text"


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.compare)


def grouped(dependencies: Iterable[Read]) -> list[Read]:
    """The same dependencies, with the fields read of one record as one Read of FIELDS, in a
    fixed order: a list page reads a few fields of every record, and one digest of them costs
    far less to keep and to check than one per field."""
    fields: dict[tuple[str, str], set[str]] = {}
    others: set[Read] = set()
    for read in dependencies:
        if read.kind == FIELDS:
            fields.setdefault((read.of, read.id), set()).update(read.names)
        else:
            others.add(read)
    found = [*others, *(Read(FIELDS, kind, record_id, tuple(sorted(names)))
                        for (kind, record_id), names in fields.items())]
    return sorted(found)
