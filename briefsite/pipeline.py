"""The stages in order: load and validate, render, stage, run the engine, swap in."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import cache
from . import model as m
from .errors import BriefError, PdfError, Problem, ValidationError, display_path
from .hosting import write_headers_file
from .pdf import export_pdfs, pdf_names
from .project import Project
from .publish import public_subset
from .render import render_pages
from .site import DEFAULT_ENGINE, get_engine, run_engine_build, stage_docs, staging_dir, swap_in, write_engine_config
from .validate import FileMemo, Report, load_library
from .views import configured_site_url

BUILD_STAGES = ("load and validate", "render", "site engine", "pdf", "swap in")
"""What a build reports to a progress display, in order (a build without PDFs skips "pdf")."""

Progress = Callable[[str, str], None]
"""Told each stage of BUILD_STAGES as it starts, with a count of what it works on."""


def _no_progress(stage: str, detail: str) -> None:
    pass


@dataclass
class BuildResult:
    """What a build did, for the command line to report."""

    library: m.Library
    warnings: list[Problem]
    pages_written: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


@contextlib.contextmanager
def _cyclic_gc_paused(freeze: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a stage that builds what lives on.

    Loading and rendering make millions of objects that nearly all survive, and every
    full collection walks all of them again for nothing: it cost a third of load and
    validate at 1,000 briefings. Reference counting still frees everything else at once;
    the few cycles a stage leaves are collected after it (about 10 MB at 1,000 briefings).
    With `freeze` (a one-off build, which ends soon after), what the stage made is left
    out of every later collection instead: the first one alone took 0.08 s.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        gc.enable()


@contextlib.contextmanager
def _saving_beside(project: Project, memory: cache.Memory, timings: dict[str, float]) -> Iterator[None]:
    """Write the cache for the next build while the site engine runs: the engine is one
    process on one core, and the other is free. Done before the build goes on."""
    def save() -> None:
        begun = time.perf_counter()
        cache.save(project, memory)
        timings["cache write"] = time.perf_counter() - begun

    saver = threading.Thread(target=save, name="cache-write")
    saver.start()
    try:
        yield
    finally:
        saver.join()


def check(project: Project, strict: bool = False, memo: FileMemo | None = None) -> tuple[m.Library, Report]:
    """Load and validate; raise ValidationError carrying every problem when it fails.
    With the `memo` of an earlier run, only files that changed since are checked again."""
    with _cyclic_gc_paused():
        library, report = load_library(project.data, memo=memo)
    failing = report.errors + (report.warnings if strict else [])
    if library is None or failing:
        raise ValidationError(report.problems)
    return library, report


def _load_memory(project: Project) -> cache.Memory:
    """The last build's cache (cache.load), read with the collector paused: unpickling makes
    millions of objects too (0.8 s instead of 0.15 s at 1,000 briefings)."""
    with _cyclic_gc_paused():
        return cache.load(project)


def check_remembering(project: Project, strict: bool = False) -> tuple[m.Library, Report]:
    """`check`, with what the last build read: only files changed since are read again
    (the `validate` command; it leaves the cache as it was)."""
    return check(project, strict, memo=_load_memory(project).files)


def render_preview(project: Project) -> tuple[m.Library, Report]:
    """The live preview's first render, before its engine starts: from the last build's
    cache, and kept in the cache for the renders that follow each edit (the engine's hooks
    run in the engine's process and start from the cache). Raises ValidationError."""
    memory = _load_memory(project)
    library, report = check(project, memo=memory.files)
    with _cyclic_gc_paused():
        stage_docs(project, render_pages(library, project.templates, site_url=configured_site_url(project.config),
                                         memo=memory.pages, workers=min(2, os.cpu_count() or 1)))
        cache.save(project, memory)
    return library, report


_PREVIEW_MEMORY: dict[Path, cache.Memory] = {}
"""The live preview's memory, by project folder: it lives as long as the server."""


def render_docs(project: Project, out: TextIO) -> bool:
    """Validate, render and stage the pages (used by live preview); False on errors.

    What an earlier call (or, the first time, the last build) read and rendered is kept,
    so an edit costs the files and pages it changes, not the whole library.
    """
    memory = _PREVIEW_MEMORY.get(project.root)
    if memory is None:
        memory = _PREVIEW_MEMORY[project.root] = _load_memory(project)
    try:
        library, report = check(project, memo=memory.files)
        for p in report.warnings:
            print(p.format(), file=out)
        with _cyclic_gc_paused():
            stage_docs(project, render_pages(library, project.templates, site_url=configured_site_url(project.config),
                                             remember=True, memo=memory.pages))
    except BriefError as exc:
        for p in exc.problems:
            print(p.format(), file=out)
        return False
    return True


def build(project: Project, strict: bool = False, quiet: bool = False, public: bool = False,
          engine: str = DEFAULT_ENGINE, progress: Progress = _no_progress, pdf: bool = True,
          paper: str = "a4") -> BuildResult:
    """Build the whole site into a staging folder, then swap it in for site/.

    A public build keeps only final, public briefings and what they use. `engine` names
    the site engine (see site.ENGINES): mkdocs, properdocs or zensical. With `pdf`, the
    PDFs (pdf.py) go into the new site before it replaces the old one; `paper` is a4 or letter.
    """
    try:
        return _build(project, strict, quiet, public, engine, progress, pdf, paper)
    finally:
        gc.unfreeze()  # what the build froze (see _cyclic_gc_paused) may be collected again


def _build(project: Project, strict: bool, quiet: bool, public: bool, engine: str, progress: Progress, pdf: bool,
           paper: str) -> BuildResult:
    get_engine(engine)  # unknown or not installed: say so before any work
    timings: dict[str, float] = {}
    start = time.perf_counter()
    progress("load and validate", f"{sum(1 for _ in project.data.rglob('*.yaml'))} files")
    with _cyclic_gc_paused(freeze=True):  # the cache, the library and the pages live to the end
        memory = _load_memory(project)
        library, report = check(project, strict, memo=memory.files)
        if public:
            library = public_subset(library)
        timings["load+validate"] = time.perf_counter() - start

        start = time.perf_counter()
        progress("render", f"{len(library.briefings)} briefings, {len(library.actors)} actors, "
                 f"{len(library.sources)} sources, {len(library.terms)} terms")
        pages = render_pages(library, project.templates, pdf_links=pdf, site_url=configured_site_url(project.config),
                             memo=memory.pages, workers=min(2, os.cpu_count() or 1))
        written = stage_docs(project, pages)
    timings["render"] = time.perf_counter() - start

    start = time.perf_counter()
    progress("site engine", f"{len(pages)} pages")
    new_site = staging_dir(project)
    if new_site.exists():
        shutil.rmtree(new_site)
    config = write_engine_config(project, library.site, new_site, engine)
    try:
        with _saving_beside(project, memory, timings):
            run_engine_build(project, config, quiet=quiet, engine=engine)
    except BriefError:
        shutil.rmtree(new_site, ignore_errors=True)
        raise
    timings["site engine"] = time.perf_counter() - start

    if pdf:
        start = time.perf_counter()
        progress("pdf", f"{len(pdf_names(library))} PDFs")
        try:
            export_pdfs(project, library, new_site / "pdf", paper=paper)
        except BriefError:
            shutil.rmtree(new_site, ignore_errors=True)
            raise
        timings["pdf"] = time.perf_counter() - start

    write_headers_file(new_site)  # the site's security headers, for static hosts (hosting.py)
    progress("swap in", project.site.name + "/")
    swap_in(project, new_site)
    return BuildResult(library, report.warnings, written, timings)


def build_pdfs(project: Project, names: list[str] | None = None, paper: str = "a4", strict: bool = False,
               public: bool = False) -> BuildResult:
    """Only the PDFs, into pdf/ of the current site: the named ones (briefing ids, briefing-book) or all."""
    library, report = check(project, strict)
    if public:
        library = public_subset(library)
    if not project.site.is_dir():
        raise PdfError(f"{display_path(project.site)}/ does not exist yet; run 'build' first")
    result = export_pdfs(project, library, project.site / "pdf", paper=paper, names=names or None)
    return BuildResult(library, report.warnings, [f"pdf/{n}.pdf" for n in [*result.rendered, *result.cached]],
                       {"pdf": result.seconds})
