"""One build of a project at a time.

A build, the PDFs and each re-render of the live preview hold an exclusive lock on
build/.lock. The system releases it when its holder ends, however it ends (Ctrl-C, a
crash, kill -9), so the lock of a dead process is simply taken over: nothing to clean up.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import BriefError, display_path
from .project import Project


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _holder(fd: int) -> str:
    """' (pid N)': who holds the lock, as it wrote itself into the file."""
    try:
        pid = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


@contextlib.contextmanager
def project_lock(project: Project, wait: bool = True, say: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the project's lock: wait for another holder (saying so once), or with `wait`
    False raise BriefError at once."""
    path = project.build / ".lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = _open_lock_file(path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise BriefError(f"{display_path(project.root)}: another build of this project is running{holder}; "
                                 "run again when it has finished, or leave out --no-wait to wait for it") from None
            say(f"another build of this project is running{holder}; waiting")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _open_lock_file(path: Path) -> int:
    """The lock file, never through a link put in its place (it is written to: the holder's pid)."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError:
        if not path.is_symlink():
            raise
        path.unlink()
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
