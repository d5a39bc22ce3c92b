"""Files a build keeps in build/ for the next, whose bytes are too many for the signed cache:
the dated version pages (build/version-cache/) and the PDFs (build/pdf-cache/).

What each was made from and the sha256 of its bytes are kept in the signed cache
(incremental.store). A kept file is used again only when what it was made from is
unchanged and it is still a regular file (no link, no folder) holding exactly those bytes;
anything else under those folders (a file changed or put there by hand, a link) is
removed and made again, never published.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.folders import real_folder, remove_all_but
from .digests import Digests
from .tracking import Dependency

VERSIONS = "version-cache"
"""build/version-cache/: the dated version pages and their comparisons."""
PDFS = "pdf-cache"
"""build/pdf-cache/: every PDF, by its name under the site's pdf/."""
FOLDERS = (VERSIONS, PDFS)


@dataclass(frozen=True)
class KeptFile:
    """A file as a build made it, and what it was made from."""

    setting: str
    """A digest of what the file depends on besides the library (templates, options, stylesheet)."""
    dependencies: tuple[Dependency, ...]
    """What it read of the library while it was made (none for a file keyed by its whole input)."""
    combined: str
    """The digest of those dependencies when it was made."""
    digest: str
    """sha256 of the file's bytes."""


@dataclass(frozen=True)
class SiteRecord:
    """What site/ was built for, tied to the very site by the digest of its home page (which
    lists what the site holds: no other build gives the same one and withholds otherwise)."""

    public: bool
    home: str
    """sha256 of site/index.html as the build swapped it in."""


def home_digest(site: Path) -> str | None:
    return file_digest(site / "index.html")


@dataclass
class KeptFiles:
    """The kept files, by name relative to build/ ('pdf-cache/briefing-book.pdf')."""

    entries: dict[str, KeptFile] = field(default_factory=dict)
    site: SiteRecord | None = None
    """What the last build that swapped in site/ built it for (the `pdf` command writes for it)."""
    root: Path | None = field(default=None, compare=False)
    """build/ of the project (set when loaded; not saved)."""
    refused: list[str] = field(default_factory=list, compare=False)
    """Files found changed, or not regular files, since they were made: made again (said in one line)."""
    changed: bool = field(default=False, compare=False)
    """Whether anything was kept or let go since loading (then worth saving)."""
    _real: set[str] = field(default_factory=set, compare=False, repr=False)
    """The folders of build/ made sure of in this process."""

    def __getstate__(self) -> dict[str, object]:
        """What was kept: not where, nor what this process found."""
        return {"entries": self.entries, "site": self.site}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(**state)  # type: ignore[misc, arg-type]

    def record_site(self, site: Path, public: bool) -> None:
        """site/ was just swapped in by a build, for the open web or not."""
        home = home_digest(site)
        self.site = SiteRecord(public, home) if home is not None else None
        self.changed = True

    def site_is_public(self, site: Path) -> bool | None:
        """Whether site/ was built for the open web; None when it is not the site the last
        build swapped in (made otherwise, or build/ deleted since)."""
        if self.site is None or home_digest(site) != self.site.home:
            return None
        return self.site.public

    def path(self, name: str) -> Path:
        """Where the file `name` is kept; its folder of build/ made a real folder first (a link
        put in its place is removed, never written through)."""
        if self.root is None:
            raise ValueError("kept files without a folder")
        folder = name.split("/", 1)[0]
        if folder not in self._real:
            real_folder(self.root / folder)
            self._real.add(folder)
        return self.root / name

    def take(self, name: str, setting: str, digests: Digests | None = None) -> bool:
        """Whether the file kept under `name` is still what would be made now: made with this
        setting, from dependencies whose digest is unchanged (`digests`, when it has any), and
        still holding exactly the bytes it was made with."""
        found = self.entries.get(name)
        if found is None or found.setting != setting:
            return False
        if found.dependencies and (digests is None or digests.combined(found.dependencies) != found.combined):
            return False
        if file_digest(self.path(name)) != found.digest:
            self.refused.append(name)
            self.forget(name)
            return False
        return True

    def put(self, name: str, setting: str, dependencies: tuple[Dependency, ...] = (), combined: str = "",
            data: bytes | None = None) -> None:
        """Keep the file `name`: `data` written there as a new file (never rewriting the old one,
        which a built site may link), or, without data, the file just made there."""
        path = self.path(name)
        if data is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        digest = hashlib.sha256(data).hexdigest() if data is not None else file_digest(path)
        if digest is None:
            raise OSError(f"{path}: not a regular file")
        self.entries[name] = KeptFile(setting, dependencies, combined, digest)
        self.changed = True

    def forget(self, name: str) -> None:
        """About to be made again: never taken for what it was, should this build stop."""
        if self.entries.pop(name, None) is not None:
            self.changed = True

    def place(self, name: str, target: Path) -> None:
        """Put the kept file at `target` (in the new site): linked, not copied (costs nothing at
        thousands of files), and checked again there: the link is made to whatever the name
        holds now, which must still be the regular file taken."""
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(self.path(name), target)  # never follows a link: a link put there is linked as a link
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(self.path(name), target, follow_symlinks=False)
        if file_digest(target) != self.entries[name].digest:
            target.unlink(missing_ok=True)
            raise OSError(f"{self.path(name)} changed while the build ran; build again")

    def keep_only(self, folder: str, names: Iterable[str]) -> None:
        """Forget every file under `folder` but these, and remove from the folder everything
        else: files no longer made, and whatever is not a regular file."""
        wanted = set(names)
        for name in [n for n in self.entries if n.startswith(f"{folder}/") and n not in wanted]:
            self.forget(name)
        if self.root is not None:
            remove_all_but(self.root / folder, {n.removeprefix(f"{folder}/") for n in wanted})


def file_digest(path: Path) -> str | None:
    """sha256 of a regular file's bytes; None for anything else (missing, a link, a folder)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(fd)


