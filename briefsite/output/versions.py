"""The dated version pages (render/versions.py): made while the site engine runs (on the
core it leaves free), then placed in the built site beside the engine's pages after the
search index is written (old versions are not searched: readers find the current text
first), and outside the sitemap.

A version's page and comparison are kept in build/version-cache/ with the key of what
they were made from (in its keys.json) (render.versions.version_key): a later build takes them from there,
byte for byte, unless the version's own content changed (or it stopped being current, or
the templates changed), so that what a reader cited stays as it was. The cache's files
are linked into the site, not copied, which costs nothing at thousands of versions.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..core import model as m
from ..core.forked import CAN_FORK, Forked
from ..core.project import Project
from ..incremental.drawings import Drawings
from ..read.history import read_whole
from ..render.environment import find_template
from ..render.versions import (
    STYLESHEET,
    Dated,
    VersionRenderer,
    dated_versions,
    needs_whole,
    settings_digest,
    version_key,
)

DOCUMENT_STYLESHEET = "assets/stylesheets/document.css"


@dataclass
class VersionsResult:
    rendered: int = 0
    """Version pages and comparisons made by this build."""
    kept: int = 0
    """Taken unchanged from the cache."""
    seconds: float = 0.0
    pages: list[str] = field(default_factory=list)
    """Every version page and comparison of the site (under build/version-cache/)."""


def render_versions(project: Project, library: m.Library, *, pdf_links: bool,
                    drawings: Drawings | None = None) -> VersionsResult:
    """Make every dated version page and comparison not in the cache as it is, into the
    cache (a build does it while the site engine runs: see place_versions for the rest)."""
    start = time.perf_counter()
    result = VersionsResult()
    dated = dated_versions(library)
    cache = project.build / "version-cache"
    if not dated:
        shutil.rmtree(cache, ignore_errors=True)
        return result
    setting = settings_digest(library, project.template_dirs, pdf_links)
    keys = _read_keys(cache)
    todo: list[tuple[Dated, str, str]] = []
    for d in dated:
        key = version_key(d, setting)
        for page in filter(None, (d.page, d.changes_page)):
            if keys.get(page) == key and (cache / page).is_file():
                result.kept += 1
            else:
                todo.append((d, page, key))
            result.pages.append(page)
    if todo:
        for _, page, _ in todo:  # about to change: never taken for what it was, should this build stop
            keys.pop(page, None)
        _write_keys(cache, keys)
        whole = read_whole(project.data, [v for d, page, _ in todo for v in needs_whole(d, page != d.page)])
        renderer = VersionRenderer(library, project.template_dirs, pdf_links=pdf_links, drawings=drawings,
                                   whole=whole)
        for d, page, key in todo:
            text = renderer.page(d) if page == d.page else renderer.changes(d)
            (cache / page).parent.mkdir(parents=True, exist_ok=True)
            _write_new(cache / page, text.encode("utf-8"))
            keys[page] = key
            result.rendered += 1
    _forget_all_but(cache, set(result.pages))
    _write_keys(cache, {page: keys[page] for page in result.pages if page in keys})
    result.seconds = time.perf_counter() - start
    return result


class VersionsBeside:
    """render_versions in a forked copy of this process (core.forked), started as soon as the
    library is read: it makes the version pages while this process renders the site's pages
    and the engine runs (a one-off build owns both cores, and the engine uses one). Where
    fork is not available, in a thread. A problem met there is raised by result(), as if met here."""

    def __init__(self, project: Project, library: m.Library, *, pdf_links: bool):
        self._done: VersionsResult | None = None
        self._failure: BaseException | None = None
        self._forked: Forked[VersionsResult] | None = None
        self._thread: threading.Thread | None = None
        if not dated_versions(library):  # nothing to make: only the cache to clear
            self._done = render_versions(project, library, pdf_links=pdf_links)
            return
        if not CAN_FORK:
            self._thread = threading.Thread(target=self._keep, args=(project, library, pdf_links), name="versions")
            self._thread.start()
            return

        def work() -> VersionsResult:
            gc.freeze()  # what this copy was given lives to its end: no collection walks it
            gc.enable()
            return render_versions(project, library, pdf_links=pdf_links)

        self._forked = Forked(work, "making the version pages")

    def _keep(self, project: Project, library: m.Library, pdf_links: bool) -> None:
        try:
            self._done = render_versions(project, library, pdf_links=pdf_links)
        except BaseException as exc:  # noqa: BLE001 - raised by result(), in the build's thread
            self._failure = exc

    def result(self) -> VersionsResult:
        """What the copy made, once it is done."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        elif self._forked is not None:
            forked, self._forked = self._forked, None
            self._done = forked.result()
        if self._failure is not None:
            raise self._failure
        if self._done is None:
            raise RuntimeError("making the version pages failed: no result")
        return self._done

    def stop(self) -> None:
        """Stop the copy if the build ended before asking for its result."""
        if self._forked is not None:
            self._forked.stop()


def place_versions(project: Project, made: VersionsResult, site: Path) -> None:
    """Put the pages render_versions made or kept into `site` (the staging folder), with
    their stylesheets: linked from the cache, not copied."""
    if not made.pages:
        return
    cache = project.build / "version-cache"
    for page in made.pages:
        _link(cache / page, site / page)
    _write_stylesheets(project, site)


def _write_stylesheets(project: Project, site: Path) -> None:
    for rel, template in ((DOCUMENT_STYLESHEET, "print/print.css"), (STYLESHEET, "version/version.css")):
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(find_template(project.template_dirs, template), target)


def _write_new(path: Path, data: bytes) -> None:
    """A new file in place of the old (never rewriting the old one, which a built site may link)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _link(kept: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(kept, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(kept, target)


KEYS = "keys.json"
"""build/version-cache/keys.json: page -> the key of what it was made from."""


def _read_keys(cache: Path) -> dict[str, str]:
    try:
        keys = json.loads((cache / KEYS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return keys if isinstance(keys, dict) else {}


def _write_keys(cache: Path, keys: dict[str, str]) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    _write_new(cache / KEYS, json.dumps(keys, sort_keys=True).encode("utf-8"))


def _forget_all_but(cache: Path, wanted: set[str]) -> None:
    for path in cache.rglob("*.html"):
        if path.relative_to(cache).as_posix() not in wanted:
            path.unlink()

