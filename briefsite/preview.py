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


def rerender_on_change(project: Project, interval: float = 0.5) -> None:
    """What briefsite/mkdocs_hooks.py does for MkDocs: re-render when content, templates or
    hand-written pages change (polling their modification times)."""
    def stamps() -> dict[Path, float]:
        return {f: f.stat().st_mtime for d in (project.data, project.templates, project.docs) if d.is_dir()
                for f in d.rglob("*") if f.is_file()}

    seen = stamps()
    memory = app.preview_memory(project)
    shown: list[str] = []
    while True:
        time.sleep(interval)
        now = stamps()
        if now != seen:
            seen = now
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
