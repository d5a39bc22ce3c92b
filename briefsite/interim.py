"""The address of `serve` answers at once: while the preview renders and its engine builds
(about half a minute at 1,000 briefings), a forked copy of this process serves the last
build's pages (site/), each saying at its top that it is the last build and reloading
itself once the preview is up; with nothing built yet, a short page that says the preview
is starting. The engine takes the address over when its first build is done: its hook
(mkdocs_hooks.on_serve, before the engine binds the address) asks, this copy stops, and
the engine binds the address it freed.

Only the standard library here: the engine's hooks import this module.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import json
import multiprocessing
import os
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .core.errors import BriefError

STARTING = "__briefsite/starting"
"""Answers "starting" while this server has the address; the engine knows no such page."""
SCRIPT = "__briefsite/starting.js"
HANDOFF_ENV = "BRIEF_PREVIEW_HANDOFF"
"""The file descriptor, in the engine's process, of the socket it asks for the address on."""
ASK, FREED = b"built\n", b"freed\n"
HANDOFF_SECONDS = 30.0
"""How long the engine waits for the address before it tries to bind it anyway."""

_SCRIPT = Path(__file__).resolve().parent / "theme" / "preview" / "starting.js"


def bind(addr: str, option: str) -> socket.socket:
    """The listening socket of `addr` (HOST:PORT), or a clear error when another program has it."""
    host, _, port = addr.rpartition(":")
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the engine's own server does
    try:
        listener.bind((host or "127.0.0.1", int(port)))
        listener.listen()
    except (OSError, ValueError) as exc:
        listener.close()
        raise BriefError(f"cannot serve on {addr}: {exc.strerror if isinstance(exc, OSError) else exc}; "
                         f"give another address with {option} HOST:PORT") from None
    return listener


class Interim:
    """The last build served on `listener` by a forked copy of this process until `stop()`."""

    def __init__(self, listener: socket.socket, site: Path, mount: str):
        self._process = None
        if "fork" in multiprocessing.get_all_start_methods():  # else (Windows) the address waits for the engine
            context = multiprocessing.get_context("fork")
            self._process = context.Process(target=_serve, args=(listener, site, mount), name="interim", daemon=True)
            self._process.start()
        listener.close()  # the copy has it; this process (and what it forks next) must not hold the address

    def stop(self) -> None:
        """Free the address: the copy ends, and with it its listening socket."""
        if self._process is None:
            return
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def hand_over_when_asked(self, ours: socket.socket) -> None:
        """Wait for the engine to ask for the address (its first build done), free it, say so."""
        with ours:
            with contextlib.suppress(OSError):
                if ours.recv(len(ASK)) == ASK:
                    self.stop()
                    ours.sendall(FREED)


def take_over(fd: int) -> None:
    """In the engine's process, before it binds the address: ask the interim server for it
    and wait until it is free (or HANDOFF_SECONDS passed: the engine then tries anyway)."""
    with contextlib.suppress(OSError), socket.socket(fileno=fd) as theirs:
        theirs.settimeout(HANDOFF_SECONDS)
        theirs.sendall(ASK)
        theirs.recv(len(FREED))


def _serve(listener: socket.socket, site: Path, mount: str) -> None:
    handler = functools.partial(InterimHandler, directory=str(site), mount=mount, built=_built(site))
    server = http.server.ThreadingHTTPServer(listener.getsockname()[:2], handler, bind_and_activate=False)
    server.socket.close()
    server.socket = listener
    server.daemon_threads = True
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C reaches the whole group; `serve` says what it does
        server.serve_forever(poll_interval=0.2)


def _built(site: Path) -> str | None:
    """When the last build was swapped in, or None when there is none."""
    home = site / "index.html"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(home.stat().st_mtime)) if home.is_file() else None


class InterimHandler(http.server.SimpleHTTPRequestHandler):
    """The last build's files; its HTML pages with the script that says so and reloads them."""

    def __init__(self, *args: Any, mount: str, built: str | None, **kwargs: Any):
        self.mount, self.built = mount, built
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # Nothing of the last build is kept by the browser as the preview's, and no connection
        # stays open to this server once the engine has the address.
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        super().end_headers()

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.mount):
            return self._send(302, b"", "text/plain", head, location=self.mount)
        inner = path[len(self.mount):]
        if inner == STARTING:
            return self._send(200, b"starting", "text/plain; charset=utf-8", head)
        if inner == SCRIPT:
            return self._send(200, _script(self.built), "text/javascript; charset=utf-8", head)
        file = Path(self.translate_path("/" + inner))
        if file.is_dir():
            file = file / "index.html"
        if self.built is None:
            return self._send(200, self._starting_page(), "text/html; charset=utf-8", head)
        if file.suffix == ".html" or not file.is_file():
            status = 200 if file.is_file() else 404
            page = file if status == 200 else Path(self.directory) / "404.html"
            body = page.read_bytes() if page.is_file() else b"<!doctype html><title>Not found</title><h1>Not found</h1>"
            return self._send(status, self._with_script(body), "text/html; charset=utf-8", head)
        return super().do_HEAD() if head else super().do_GET()

    def _with_script(self, page: bytes) -> bytes:
        tag = f'<script src="{html.escape(self.mount + SCRIPT)}" defer></script>'.encode()
        at = page.find(b"</head>")
        return page[:at] + tag + page[at:] if at >= 0 else tag + page

    def _starting_page(self) -> bytes:
        return self._with_script(b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                 b"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                                 b"<title>Preview starting</title></head><body><main><h1>Preview starting</h1>"
                                 b"<p>The pages are being rendered for the first time. This page reloads by "
                                 b"itself when the preview is ready.</p></main></body></html>")

    def _send(self, status: int, body: bytes, kind: str, head: bool, location: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            self.wfile.write(body)


@functools.cache
def _script_template() -> str:
    return _SCRIPT.read_text(encoding="utf-8")


def _script(built: str | None) -> bytes:
    return _script_template().replace("BUILT_AT", json.dumps(built)).encode()


def mount_path(site_url: str | None) -> str:
    """Where the engine serves the pages: the path of site_url, as MkDocs's `serve` takes it."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def handoff_fd() -> int | None:
    """The engine's end of the hand-over socket, if `serve` gave it one (and only once)."""
    value = os.environ.pop(HANDOFF_ENV, None)
    return int(value) if value and value.isdigit() else None
