"""nginx serving built sites on loopback, with the server block of hosting/nginx.conf
(security headers and gzip included): the browser tests and the search benchmark read
the site as a reader's browser gets it from a host."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from briefsite.output.hosting import nginx_conf

NGINX = "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _main_conf(prefix: Path, servers: list[str]) -> str:
    """A whole nginx.conf around our server blocks, with every file inside prefix."""
    types = f"include {MIME_TYPES};" if MIME_TYPES.is_file() else \
        "types { text/html html; text/css css; application/javascript js; application/json json; image/png png; }"
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Run as root (a container), the workers would switch to 'nobody', who cannot read
    # the test's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\n"
            "events { worker_connections 64; }\n"
            f"http {{\n    {types}\n    default_type application/octet-stream;\n"
            f"    access_log {prefix / 'access.log'};\n{temp}\n" + "\n".join(servers) + "\n}\n")


def _wait_until_up(proc: subprocess.Popen[bytes], urls: list[str], log: Path) -> bool:
    deadline = time.monotonic() + 10
    pending = list(urls)
    while pending and time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            urllib.request.urlopen(pending[0], timeout=1).close()
            pending.pop(0)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    if pending:
        raise RuntimeError(f"nginx did not answer {pending[0]}:\n{log.read_text() if log.exists() else ''}")
    return True


def hosting_block(site: Path, port: int) -> str:
    """The server block of hosting/nginx.conf for the site at the root of the port."""
    return nginx_conf(site, f"127.0.0.1:{port}", str(site))


@contextlib.contextmanager
def nginx_serving(sites: dict[str, Path], prefix: Path,
                  block: Callable[[Path, int], str] = hosting_block) -> Iterator[dict[str, str]]:
    """Base URLs of the built sites, each on its own local port, served by nginx with
    the server block `block` makes (by default hosting/nginx.conf's)."""
    for _attempt in range(5):  # a port taken between choosing and binding: choose again
        ports = {name: _free_port() for name in sites}
        servers = [block(site, ports[name]) for name, site in sites.items()]
        conf = prefix / "nginx.conf"
        conf.write_text(_main_conf(prefix, servers), encoding="utf-8")
        log = prefix / "error.log"
        proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(log), "-g", "daemon off;"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        urls = {name: f"http://127.0.0.1:{port}/" for name, port in ports.items()}
        if _wait_until_up(proc, list(urls.values()), log):
            break
        proc.wait()
    else:
        raise RuntimeError(f"nginx would not start:\n{log.read_text()}")
    try:
        yield urls
    finally:
        proc.terminate()  # a fast shutdown: nginx stops its workers and exits
        proc.wait(timeout=10)
