"""`serve` answers at once with the last build while the preview starts (briefsite/interim.py):
the pages say so and reload themselves once the engine has the address."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from briefsite import interim
from briefsite.core.errors import BriefError
from briefsite.core.project import Project
from tests.conftest import REPO
from tests.test_accessibility import violations
from tests.test_cli import edit, fetch, free_port, wait_for
from tests.test_engines import serve_process

BRIEFING = "briefings/russia-options-nagorno-karabakh.html"


def answer(url: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a GET, redirects not followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def last_build(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "briefings").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><html><head><title>Home</title></head><body>home</body></html>")
    (site / "briefings" / "a.html").write_text("<html><head></head><body>briefing a</body></html>")
    (site / "404.html").write_text("<html><head></head><body>our own 404</body></html>")
    (site / "style.css").write_text("body { color: red; }")
    return site


def port_free(port: int) -> bool:
    """Whether a server can bind the port, as the engine's does (SO_REUSEADDR: connections the
    interim server closed may linger in TIME_WAIT)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_the_last_build_is_served_with_the_script_until_stopped(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = interim.Interim(interim.bind(f"127.0.0.1:{port}", "--dev-addr"), last_build(tmp_path), "/")
    try:
        status, headers, body = answer(base + "briefings/a.html")
        assert status == 200 and b"briefing a" in body
        assert body.index(b'<script src="/__briefsite/starting.js" defer></script>') < body.index(b"</head>")
        assert headers["Cache-Control"] == "no-store" and headers["Connection"] == "close"
        assert answer(base)[2].count(b"starting.js") == 1  # a folder: its index.html
        assert answer(base + "style.css")[2] == b"body { color: red; }"  # not a page: as it is
        status, _, body = answer(base + "no/such/page.html")
        assert status == 404 and b"our own 404" in body and b"starting.js" in body
        assert answer(base + interim.STARTING)[:1] == (200,) and answer(base + interim.STARTING)[2] == b"starting"
        script = answer(base + interim.SCRIPT)[2].decode()
        assert "BUILT_AT" not in script and time.strftime("%Y-%m-%d") in script
        with pytest.raises(BriefError, match=f"cannot serve on 127.0.0.1:{port}: Address already in use"):
            interim.bind(f"127.0.0.1:{port}", "--dev-addr")
    finally:
        server.stop()
    assert port_free(port)


def test_under_a_mount_path_and_with_nothing_built_yet(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    assert interim.mount_path("https://example.org/briefs") == "/briefs/"
    assert interim.mount_path(None) == "/"
    server = interim.Interim(interim.bind(f"127.0.0.1:{port}", "--dev-addr"), tmp_path / "nothing", "/briefs/")
    try:
        status, headers, _ = answer(base + "/")
        assert status == 302 and headers["Location"] == "/briefs/"
        status, _, body = answer(base + "/briefs/briefings/a.html")
        assert status == 200 and b"Preview starting" in body and b"/briefs/__briefsite/starting.js" in body
        assert answer(base + "/briefs/" + interim.STARTING)[2] == b"starting"
        assert b"var built = null;" in answer(base + "/briefs/" + interim.SCRIPT)[2]
    finally:
        server.stop()


def test_the_engine_takes_the_address_over_when_it_asks(tmp_path: Path) -> None:
    """The engine's side (interim.take_over, from its hook) against `serve`'s side: once asked,
    the address is free to bind."""
    port = free_port()
    server = interim.Interim(interim.bind(f"127.0.0.1:{port}", "--dev-addr"), last_build(tmp_path), "/")
    ours, theirs = socket.socketpair()
    threading.Thread(target=server.hand_over_when_asked, args=(ours,), daemon=True).start()
    assert not port_free(port)
    interim.take_over(os.dup(theirs.fileno()))
    theirs.close()
    assert port_free(port)


@pytest.mark.slow
def test_a_reader_sees_it_is_the_last_build_and_the_page_reloads_when_the_preview_is_up(
        tmp_path: Path, browser: Browser, built_example: Project) -> None:
    port = free_port()
    site = tmp_path / "last-build"
    shutil.copytree(built_example.site, site)
    server = interim.Interim(interim.bind(f"127.0.0.1:{port}", "--dev-addr"), site, "/")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    preview: http.server.ThreadingHTTPServer | None = None
    try:
        page.goto(f"http://127.0.0.1:{port}/{BRIEFING}")
        banner = page.locator(".preview-starting")
        banner.wait_for()
        assert banner.get_attribute("role") == "status"
        assert "You are reading the last build (" in banner.inner_text() and "reloads by itself" in banner.inner_text()
        assert violations(page) == []
        # The engine takes the address and serves the preview's pages (here: a changed copy).
        fresh = tmp_path / "preview"
        shutil.copytree(site, fresh)
        page_file = fresh / BRIEFING
        page_file.write_text(page_file.read_text(encoding="utf-8").replace("range from bad to worse", "range from bad "
                             "to terrible"), encoding="utf-8")
        server.stop()
        preview = http.server.ThreadingHTTPServer(("127.0.0.1", port), lambda *a: QuietFiles(*a, directory=str(fresh)))
        threading.Thread(target=preview.serve_forever, daemon=True).start()
        page.wait_for_function("document.body.innerText.includes('range from bad to terrible')", timeout=10_000)
        assert page.locator(".preview-starting").count() == 0
    finally:
        page.close()
        server.stop()
        if preview:
            preview.shutdown()
            preview.server_close()


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.slow
def test_serve_answers_with_the_last_build_then_the_preview(project: Project) -> None:
    """The real `serve` on a project built before: its first answer is the last build, saying
    so; then the engine's preview (live reload), which shows an edit."""
    subprocess.run([sys.executable, str(REPO / "build_brief.py"), "build", "--no-pdf"], cwd=project.root, check=True,
                   capture_output=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/{BRIEFING}"
    proc = serve_process(project, port)
    try:
        answers: list[str] = []
        start = time.monotonic()
        while not answers or "livereload" not in answers[-1]:
            assert time.monotonic() - start < 60, "the preview did not start"
            try:
                answers.append(fetch(url))
            except OSError:
                pass
            time.sleep(0.05)
        assert "__briefsite/starting.js" in answers[0] and "range from bad to worse" in answers[0]
        assert "__briefsite/starting.js" not in answers[-1]
        edit(project, "briefings/russia-options-nagorno-karabakh.yaml", "range from bad to worse",
             "range from bad to terrible")
        assert wait_for(lambda: "range from bad to terrible" in fetch(url), 30)
        assert answer(f"http://127.0.0.1:{port}/{interim.STARTING}")[0] == 404
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=15)
    assert "__briefsite" not in output, output  # the pages' last question is not the desk's noise


def test_an_edit_made_while_the_engine_started_is_rendered(project: Project) -> None:
    """The engine watches the files only once it serves: an edit made after its first render
    began changes a file of ours that it watches, so that it renders again."""
    from briefsite import mkdocs_hooks
    from briefsite.preview import watched_stamps

    before = watched_stamps(project)
    catch_up = project.build / "serve-edited-while-starting"
    catch_up.parent.mkdir(parents=True, exist_ok=True)
    catch_up.write_text("", encoding="utf-8")
    mkdocs_hooks._edited_while_starting(project, before, catch_up)
    assert catch_up.read_text(encoding="utf-8") == ""  # nothing edited: nothing to render again
    edit(project, "briefings/russia-options-nagorno-karabakh.yaml", "range from bad to worse",
         "range from bad to terrible")
    mkdocs_hooks._edited_while_starting(project, before, catch_up)
    assert catch_up.read_text(encoding="utf-8") != ""
