"""The stages in order: load and validate, render, stage, run the engine, make the PDFs,
swap in. What a build keeps for the next (incremental) is handed to the stages as one object."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .authoring.init import keep_desk_files
from .console import problem_lines
from .core import model as m
from .core.errors import BriefError, PdfError, Problem, Report, Severity, SiteError, ValidationError, display_path
from .core.lock import project_lock
from .core.project import Project
from .core.publish import public_subset
from .core.text import library_counts
from .incremental import store
from .incremental.memory import Memory, collector_paused, give_back_freed_memory
from .incremental.outputs import KeptFiles
from .output.engine import (
    DEFAULT_ENGINE,
    StagedDocs,
    clear_staging,
    configured_site_url,
    get_engine,
    restore_site,
    run_engine_build,
    show_preview_errors,
    stage_docs,
    staging_dir,
    swap_in,
    write_engine_config,
)
from .output.hosting import write_headers_file
from .output.pdf import export_pdfs
from .output.search import write_search_index
from .output.versions import VersionsBeside, place_versions
from .read.library import load_library
from .render.pages import render_and_write, render_pages
from .render.print_html import pdf_names

BUILD_STAGES = ("load and validate", "render", "site engine", "search index", "pdf", "swap in")
"""What a build reports to a progress display, in order (a build without PDFs skips "pdf")."""

Progress = Callable[[str, str], None]
"""Told each stage of BUILD_STAGES as it starts, with a count of what it works on."""


def _no_progress(stage: str, detail: str) -> None:
    pass


@dataclass(frozen=True)
class BuildOptions:
    """How to build: what the command line's options say."""

    strict: bool = False
    """Warnings fail the build too."""
    quiet: bool = False
    """Print only problems (the engine's output is shown only when it fails)."""
    public: bool = False
    """Only final, public briefings and what they use (core.publish)."""
    engine: str = DEFAULT_ENGINE
    """The site engine (output.engine.ENGINES): mkdocs, properdocs or zensical."""
    pdf: bool = True
    """Make the PDFs into pdf/ of the new site before it replaces the old one."""
    paper: str = "a4"
    """a4 or letter."""
    wait: bool = True
    """Wait for another build of the project to finish (False: fail at once)."""


@dataclass
class BuildResult:
    """What a build did, for the command line to report."""

    library: m.Library
    warnings: list[Problem]
    pages_written: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """What a person should know of the build besides problems (one line each)."""


def refused_note(kept: KeptFiles) -> list[str]:
    """One line on kept files that were not as the build left them (made again, never used)."""
    if not kept.refused:
        return []
    shown = ", ".join(f"build/{name}" for name in kept.refused[:3])
    more = f" and {len(kept.refused) - 3} more" if len(kept.refused) > 3 else ""
    return [f"note: {len(kept.refused)} file{'s' if len(kept.refused) != 1 else ''} kept in build/ had changed since "
            f"this tool made {'them' if len(kept.refused) != 1 else 'it'} ({shown}{more}): made again, not used"]


@contextlib.contextmanager
def _saving_beside(project: Project, memory: Memory, timings: dict[str, float]) -> Iterator[None]:
    """Write the cache for the next build while the site engine runs: the engine is one
    process on one core, and the other is free. Done before the build goes on."""
    def save() -> None:
        begun = time.perf_counter()
        store.save(project, memory)
        timings["cache write"] = time.perf_counter() - begun

    saver = threading.Thread(target=save, name="cache-write")
    saver.start()
    try:
        yield
    finally:
        saver.join()


def check(project: Project, strict: bool = False, memory: Memory | None = None) -> tuple[m.Library, Report]:
    """Load and validate; raise ValidationError carrying every problem when it fails.
    With the `memory` of earlier runs, only files that changed since are checked again."""
    memory = memory if memory is not None else Memory()  # nothing kept: read every file
    with collector_paused():
        library, report = load_library(project.data, memo=memory.files, history=memory.history)
    failing = report.errors + (report.warnings if strict else [])
    if library is None or failing:
        raise ValidationError(report.problems)
    return library, report


def load_memory(project: Project) -> Memory:
    """The last build's cache (store.load), read with the collector paused: unpickling makes
    millions of objects too."""
    with collector_paused():
        return store.load(project)


def check_remembering(project: Project, strict: bool = False) -> tuple[m.Library, Report]:
    """`check`, with what the last build read: only files changed since are read again
    (the `validate` command; it leaves the cache as it was)."""
    return check(project, strict, memory=load_memory(project))


