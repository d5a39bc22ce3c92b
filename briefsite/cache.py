"""What a build keeps for the next one: the files it read and checked, the pages it rendered.

An unchanged file is not checked again (validate.FileMemo) and a page whose inputs are
unchanged is not rendered again (render.PageMemo). Both live in memory in the live
preview, and between builds in one file under build/cache/, stamped with everything
that could change their meaning: our own code, the libraries that parse and render, and
Graphviz. A cache that is missing, stale or unreadable is simply an empty one; a build
never fails because of it, and deleting build/ is always safe.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .project import Project
from .render import PageMemo
from .validate import FileMemo

_PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "Jinja2", "Markdown", "MarkupSafe")


@dataclass
class Memory:
    """What one run learned, for the next."""

    files: FileMemo = field(default_factory=FileMemo)
    pages: PageMemo = field(default_factory=PageMemo)


def cache_file(project: Project) -> Path:
    return project.build / "cache" / "memory.pickle"


def stamp() -> str:
    """Changes whenever a kept result could differ for the same input."""
    parts = [sys.version]
    for source in sorted(_PACKAGE.glob("*.py")):
        parts.append(f"{source.name}:{hashlib.sha256(source.read_bytes()).hexdigest()}")
    for name in _LIBRARIES:
        try:
            parts.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    dot = shutil.which("dot")
    if dot:
        info = Path(dot).resolve().stat()
        parts.append(f"dot:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def load(project: Project) -> Memory:
    """The memory of the last build, or an empty one. The file is our own, written by
    `save` into the project's build folder; nothing else is ever read as a pickle. The
    pages it kept are read back from where they were written (PageMemo.store)."""
    memory = _kept(cache_file(project)) or Memory()
    memory.pages.store = project.generated_docs
    return memory


def _kept(path: Path) -> Memory | None:
    try:
        with path.open("rb") as stream:
            kept_stamp, files, pages = pickle.load(stream)  # noqa: S301 - only our own build/cache file
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - any damage (a cut-off file, an old layout) means "start afresh"
        return None
    if kept_stamp != stamp() or not isinstance(files, FileMemo) or not isinstance(pages, PageMemo):
        return None
    return Memory(files, pages)


def save(project: Project, memory: Memory) -> None:
    """Write the memory for the next build, whole or not at all; a failure only costs speed.
    When this run found everything as the last one left it, the file stays as it is."""
    path = cache_file(project)
    if not memory.files.changed_last and not memory.pages.changed_last and path.is_file():
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as stream:
            pickle.dump((stamp(), memory.files, memory.pages), stream, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except Exception:  # noqa: BLE001 - a full disk or a record that will not pickle: the next build starts afresh
        tmp.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
