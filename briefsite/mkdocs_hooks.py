"""MkDocs hooks for live preview: re-render the pages before each rebuild of `serve`.

Only a convenience: `build` renders before the engine runs and needs no hook.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

_serving = False
_building = False
"""A whole build (`build`, not `serve` nor a dirty build): its pages may be split in two processes."""
_memory: Any = None
"""The live preview's memory (incremental.Memory): it lives as long as the engine's server."""
_project: Any = None
_before: dict[Path, tuple[int, int]] | None = None
"""The project's files as they were when the first render began (preview.watched_stamps)."""
_shown: list[str] = []
"""What the last re-render printed: the same problems are not printed again at every edit."""
# The engine's messages that say nothing to a desk during the live preview: `serve --dirty`
# is ours, and the pages outside the navigation (briefings, actors) are so by design.
_NOISE = ("A 'dirty' build is being performed", "The following pages exist in the docs directory, but are not "
          "included in the \"nav\" configuration")


class _QuietEngine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        # the last build's pages, served while the preview started, asking whether it is up (interim.py)
        return not message.startswith(_NOISE) and "/__briefsite/" not in message


def on_startup(command: str, dirty: bool = False, **_: Any) -> None:
    global _serving, _building
    _serving = command == "serve"
    _building = command == "build" and not dirty
    if _serving:
        for name in ("mkdocs", "properdocs"):
            for handler in logging.getLogger(name).handlers:
                handler.addFilter(_QuietEngine())


def on_serve(server: Any, config: Any, **_: Any) -> Any:
    """Watch the project's files (the `watch:` list), not the generated docs folder the engine
    reads: each re-render writes there from inside a rebuild, which the engine took for a
    second change and rebuilt the site twice for every edit. Then, the first build done and
    the address not yet bound, take the address over from `serve`'s interim server."""
    if _serving and "BRIEF_ROOT" in os.environ:
        server.unwatch(config["docs_dir"])
        # The engine watches the files from when it starts serving: an edit made since its first
        # render began would be missed. A file of ours, changed once serving, says so.
        if _project is not None and _before is not None:
            catch_up = _project.build / "serve-edited-while-starting"
            catch_up.write_text("", encoding="utf-8")
            server.watch(str(catch_up))
            threading.Thread(target=_edited_while_starting, args=(_project, _before, catch_up), daemon=True).start()
    from briefsite import interim

    if _serving and (fd := interim.handoff_fd()) is not None:  # the first build is done: take the address
        interim.take_over(fd)
    return server


def on_pre_build(config: Any, **_: Any) -> None:
    global _memory, _project, _before
    if not _serving or "BRIEF_ROOT" not in os.environ:
        return
    from briefsite.app import preview_memory, render_docs
    from briefsite.core.project import Project

    root = Path(os.environ["BRIEF_ROOT"])
    project = Project.at(root / "mkdocs.yml", Path(os.environ.get("BRIEF_DATA", root / "data")))
    if _memory is None:
        from briefsite.preview import watched_stamps

        _project, _before = project, watched_stamps(project)  # before the first render reads them
        _memory = preview_memory(project)
    if not render_docs(project, sys.stderr, _memory, _shown):
        print("Fix the errors above; the preview shows the last good pages.", file=sys.stderr)


def _edited_while_starting(project: Any, before: dict[Path, tuple[int, int]], catch_up: Path) -> None:
    """Once the engine watches the files (it starts to as it serves, a moment after on_serve),
    compare them with what the first render read; if any changed, change the file of ours it
    watches too, so that it renders again."""
    import time

    from briefsite.preview import watched_stamps

    time.sleep(1.0)
    if watched_stamps(project) != before:
        catch_up.write_text(str(time.time()), encoding="utf-8")


def on_nav(nav: Any, config: Any, files: Any, **_: Any) -> Any:
    """A build of many pages converts and writes them in two processes (output/halves.py)."""
    if _building and "BRIEF_ROOT" in os.environ:
        from briefsite.output import halves

        halves.split(nav, config, files)
    return nav


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Leave every page out of the theme's own search index (one file holding the text of
    every page, which the browser would load whole): the site's search is Pagefind's."""
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return markdown


def on_post_page(output: str, page: Any, **_: Any) -> str:
    """In a build, let go of the page's Markdown and HTML once the engine has its output: nothing
    after reads them (the anchors it checks at the end were noted while converting), and at
    thousands of pages they were most of the engine's memory."""
    if _building:
        page.markdown = None
        page.content = None
    return output


def on_post_build(config: Any, **_: Any) -> None:
    """While serving, index the preview for search, in the background: the page reloads at
    once and search catches up a moment later (`build` indexes before it swaps the site in).
    A build waits for the second process writing half of its pages, if there is one."""
    if _building:
        from briefsite.output import halves

        halves.join()
    if not _serving:
        return
    import threading

    from briefsite.output.search import index_in_background

    threading.Thread(target=index_in_background, args=(Path(config["site_dir"]), config["theme"]["language"]),
                     daemon=True).start()