def render_preview(project: Project) -> tuple[m.Library, Report]:
    """The live preview's first render, before its engine starts: from the last build's
    cache, and kept in the cache for the renders that follow each edit (the engine's hooks
    run in the engine's process and start from the cache). Raises ValidationError."""
    with project_lock(project):
        return _render_preview(project)


def _render_preview(project: Project) -> tuple[m.Library, Report]:
    memory = load_memory(project)
    library, report = check(project, memory=memory)
    with collector_paused():
        stage_docs(project, render_pages(library, project.template_dirs, site_url=configured_site_url(project),
                                         memory=memory, workers=min(2, os.cpu_count() or 1), stix=False),
                   preview_errors=[])
        store.save(project, memory)
    return library, report


def render_docs(project: Project, out: TextIO, memory: Memory, shown: list[str] | None = None) -> bool:
    """Validate, render and stage the pages (used by the live preview); False on errors.

    Problems are printed grouped (console.problem_lines), and only when they differ from
    `shown`, what the last render printed (updated here): a warning is said once, not at
    every edit.

    `memory` is the live preview's: what an earlier call (or, the first time, the last
    build) read and rendered is kept, so an edit costs the files and pages it changes.
    What a render leaves lives as long as the server, or is freed as soon as it is no longer
    used (a render makes no cycles of its own), so it is frozen out of every later
    collection: each full collection of the live server's memory took 0.4 s at 1,000 briefings.
    """
    with collector_paused(freeze=True), project_lock(project):
        try:
            library, report = check(project, memory=memory)
            _say_once(report.warnings, out, shown)
            stage_docs(project, render_pages(library, project.template_dirs, site_url=configured_site_url(project),
                                             memory=memory, stix=False), preview_errors=[])
        except BriefError as exc:
            _say_once(exc.problems, out, shown)
            show_preview_errors(project, problem_lines([p for p in exc.problems if p.severity is Severity.ERROR]))
            gc.collect()  # what failed leaves cycles (a traceback and its frames): collected, not frozen
            return False
        except Exception as exc:  # noqa: BLE001 - a fault of the tool must not stop the preview answering
            traceback.print_exc(file=out)
            show_preview_errors(project, [internal_fault(exc)])
            gc.collect()
            return False
    return True


def internal_fault(exc: BaseException) -> str:
    """One line for a fault of the tool itself (never of the data: that has its own messages)."""
    return (f"error: the tool failed on this data ({type(exc).__name__}: {exc}); the preview shows the last good "
            "pages. This is a fault of the tool, not of your files: please report it with the file you last "
            "changed, and undo that change to go on")


def _say_once(problems: list[Problem], out: TextIO, shown: list[str] | None) -> None:
    lines = problem_lines(problems)
    if shown is None or lines != shown:
        for line in lines:
            print(line, file=out)
    if shown is not None:
        shown[:] = lines


def preview_memory(project: Project) -> Memory:
    """The memory a live preview starts from: the last build's, keeping converted fields too."""
    return Memory.for_preview(load_memory(project))


def build(project: Project, options: BuildOptions = BuildOptions(), progress: Progress = _no_progress) -> BuildResult:
    """Build the whole site into a staging folder, then swap it in for site/."""
    try:
        with project_lock(project, wait=options.wait):
            restore_site(project)
            return _build(project, options, progress)
    finally:
        gc.unfreeze()  # what the build froze (see collector_paused) may be collected again


def _build(project: Project, options: BuildOptions, progress: Progress) -> BuildResult:
    get_engine(options.engine)  # unknown or not installed: say so before any work
    if options.public and configured_site_url(project) is None:
        raise SiteError(f"{display_path(project.config)}: a public build needs the address the site is published "
                        "at, for its sitemap, its feed and its 404 page; set SITE_URL (SITE_URL=https://example.org/"
                        "briefs/ python build_brief.py build --public) or site_url in the settings")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    progress("load and validate", f"{sum(1 for _ in project.data.rglob('*.yaml'))} files")
    with collector_paused(freeze=True):  # the cache, the library and the pages live to the end
        memory = load_memory(project)
        library, report = check(project, options.strict, memory=memory)
        if options.public:
            library = public_subset(library)
        keep_desk_files(project.root)  # its schemas and manual, as this version of the tool writes them
        timings["load+validate"] = time.perf_counter() - start
        versions = VersionsBeside(project, library, memory.outputs, pdf_links=options.pdf, public=options.public)
    try:
        return _render_and_publish(project, options, progress, library, report, memory, versions, timings)
    finally:
        versions.stop()
        store.save_outputs(project, memory.outputs)  # what was kept or let go, even by a build that stopped


