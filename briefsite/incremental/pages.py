"""Pages rendered before, each with what it read (see tracking)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .digests import Digests
from .tracking import Dependency


@dataclass(frozen=True)
class KeptPage:
    """A page as rendered, and what it was rendered from."""

    setting: str
    """A digest of what every page depends on: the templates and the render's options."""
    dependencies: tuple[Dependency, ...]
    """What the page read of the library, in a fixed order."""
    combined: str
    """The digest of those dependencies when the page was rendered."""
    text: str | None
    """The page, while kept in memory (the live preview); None when kept on disk only."""
    digest: str | None
    """sha256 of the page as written, to take it back from where it was written."""


class PageMemo:
    """Pages rendered before: a page whose setting and dependencies are unchanged is taken
    as it was, not rendered again. The live preview keeps the pages in memory. A build keeps
    them on disk without their text: that is in `store` (the folder the pages were written
    to), and a page is taken from there only if its digest matches.
    """

    def __init__(self, entries: dict[str, KeptPage] | None = None, store: Path | None = None):
        self.entries = entries or {}
        self.store = store
        self.used: dict[str, KeptPage] = {}
        self.hits = 0
        self.changed_last = True
        """Whether the last render rendered any page anew (then the memo is worth saving)."""
        self.kept_last = 0
        """How many pages the last render took from the memo."""
        self._interned: dict[Dependency, Dependency] = {}

    def get(self, page: str, setting: str, digests: Digests) -> str | None:
        """The page as rendered before, if nothing it was rendered from has changed."""
        found = self.entries.get(page)
        if found is None or found.setting != setting or digests.combined(found.dependencies) != found.combined:
            return None
        text = found.text if found.text is not None else self._stored(page, found.digest)
        if text is None:
            return None
        self.hits += 1
        self.used[page] = found if found.text is not None else KeptPage(
            found.setting, found.dependencies, found.combined, text, found.digest)
        return text

    def still_good(self, page: str, setting: str, digests: Digests) -> bool:
        """As `get`, for a page whose file in `store` is used as it is: the file is checked
        against the digest of what was written, and nothing is kept of its text."""
        found = self.entries.get(page)
        if found is None or found.setting != setting or digests.combined(found.dependencies) != found.combined:
            return False
        on_disk = _on_disk(found)
        if self._stored(page, on_disk.digest) is None:
            return False
        self.hits += 1
        self.used[page] = on_disk
        return True

    def _stored(self, page: str, digest: str | None) -> str | None:
        """The page as written before, if it is still exactly what was rendered."""
        if self.store is None or digest is None:
            return None
        try:
            data = (self.store / page).read_bytes()
        except OSError:
            return None
        return data.decode("utf-8") if hashlib.sha256(data).hexdigest() == digest else None

    def put(self, page: str, setting: str, dependencies: tuple[Dependency, ...], combined: str, text: str | None,
            written: str | None = None) -> None:
        """A page rendered now, with what it read (see tracking.grouped) and their digest; its
        text, or the sha256 of the file it was written to (`written`)."""
        self.used[page] = KeptPage(setting, self.interned(dependencies), combined, text, written)

    def interned(self, dependencies: Iterable[Dependency]) -> tuple[Dependency, ...]:
        """The same dependencies, each as the one object this process keeps for it: a page's
        reads are made anew as it renders, and at 1,000 briefings the pages' 350,000 reads are
        some 47,000 different ones (each kept once, not once per page, from the moment the
        page is rendered; a second process's are sent back sharing them too)."""
        return tuple(self._interned.setdefault(d, d) for d in dependencies)

    def finish_render(self) -> None:
        """Keep only this render's pages."""
        self.changed_last = self.hits != len(self.used) or len(self.used) != len(self.entries)
        self.kept_last = self.hits
        self.entries, self.used, self.hits = self.used, {}, 0

    def keep_on_disk_only(self) -> None:
        """Keep each page by the digest of what was written, as a saved memo does: a build
        has written them all, and at thousands of pages their text was a fifth of its memory."""
        self.entries = {page: _on_disk(e) for page, e in self.entries.items()}

    def __getstate__(self) -> dict[str, Any]:
        """Keys and digests only: the texts are in the pages written."""
        entries = {page: _on_disk(e) for page, e in self.entries.items() if e.digest or e.text is not None}
        return {"entries": entries, "changed_last": self.changed_last}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["entries"])  # type: ignore[misc]
        self.changed_last = state["changed_last"]


def _on_disk(kept: KeptPage) -> KeptPage:
    if kept.text is None:
        return kept
    return KeptPage(kept.setting, kept.dependencies, kept.combined, None,
                    kept.digest or hashlib.sha256(kept.text.encode("utf-8")).hexdigest())
