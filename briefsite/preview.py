"""The helpers of `serve` and `view`: the address checked free, a quiet file server, and, for
an engine that runs no hooks, re-rendering and indexing when files change."""

from __future__ import annotations

import http.server
import socket
import sys
import time
from pathlib import Path

from . import app
from .core.errors import BriefError
from .core.project import Project
from .output.search import index_in_background


def check_address_free(addr: str, option: str) -> None:
    """Refuse an address another program serves on before starting anything (the engine
    would end in a traceback)."""
    host, _, port = addr.rpartition(":")
    try:
        with socket.socket() as probe:
            probe.bind((host or "127.0.0.1", int(port)))
    except (OSError, ValueError) as exc:
        raise BriefError(f"cannot serve on {addr}: {exc.strerror if isinstance(exc, OSError) else exc}; "
                         f"give another address with {option} HOST:PORT") from None


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files of the site, without a line per request on the terminal."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class Settled:
    """Says a state changed once it is the same in two polls running and differs from the last
    state it said so of."""

    def __init__(self, first: object) -> None:
        self.seen = self.last = first

    def changed(self, now: object) -> bool:
        if now != self.last:  # still changing: wait for it to settle
            self.last = now
            return False
        if now != self.seen:
            self.seen = now
            return True
        return False


def rerender_on_change(project: Project, interval: float = 0.5) -> None:
    """What briefsite/mkdocs_hooks.py does for MkDocs: re-render when content, templates or
    hand-written pages change (polling their modification times and sizes), once they have
    stopped changing for one interval: a file caught half written (emptied, not yet written
    again, within one tick of the clock) would otherwise be rendered as it was then, and its
    last state, of the same modification time, never noticed."""
    def stamps() -> dict[Path, tuple[int, int]]:
        found = {}
        for d in (project.data, project.templates, project.docs):
            for f in d.rglob("*") if d.is_dir() else ():
                try:
                    stat = f.stat()
                except OSError:  # removed since it was listed: the next poll sees it gone
                    continue
                if f.is_file():
                    found[f] = (stat.st_mtime_ns, stat.st_size)
        return found

    watch = Settled(stamps())
    memory = app.preview_memory(project)
    shown: list[str] = []
    while True:
        time.sleep(interval)
        if watch.changed(stamps()):
            if not app.render_docs(project, sys.stderr, memory, shown):
                print("Fix the errors above; the preview shows the last good pages.", file=sys.stderr)


def index_on_change(site: Path, language: str, interval: float = 1.0) -> None:
    """What the hook's on_post_build does for MkDocs: index the preview for search once the
    engine has written its pages (they stopped changing for a moment)."""
    def stamp() -> tuple[int, float]:
        pages = [p.stat().st_mtime for p in site.rglob("*.html") if "pagefind" not in p.parts] if site.is_dir() else []
        return len(pages), max(pages, default=0.0)

    indexed, last = (0, 0.0), stamp()
    while True:
        time.sleep(interval)
        now = stamp()
        if now == last and now != indexed and now[0]:
            index_in_background(site, language)
            indexed = now
        last = now