def _render_and_publish(project: Project, options: BuildOptions, progress: Progress, library: m.Library,
                        report: Report, memory: Memory, versions: VersionsBeside,
                        timings: dict[str, float]) -> BuildResult:
    with collector_paused(freeze=True):
        start = time.perf_counter()
        progress("render", library_counts(len(library.briefings), len(library.actors), len(library.sources),
                                          len(library.terms)))
        staged = StagedDocs(project)  # each page written as it is rendered: the engine reads them from the disk
        pages = render_and_write(library, project.template_dirs, staged, pdf_links=options.pdf,
                                 public=options.public, site_url=configured_site_url(project), memory=memory,
                                 workers=min(2, os.cpu_count() or 1))
        written = pages.written + staged.finish()
        page_count = len(pages.pages)
        memory.pages.keep_on_disk_only()
        give_back_freed_memory()
    timings["render"] = time.perf_counter() - start

    start = time.perf_counter()
    progress("site engine", f"{page_count} pages")
    clear_staging(project)
    new_site = staging_dir(project)
    try:
        _publish(project, options, progress, library, memory, versions, new_site, page_count, timings)
    except BaseException:
        shutil.rmtree(new_site, ignore_errors=True)  # whatever failed, nothing half made is left behind
        raise
    memory.outputs.record_site(project.site, options.public)
    return BuildResult(library, report.warnings, written, timings, notes=refused_note(memory.outputs))


def _publish(project: Project, options: BuildOptions, progress: Progress, library: m.Library, memory: Memory,
             versions: VersionsBeside, new_site: Path, page_count: int, timings: dict[str, float]) -> None:
    """The staged pages to a whole new site in `new_site` (engine, search index, version pages,
    PDFs, headers), swapped in for site/ at the end."""
    start = time.perf_counter()
    config = write_engine_config(project, library.site, new_site, options.engine)
    with _saving_beside(project, memory, timings):
        run_engine_build(project, config, quiet=options.quiet, engine=options.engine)
    timings["site engine"] = time.perf_counter() - start

    start = time.perf_counter()
    progress("search index", f"{page_count} pages")
    write_search_index(new_site, library.site.language)
    timings["search"] = time.perf_counter() - start

    made = versions.result()
    if made.pages:
        timings["versions"] = made.seconds
    place_versions(made, memory.outputs, new_site, project.template_dirs)

    if options.pdf:
        start = time.perf_counter()
        progress("pdf", f"{len(pdf_names(library))} PDFs")
        export_pdfs(project, library, new_site / "pdf", kept=memory.outputs, paper=options.paper,
                    drawings=memory.drawings, public=options.public)
        timings["pdf"] = time.perf_counter() - start

    write_headers_file(new_site)  # the site's security headers, for static hosts (output.hosting)
    progress("swap in", project.site.name + "/")
    swap_in(project, new_site)


def build_pdfs(project: Project, names: list[str] | None = None, paper: str = "a4", strict: bool = False,
               public: bool = False) -> BuildResult:
    """Only the PDFs, into pdf/ of the current site: the named ones (briefing ids, briefing-book) or all.
    They are made for the readers the site was built for: after a public build, only what a
    public build publishes (with or without `public`); for a site this project's cache does
    not know, or an internal site asked `public`, a clear refusal."""
    with project_lock(project):
        restore_site(project)
        library, report = check(project, strict)
        if not project.site.is_dir():
            raise PdfError(f"{display_path(project.site)}/ does not exist yet; run 'build' first")
        kept = store.load_outputs(project)
        site_public = kept.site_is_public(project.site)
        if site_public is None:
            raise PdfError(f"{display_path(project.site)}/ was not made by this project's last build (or build/ was "
                           "deleted since, or this tool or its libraries were upgraded since), so who may read it is "
                           "not known; run 'build' (or 'build --public') to make the site and its PDFs")
        if public and not site_public:
            raise PdfError(f"{display_path(project.site)}/ was built for internal readers; public PDFs go into a "
                           "public site: run 'build --public'")
        if site_public:
            library = public_subset(library)
        try:
            result = export_pdfs(project, library, project.site / "pdf", kept=kept, paper=paper, names=names or None,
                                 public=site_public)
        finally:
            store.save_outputs(project, kept)
    return BuildResult(library, report.warnings, [f"pdf/{n}.pdf" for n in [*result.rendered, *result.cached]],
                       {"pdf": result.seconds}, notes=refused_note(kept))
