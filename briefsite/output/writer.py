"""The one place that writes generated files."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..core.folders import real_folder, remove_all_but


@dataclass
class WriteStats:
    """What a write pass did."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def write_tree(root: Path, files: dict[str, str | bytes]) -> WriteStats:
    """Make `root` hold exactly `files` (relative path -> content).

    A file is written only when its content changed, so the site engine's live
    reload (which watches timestamps) rebuilds only what really changed. Files
    under root that are no longer produced are removed, and so is anything that is not a
    regular file (a link put there). Nothing outside root is touched.
    """
    tree = TreeWriter(root, set(files))
    for rel, content in sorted(files.items()):
        if tree.put(rel, content.encode("utf-8") if isinstance(content, str) else content):
            tree.stats.written.append(rel)
    return tree.stats


class TreeWriter:
    """Makes `root` hold exactly the files named in `wanted`, written one by one (by
    `write`, in this process or in a forked copy of it, each file once), as write_tree does:
    on creation, whatever else is under root, and whatever is not a regular file (a link put
    there), is removed before anything is written."""

    def __init__(self, root: Path, wanted: set[str]):
        real_folder(root)
        self.root = root.resolve()
        self.stats = WriteStats(removed=remove_all_but(self.root, wanted))
        self._folders_inside: dict[Path, bool] = {}  # a folder linked elsewhere would lead outside root

    def write(self, rel: str, text: str | bytes) -> tuple[str, bool]:
        """Write one page (bytes: as UTF-8 already) unless its file already holds it: the sha256
        of what the file holds, and whether it was written."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        return hashlib.sha256(data).hexdigest(), self.put(rel, data)

    def put(self, rel: str, data: bytes) -> bool:
        """Write one file unless it already holds `data`; whether it was written."""
        target = self.root / rel
        if not _stays_inside(rel) or not _folder_inside(target.parent, self.root, self._folders_inside):
            raise ValueError(f"refusing to write outside {self.root}: {rel}")
        if _holds(target, data):
            self.stats.unchanged += 1
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.unlink(missing_ok=True)
        tmp.write_bytes(data)
        tmp.replace(target)
        return True


def _stays_inside(rel: str) -> bool:
    """A relative path that names a file below its root: no '..', not absolute, not empty."""
    parts = PurePosixPath(rel).parts
    return bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts and "\\" not in rel


def _folder_inside(folder: Path, root: Path, known: dict[Path, bool]) -> bool:
    if folder not in known:
        resolved = folder.resolve()
        known[folder] = resolved == root or root in resolved.parents
    return known[folder]


def _holds(target: Path, data: bytes) -> bool:
    """The file exists, is no link, and holds exactly `data` (sizes first: most changes change it)."""
    try:
        info = target.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        with target.open("rb") as stream:
            return stream.read() == data
    except OSError:
        return False


def write_file(path: Path, text: str) -> bool:
    """One generated file outside a tree (the engine's settings): written only when its
    content changed, so the engine's live reload does not see a change that is none.
    Written as a new file put in place: a link found there is replaced, not written through."""
    data = text.encode("utf-8")
    if _holds(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative POSIX path."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
