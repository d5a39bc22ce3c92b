"""The site engine's pages in two processes. MkDocs (and ProperDocs, which shares its build)
converts and writes every page in one loop in one process; on a machine with two cores a
build of many pages forks at the navigation, and each process converts and writes half of
the pages. Called from the engine's hooks (mkdocs_hooks.py), never during `serve`.
A page out of the navigation is converted just before it is written (MkDocs converts them all
first): no page's HTML waits in memory for the others.

What each process does is MkDocs 1.6's own code, frozen: this only chooses which pages each
one passes through it. The pages of the navigation are read in both (the theme shows their
titles on every page) and written by the first; the second writes its pages and nothing else
(no static files, no sitemap, nothing the plugins write at the end). Every file comes out
byte for byte as from one process (tests/test_halves.py).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

SPLIT_FROM = 300
"""Pages from which the build is split: below, a second process saves less than it costs."""

PROCESSES_ENV = "BRIEF_ENGINE_PROCESSES"
"""Set to 1, the engine builds in one process (a machine whose second core is busy)."""

_second: int | None = None
"""The second process's id, in the first, while it runs."""


def split(nav: Any, config: Any, files: Any) -> None:
    """Fork, and let each process convert and write its half of the pages."""
    global _second, _engine_root
    build = _engine_module(config, "commands.build")
    pages = list(files.documentation_pages())
    anchors_counted = config.validation.links.anchors >= logging.WARNING
    one = os.environ.get(PROCESSES_ENV) == "1" or (os.cpu_count() or 1) < 2
    if build is None or len(pages) < SPLIT_FROM or one or anchors_counted:
        return  # (a link to an anchor of a page the other process converts could not be checked)
    _engine_root = type(config).__module__.split(".")[0]
    in_nav = {page.file.src_uri for page in nav.pages}
    rest = [f.src_uri for f in pages if f.src_uri not in in_nav]
    logging.getLogger(f"{_engine_root}.briefsite").info(
        f"Converting and writing the {len(pages)} pages in two processes")
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    first = pid != 0
    mine = set(rest[0::2] if first else rest[1::2])
    populate, write = build._populate_page, build._build_page

    def populate_mine(page: Any, *args: Any, **kwargs: Any) -> None:
        if page.file.src_uri in in_nav:
            populate(page, *args, **kwargs)

    def write_mine(page: Any, *args: Any, **kwargs: Any) -> None:
        if page.file.src_uri in mine:
            # converted just before it is written, not all before any is written: a process
            # then holds one page's HTML at a time, not its half of the site's
            populate(page, config, files)
            write(page, *args, **kwargs)
        elif first and page.file.src_uri in in_nav:
            write(page, *args, **kwargs)

    build._populate_page, build._build_page = populate_mine, write_mine
    if first:
        _second = pid
        return
    nothing = lambda *args, **kwargs: None  # noqa: E731
    files.copy_static_files = nothing
    build._build_theme_template = build._build_extra_template = nothing
    config.plugins.on_post_build = nothing


def join() -> None:
    """In the first process at the end of the build: wait for the second; its failure is the build's."""
    global _second
    if _second is None:
        return
    pid, _second = _second, None
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise _failure(f"the second process building half of the pages failed (exit {code}); see above")


def _engine_module(config: Any, name: str) -> Any:
    """A module of the running engine (MkDocs or ProperDocs, found from its config's class),
    or None for another engine or one whose build is not the loop this expects."""
    root = type(config).__module__.split(".")[0]
    module = sys.modules.get(f"{root}.{name}") if root in ("mkdocs", "properdocs") else None
    expected = ("_populate_page", "_build_page", "_build_theme_template", "_build_extra_template")
    if module is None or not all(hasattr(module, f) for f in expected):
        return None
    return module


_engine_root = "mkdocs"


def _failure(message: str) -> Exception:
    """The engine's own error for a plugin's failure: it ends the build with the message."""
    import importlib

    return importlib.import_module(f"{_engine_root}.exceptions").PluginError(message)  # type: ignore[no-any-return]
