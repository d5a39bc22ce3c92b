"""Files read before: what each yielded, by place and text."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class FileMemo(Generic[T]):
    """Results of the files read before, by place and text, so that a run reads again
    only the files that changed (the live preview keeps one; a build keeps one on disk).

    The key is the file's path, the working folder (messages name files relative to it)
    and a digest of the file's text: an unchanged file gives the same result, whatever
    the read stage makes of a file (its records and problems).
    """

    def __init__(self, entries: dict[Any, T] | None = None):
        self.entries: dict[Any, T] = entries or {}
        self.used: dict[Any, T] = {}
        self.hits = 0
        self.changed_last = True
        """Whether the last run read anything anew (then the memo is worth saving)."""

    def result(self, file: Path, text: str, kind: str, read: Callable[[Path, str], T]) -> tuple[T, bool]:
        """What `read(file, text)` gives, and whether it came from memory (the same text was read
        at the same place before)."""
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        key = (kind, str(file), os.getcwd(), digest)
        found = self.used.get(key) or self.entries.get(key)
        kept = found is not None
        if found is None:
            found = read(file, text)
        else:
            self.hits += 1
        self.used[key] = found
        return found, kept

    @property
    def changed(self) -> bool:
        """This run read a file anew, or no longer reads one it had."""
        return self.hits != len(self.used) or len(self.used) != len(self.entries)

    def finish_run(self) -> None:
        """Keep only what this run read: files removed or changed since are dropped."""
        self.changed_last = self.changed
        self.entries, self.used, self.hits = self.used, {}, 0
