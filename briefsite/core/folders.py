"""Folders the tool owns under build/ and site/: each a real folder, holding only what the
tool put there. A link found in one (put there by hand, or by a zip or a restored cache)
is removed, never followed: nothing outside the project is read into a site, written
through, or removed from where the link leads."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def real_folder(path: Path) -> None:
    """Make `path` a folder of its own: a link (or a file) in its place is removed first, so
    that nothing is written through it, or removed from where it leads."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)


def remove_all_but(root: Path, wanted: set[str]) -> list[str]:
    """Remove under `root` every entry but the regular files named in `wanted` (relative POSIX
    paths) and the real folders holding them: files no longer produced, and anything put
    there that is not a regular file (a link, to a file or a folder, is removed, never
    followed, so nothing outside root is ever read into the site). The paths removed."""
    removed: list[str] = []
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        root.unlink()  # a link in the folder's place leads elsewhere: nothing there is ours to remove
        return removed
    for top, dirs, names in os.walk(root, topdown=False):  # links to folders are listed, not entered
        here = Path(top)
        for name in names + dirs:
            path = here / name
            info = path.lstat()
            if stat.S_ISDIR(info.st_mode):
                if not any(path.iterdir()):
                    path.rmdir()
                continue
            rel = path.relative_to(root).as_posix()
            if not (stat.S_ISREG(info.st_mode) and rel in wanted):
                path.unlink()
                removed.append(rel)
    return removed
