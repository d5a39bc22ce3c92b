"""The stages in order: load and validate, render, stage, run the engine, swap in."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from typing import TextIO

from . import model as m
from .errors import BriefError, Problem, ValidationError
from .project import Project
from .publish import public_subset
from .render import render_pages
from .site import run_engine_build, stage_docs, staging_dir, swap_in, write_engine_config
from .validate import Report, load_library


@dataclass
class BuildResult:
    """What a build did, for the command line to report."""

    library: m.Library
    warnings: list[Problem]
    pages_written: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def check(project: Project, strict: bool = False) -> tuple[m.Library, Report]:
    """Load and validate; raise ValidationError carrying every problem when it fails."""
    library, report = load_library(project.data)
    failing = report.errors + (report.warnings if strict else [])
    if library is None or failing:
        raise ValidationError(report.problems)
    return library, report


def render_docs(project: Project, out: TextIO) -> bool:
    """Validate, render and stage the pages (used by live preview); False on errors."""
    try:
        library, report = check(project)
        for p in report.warnings:
            print(p.format(), file=out)
        stage_docs(project, render_pages(library, project.templates))
    except BriefError as exc:
        for p in exc.problems:
            print(p.format(), file=out)
        return False
    return True


def build(project: Project, strict: bool = False, quiet: bool = False, public: bool = False) -> BuildResult:
    """Build the whole site into a staging folder, then swap it in for site/.

    A public build keeps only final, public briefings and what they use.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    library, report = check(project, strict)
    if public:
        library = public_subset(library)
    timings["load+validate"] = time.perf_counter() - start

    start = time.perf_counter()
    pages = render_pages(library, project.templates)
    written = stage_docs(project, pages)
    timings["render"] = time.perf_counter() - start

    start = time.perf_counter()
    new_site = staging_dir(project)
    if new_site.exists():
        shutil.rmtree(new_site)
    config = write_engine_config(project, library.site, new_site)
    try:
        run_engine_build(project, config, quiet=quiet)
    except BriefError:
        shutil.rmtree(new_site, ignore_errors=True)
        raise
    timings["site engine"] = time.perf_counter() - start

    swap_in(project, new_site)
    return BuildResult(library, report.warnings, written, timings)
