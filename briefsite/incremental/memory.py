"""The one owner of what a build keeps for the next, handed to the stages as an object."""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..core import model as m
from .digests import Digests
from .drawings import Drawings
from .files import FileMemo
from .fragments import Fragments
from .maps import KeptMaps
from .outputs import KeptFiles
from .pages import PageMemo
from .records import PerRecord
from .tracking import Dependency


@dataclass
class Memory:
    """What runs learned, for the runs after them.

    `files`, `pages` and `maps` are saved between builds (store.py); the rest lives as long as the
    process (the live preview's server): fields converted, graphs drawn, templates compiled.
    """

    files: FileMemo[Any] = field(default_factory=FileMemo)
    """Files read and checked (the read stage)."""
    pages: PageMemo = field(default_factory=PageMemo)
    """Pages rendered, with what each read (the render stage)."""
    fragments: Fragments | None = None
    """Markdown fields converted, by page: only for the live preview, which renders at every edit."""
    drawings: Drawings = field(default_factory=Drawings)
    """Relationship graphs drawn, by their Graphviz source."""
    environments: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    """Jinja environments by templates folders and language, with their compiled templates."""
    per_record: PerRecord = field(default_factory=PerRecord)
    """Values worked out from record objects (what a briefing names and cites)."""
    digests: Digests | None = None
    """The last render's digests: a record that is the same object keeps its digests."""
    history: KeptHistory = field(default_factory=lambda: KeptHistory())
    """Briefings as commits held them, by commit and path (read/history.py): never stale."""
    outputs: KeptFiles = field(default_factory=KeptFiles)
    """Version pages and PDFs kept in build/, each with what it was made from and its digest."""
    maps: KeptMaps = field(default_factory=KeptMaps)
    """The basemaps drawn around areas (render/maps.py), saved between builds."""

    def begin_render(self, library: m.Library, view: Callable[..., Any], setting: str) -> Render:
        """Start a render of the site's pages from `library`, whose views the render stage
        gives by name (`view`), with `setting` (what every page depends on besides what it reads)."""
        return Render(self, library, view, setting)

    @classmethod
    def for_preview(cls, kept: Memory | None = None) -> Memory:
        """A memory that also keeps converted fields (from what a build kept, if given)."""
        memory = kept or cls()
        memory.fragments = memory.fragments or Fragments()
        return memory


class KeptHistory(dict[tuple[str, str], Any]):
    """What was read of each commit's briefing file, by commit and path; it notes whether
    anything was added or read again since it was loaded (then the cache is worth saving)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.changed = False

    def __setitem__(self, key: tuple[str, str], value: Any) -> None:
        self.changed = True
        super().__setitem__(key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.changed = self.changed or bool(kwargs) or any(bool(a) for a in args)
        super().update(*args, **kwargs)

    def __reduce__(self) -> tuple[type[KeptHistory], tuple[dict[tuple[str, str], Any]]]:
        return KeptHistory, (dict(self),)


class Render:
    """One render's use of the memory: the pages it may take as they were, and the pages it
    rendered with what each read; the values of records and fields kept since the render
    before are let go of once it ends."""

    def __init__(self, memory: Memory, library: m.Library, view: Callable[..., Any], setting: str) -> None:
        self.memory = memory
        self.setting = setting
        memory.per_record.next_render()
        if memory.fragments is not None:
            memory.fragments.next_render()
        self.digests = Digests(library, view, memory.digests)

    def kept(self, page: str) -> str | None:
        """The page as rendered before, if nothing it read has changed since (and the setting is the same)."""
        text = self.memory.pages.get(page, self.setting, self.digests)
        if text is not None and self.memory.fragments is not None:
            self.memory.fragments.carry(page)
        return text

    def still_good(self, page: str) -> bool:
        """Whether the page's file, as written before, may be used as it is: nothing the page
        read has changed since (and the setting is the same), and the file still holds what
        was written. The page is kept, its text not read into memory."""
        return self.memory.pages.still_good(page, self.setting, self.digests)

    def interned(self, read: Iterable[Dependency]) -> tuple[Dependency, ...]:
        """What a page read, each read as the one object kept for it (PageMemo.interned)."""
        return self.memory.pages.interned(read)

    def record(self, page: str, read: tuple[Dependency, ...], combined: str, text: str | None,
               written: str | None = None) -> None:
        """A page rendered now, with what it read and the digest of that; its text, or, once
        written, the sha256 of its file."""
        self.memory.pages.put(page, self.setting, read, combined, text, written)

    def end(self) -> None:
        self.memory.pages.finish_render()
        self.digests.forget_previous()
        self.memory.digests = self.digests


@contextlib.contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a stage that builds what lives on.

    Loading and rendering make millions of objects that nearly all survive, and every
    full collection walks all of them again for nothing (see docs/performance.md).
    Reference counting still frees everything else at once; the few cycles a stage leaves
    are collected after it. With `freeze` (a one-off build, which ends soon after), what
    the stage made is left out of every later collection instead.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        gc.enable()


def give_back_freed_memory() -> None:
    """Hand what this process has freed back to the system. The C library keeps freed memory
    for later allocations; after a stage that let go of hundreds of megabytes (the rendered
    pages, once written), the processes that run next (the site engine, the search indexer)
    can use it instead. Only where the C library is glibc."""
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
