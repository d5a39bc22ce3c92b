"""What a build keeps for the next, on disk: one file under build/cache/.

The file is stamped with everything that could change the meaning of what it holds (our
own code, the libraries that parse and render, Graphviz) and signed with a key kept
outside the project (see `cache_key`). It is a pickle, and unpickling can run code, so
the signature is checked before a byte of it is unpickled: a file planted in `build/` (a
shared drive, a zip from a colleague, a restored CI cache) is ignored, not run. A cache
that is missing, stale, unsigned or unreadable is simply an empty one; a build never fails
because of it, and deleting build/ is always safe.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import os
import pickle
import secrets
import shutil
import sys
from pathlib import Path
from typing import BinaryIO

from ..core.folders import real_folder
from ..core.project import Project
from .digests import Digests
from .files import FileMemo
from .maps import KeptMaps
from .memory import KeptHistory, Memory
from .outputs import KeptFiles
from .pages import PageMemo
from .records import PerRecord

_PACKAGE = Path(__file__).resolve().parent.parent
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "Jinja2", "Markdown", "MarkupSafe", "shapely", "pyproj")
MAGIC = b"briefsite-cache-6\n"
KEY_VARIABLE = "BRIEFSITE_CACHE_KEY"
"""An environment variable that gives the key instead of the key file (CI sets it from a secret)."""


def cache_file(project: Project) -> Path:
    return project.build / "cache" / "memory.pickle"


def key_file() -> Path:
    """Where this user's key lives: outside every project, readable by this user only."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "briefsite" / "cache.key"


def cache_key() -> bytes | None:
    """The key that signs this user's caches: from BRIEFSITE_CACHE_KEY, else from the key
    file, made on first use. None when there is none to be had (then nothing is kept)."""
    given = os.environ.get(KEY_VARIABLE, "")
    if given:
        return hashlib.sha256(given.encode("utf-8")).digest()
    path = key_file()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as stream:
            stream.write(secrets.token_bytes(32))
        return path.read_bytes()
    except FileExistsError:  # another build made it just now
        return path.read_bytes()
    except OSError:
        return None


def stamp() -> str:
    """Changes whenever a kept result could differ for the same input."""
    parts = [sys.version]
    for source in sorted([*_PACKAGE.rglob("*.py"), *_PACKAGE.rglob("*.npz")]):  # the code, the basemap
        parts.append(f"{source.relative_to(_PACKAGE).as_posix()}:{hashlib.sha256(source.read_bytes()).hexdigest()}")
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


def outputs_file(project: Project) -> Path:
    """What the kept files under build/ were made from, and their digests (incremental.outputs)."""
    return project.build / "cache" / "outputs.pickle"


def load(project: Project) -> Memory:
    """The memory of the last build, or an empty one. The pages it kept are read back from
    where they were written (PageMemo.store); the files it kept, from build/ (KeptFiles)."""
    memory = _kept_memory(cache_file(project)) or Memory()
    memory.pages.store = project.generated_docs
    memory.outputs = load_outputs(project)
    return memory


def load_outputs(project: Project) -> KeptFiles:
    """The kept files' record alone (the `pdf` command needs no more)."""
    outputs = _read_signed(outputs_file(project))
    outputs = outputs if isinstance(outputs, KeptFiles) else KeptFiles()
    outputs.root = project.build
    return outputs


def _kept_memory(path: Path) -> Memory | None:
    kept = _read_signed(path)
    if not isinstance(kept, tuple) or len(kept) != 6:
        return None
    files, pages, digests, per_record, history, maps = kept
    if not isinstance(files, FileMemo) or not isinstance(pages, PageMemo):
        return None
    return Memory(files, pages, digests=digests if isinstance(digests, Digests) else None,
                  per_record=per_record if isinstance(per_record, PerRecord) else PerRecord(),
                  history=history if isinstance(history, KeptHistory) else KeptHistory(),
                  maps=maps if isinstance(maps, KeptMaps) else KeptMaps())


def _read_signed(path: Path) -> object | None:
    """What a file of the store holds, if this user's key signed it and this code stamped it;
    else None. Nothing is unpickled before its signature is checked."""
    key = cache_key()
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if key is None or not data.startswith(MAGIC):
        return None
    # a view, not a copy: at thousands of briefings the file is some 200 MB
    signature, payload = data[len(MAGIC):len(MAGIC) + 32], memoryview(data)[len(MAGIC) + 32:]
    if not hmac.compare_digest(signature, _sign(key, payload)):
        return None  # not written by us: never unpickled
    try:
        kept_stamp, kept = pickle.loads(payload)  # noqa: S301 - signed
    except Exception:  # noqa: BLE001 - an old layout means "start afresh"
        return None
    return kept if kept_stamp == stamp() else None


def _sign(key: bytes, payload: bytes | memoryview) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


class _Signing:
    """A file the pickle is written to, signing what passes through."""

    def __init__(self, stream: BinaryIO, key: bytes):
        self.stream = stream
        self.mac = hmac.new(key, digestmod=hashlib.sha256)

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.stream.write(data)


def save(project: Project, memory: Memory) -> None:
    """Write the memory for the next build, whole or not at all; a failure only costs speed.
    When this run found everything as the last one left it, the file stays as it is."""
    path = cache_file(project)
    unchanged = not memory.files.changed_last and not memory.pages.changed_last and not memory.history.changed \
        and not memory.maps.changed
    if unchanged and path.is_file():
        return
    # one pickle for all: the digests' records are the files' records, unchanged ones stay shared
    _write_signed(path, (memory.files, memory.pages, memory.digests, memory.per_record, memory.history, memory.maps))
    memory.maps.changed = False


def save_outputs(project: Project, outputs: KeptFiles) -> None:
    """Write what the kept files were made from (small: written after the PDFs, when they are all made)."""
    if outputs.changed or not outputs_file(project).is_file():
        _write_signed(outputs_file(project), outputs)
        outputs.changed = False


def _write_signed(path: Path, kept: object) -> None:
    """Write `kept` stamped and signed, whole or not at all (a failure only costs speed: the
    next build starts afresh)."""
    key = cache_key()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        if key is None:
            raise OSError("no key to sign the cache with")
        real_folder(path.parent)
        with tmp.open("xb") as stream:  # a new file: never one put in its place
            stream.write(MAGIC + bytes(32))  # the signature goes here once the payload is written
            signing = _Signing(stream, key)
            pickle.dump((stamp(), kept), signing, protocol=pickle.HIGHEST_PROTOCOL)  # streamed: never whole in memory
            stream.seek(len(MAGIC))
            stream.write(signing.mac.digest())
        tmp.replace(path)
    except Exception:  # noqa: BLE001 - a full disk or a record that will not pickle: the next build starts afresh
        tmp.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
