"""The dated version pages (render/versions.py): made while the site engine runs (on the
core it leaves free), then placed in the built site beside the engine's pages after the
search index is written (old versions are not searched: readers find the current text
first), and outside the sitemap.

A version's page and comparison are kept in build/version-cache/ (incremental.outputs),
with what they were made from: a later build takes them from there, byte for byte, when
nothing they were made from changed and the file is still exactly what was written. The
kept files are linked into the site, not copied, which costs nothing at thousands of versions.
"""

from __future__ import annotations

import gc
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..core import model as m
from ..core.forked import CAN_FORK, Forked
from ..core.project import Project
from ..incremental.digests import Digests
from ..incremental.drawings import Drawings
from ..incremental.outputs import VERSIONS, KeptFile, KeptFiles
from ..read.history import read_whole
from ..render.environment import find_template
from ..render.index import LibraryIndex
from ..render.versions import STYLESHEET, Dated, VersionRenderer, dated_versions, needs_whole, version_setting
from .engine import configured_site_url

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
    entries: dict[str, KeptFile] = field(default_factory=dict)
    """What each of them was made from (for the signed cache: made in another process)."""
    refused: list[str] = field(default_factory=list)
    """Kept files found changed since they were made (made again)."""


def kept_name(page: str) -> str:
    """Where a version page is kept, relative to build/."""
    return f"{VERSIONS}/{page}"


def render_versions(project: Project, library: m.Library, kept: KeptFiles, *, pdf_links: bool, public: bool,
                    drawings: Drawings | None = None) -> VersionsResult:
    """Make every dated version page and comparison not kept as it is, into the cache (a
    build does it while the site engine runs: see place_versions for the rest). A kept one
    is taken when nothing it read has changed since (render.versions)."""
    start = time.perf_counter()
    result = VersionsResult()
    dated = dated_versions(library)
    site_url = configured_site_url(project)
    setting = version_setting(project.template_dirs, language=library.site.language, pdf_links=pdf_links,
                              public=public, site_url=site_url)
    digests = Digests(library, LibraryIndex(library).view)
    todo: list[tuple[Dated, str]] = []
    for d in dated:
        for page in filter(None, (d.page, d.changes_page)):
            if kept.take(kept_name(page), setting, digests):
                result.kept += 1
            else:
                kept.forget(kept_name(page))
                todo.append((d, page))
            result.pages.append(page)
    if todo:
        whole = read_whole(project.data, [v for d, page in todo for v in needs_whole(d, page != d.page)])
        renderer = VersionRenderer(library, project.template_dirs, pdf_links=pdf_links, drawings=drawings,
                                   whole=whole, site_url=site_url)
        for d, page in todo:
            text, read = renderer.page(d) if page == d.page else renderer.changes(d)
            kept.put(kept_name(page), setting, read, digests.combined(read), data=text.encode("utf-8"))
            result.rendered += 1
    kept.keep_only(VERSIONS, [kept_name(page) for page in result.pages])
    result.entries = {name: e for name, e in kept.entries.items() if name.startswith(f"{VERSIONS}/")}
    result.refused = [name for name in kept.refused if name.startswith(f"{VERSIONS}/")]
    result.seconds = time.perf_counter() - start
    return result


class VersionsBeside:
    """render_versions in a forked copy of this process (core.forked), started as soon as the
    library is read: it makes the version pages while this process renders the site's pages
    and the engine runs (a one-off build owns both cores, and the engine uses one). Where
    fork is not available, in a thread. A problem met there is raised by result(), as if met here."""

    def __init__(self, project: Project, library: m.Library, kept: KeptFiles, *, pdf_links: bool, public: bool):
        self._kept = kept
        self._done: VersionsResult | None = None
        self._failure: BaseException | None = None
        self._forked: Forked[VersionsResult] | None = None
        self._thread: threading.Thread | None = None
        if not dated_versions(library):  # nothing to make: only the cache to clear
            self._done = render_versions(project, library, kept, pdf_links=pdf_links, public=public)
            return
        if not CAN_FORK:
            self._thread = threading.Thread(target=self._keep, args=(project, library, pdf_links, public),
                                            name="versions")
            self._thread.start()
            return

        def work() -> VersionsResult:
            gc.freeze()  # what this copy was given lives to its end: no collection walks it
            gc.enable()
            return render_versions(project, library, kept, pdf_links=pdf_links, public=public)

        self._forked = Forked(work, "making the version pages")

    def _keep(self, project: Project, library: m.Library, pdf_links: bool, public: bool) -> None:
        try:
            self._done = render_versions(project, library, self._kept, pdf_links=pdf_links, public=public)
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
        self._take_record(self._done)
        return self._done

    def _take_record(self, made: VersionsResult) -> None:
        """What the version pages were made from, as the copy that made them recorded it."""
        kept = self._kept
        for name in [n for n in kept.entries if n.startswith(f"{VERSIONS}/")]:
            if kept.entries[name] != made.entries.get(name):
                kept.forget(name)
        for name, entry in made.entries.items():
            if kept.entries.get(name) != entry:
                kept.entries[name] = entry
                kept.changed = True
        kept.refused.extend(n for n in made.refused if n not in kept.refused)

    def stop(self) -> None:
        """Stop the copy if the build ended before asking for its result. What it was making
        is then not known here: the version pages kept are forgotten (made again next time),
        never taken for what they were."""
        if self._forked is None and self._thread is None:
            return
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._forked is not None:
            self._forked.stop()
            self._forked = None
        for name in [n for n in self._kept.entries if n.startswith(f"{VERSIONS}/")]:
            self._kept.forget(name)


def place_versions(made: VersionsResult, kept: KeptFiles, site: Path, templates: tuple[Path, ...]) -> None:
    """Put the pages render_versions made or kept into `site` (the staging folder), with
    their stylesheets: linked from the cache, not copied."""
    if not made.pages:
        return
    for page in made.pages:
        kept.place(kept_name(page), site / page)
    _write_stylesheets(templates, site)


def _write_stylesheets(templates: tuple[Path, ...], site: Path) -> None:
    for rel, template in ((DOCUMENT_STYLESHEET, "print/print.css"), (STYLESHEET, "version/version.css")):
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(find_template(templates, template), target)
