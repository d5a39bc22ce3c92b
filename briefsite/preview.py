"""`serve`, and the helpers of `serve` and `view`: a quiet file server, and, for an engine
that runs no hooks, re-rendering and indexing when files change."""

from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import app, console, interim
from .core.project import Project
from .output.engine import Engine, configured_site_url, copy_preview_state, engine_env, write_engine_config
from .output.search import index_in_background


def serve(project: Project, engine: Engine, dev_addr: str, all_warnings: bool) -> int:
    """Render the pages, then run the engine's live server on `dev_addr` until it stops. The
    address answers at once, with the last build, while the preview renders and its engine builds."""
    meanwhile = interim.Interim(interim.bind(dev_addr, "--dev-addr"), project.site,
                                interim.mount_path(configured_site_url(project)))
    try:
        before = watched_stamps(project)
        library, report = app.render_preview(project)
        if not engine.runs_hooks:  # else the engine's first re-render (its hook) says them
            console.print_problems(report.warnings, sys.stderr, all_warnings)
        site_dir = project.build / "serve-site"
        config = write_engine_config(project, library.site, site_dir, engine.name, project.build / "serve.yml",
                                     preview=True)
        env, handoff = engine_env(project), tuple[int, ...]()
        if engine.runs_hooks:  # its hook asks for the address once its first build is done
            ours, theirs = socket.socketpair()
            env[interim.HANDOFF_ENV], handoff = str(theirs.fileno()), (theirs.fileno(),)
            threading.Thread(target=meanwhile.hand_over_when_asked, args=(ours,), daemon=True).start()
        else:  # no hook re-renders or indexes; the engine reloads when build/docs changes
            meanwhile.stop()
            threading.Thread(target=rerender_on_change, args=(project, site_dir, before), daemon=True).start()
            threading.Thread(target=index_on_change, args=(site_dir, library.site.language), daemon=True).start()
        os.chdir(project.root)
        with subprocess.Popen(engine.serve_command(config, dev_addr), env=env, pass_fds=handoff) as server:
            if handoff:
                theirs.close()
            # Stopped by a signal (not Ctrl-C, which reaches both): stop the engine too, never leave it running.
            signal.signal(signal.SIGTERM, lambda *_: server.terminate())
            return server.wait()
    finally:
        meanwhile.stop()


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


def watched_stamps(project: Project) -> dict[Path, tuple[int, int]]:
    """The modification time and size of every file of the content, templates and hand-written pages."""
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


def rerender_on_change(project: Project, site_dir: Path, before: dict[Path, tuple[int, int]] | None = None,
                       interval: float = 0.5, stop: threading.Event | None = None) -> None:
    """What briefsite/mkdocs_hooks.py does for MkDocs: re-render when content, templates or
    hand-written pages change (polling their modification times and sizes), once they have
    stopped changing for one interval: a file caught half written (emptied, not yet written
    again, within one tick of the clock) would otherwise be rendered as it was then, and its
    last state, of the same modification time, never noticed. `before`: the files as they were
    before the first render (an edit made while it ran is rendered next). The errors shown go
    straight into `site_dir`, the pages served, too (see copy_preview_state). Runs until `stop` is set."""
    watch = Settled(before if before is not None else watched_stamps(project))
    memory = app.preview_memory(project)
    shown: list[str] = []
    stop = stop or threading.Event()
    while not stop.wait(interval):
        if watch.changed(watched_stamps(project)):
            if not app.render_docs(project, sys.stderr, memory, shown):
                print("Fix the errors above; the preview shows the last good pages.", file=sys.stderr)
            copy_preview_state(project, site_dir)


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
