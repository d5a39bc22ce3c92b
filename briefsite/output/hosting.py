"""The HTTP headers that go with a built site: a `_headers` file for static hosts
(Netlify, Cloudflare Pages) and an nginx server block, both made from the built site.

The Content-Security-Policy lets the site load only its own files. The theme's few
inline scripts (its local-storage helpers, the palette and the tab restore) are
allowed by their SHA-256 hashes, read from the built pages: one of them holds the
page's depth ("../"), so the set depends on the site and is computed after each build.

    python -m briefsite.output.hosting nginx --port 8080 --root /srv/site > site.conf
    python -m briefsite.output.hosting headers            # writes site/_headers again
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

HEADERS_FILE = "_headers"
NGINX_TEMPLATE = Path(__file__).resolve().parents[2] / "hosting" / "nginx.conf"

# Theme files whose names carry a content hash (bundle.a5f9d56c.min.js) never change.
HASHED_ASSET = re.compile(r"^assets/.+\.[0-9a-f]{8}\.min\.(?:js|css)$")
# The search index's pieces are named by their content too (pagefind/index/en_4e52be5.pf_index):
# a reader's browser keeps what it fetched and asks again only for new pieces. Its entry
# file (pagefind-entry.json), its script and the WebAssembly keep their names: revalidated.
HASHED_SEARCH_DIRS = ("pagefind/index", "pagefind/fragment", "pagefind/filter")
HASHED_SEARCH_META = re.compile(r"^pagefind/pagefind\.[\w-]+_[0-9a-f]{7,}\.pf_meta$")
LONG_CACHE = "public, max-age=31536000, immutable"

# Headers for pages only. Chromium shows a PDF in a viewer of its own, which a PDF's
# Content-Security-Policy (object-src 'none', no inline style) blocks, so the PDFs under
# these top-level folders go without them. Names of the nginx variables that carry them.
PAGE_ONLY = {"Content-Security-Policy": "page_policy", "X-Frame-Options": "page_frames"}
WITHOUT_PAGE_HEADERS = ("pdf",)

# Script types a browser executes, so the policy must allow their inline text.
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


class _InlineScripts(HTMLParser):
    """Collects the text of every inline script a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        values = {name: (value or "") for name, value in attrs}
        if "src" not in values and values.get("type", "").strip().lower() in _SCRIPT_TYPES:
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


# A script element and its content. A page is mostly not script: the parser reads only
# these pieces (whole pages took 4.6 s at 1,000 briefings), and each distinct piece once.
_SCRIPT_ELEMENT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def inline_script_hashes(site: Path) -> list[str]:
    """CSP sources ('sha256-...') for every distinct inline script of the site's pages."""
    pieces: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        pieces.update(_SCRIPT_ELEMENT.findall(page.read_text(encoding="utf-8")))
    hashes: set[str] = set()
    for piece in pieces:
        parser = _InlineScripts()
        parser.feed(piece)
        parser.close()
        for script in parser.scripts:
            digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
            hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)


def content_security_policy(script_hashes: list[str]) -> str:
    directives = {
        "default-src": ["'self'"],
        # 'wasm-unsafe-eval': the search (Pagefind) runs WebAssembly of the site's own,
        # pagefind/wasm.*.pagefind; it lets a page compile WebAssembly, never run eval()
        "script-src": ["'self'", "'wasm-unsafe-eval'", *script_hashes],
        "style-src": ["'self'"],
        # the theme's stylesheet draws its icons as data: SVG images (never scripts)
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # the search box's worker (assets/javascripts/workers/), from the site itself
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(site: Path) -> dict[str, str]:
    """The headers every response of the site carries."""
    return {
        "Content-Security-Policy": content_security_policy(inline_script_hashes(site)),
        "X-Content-Type-Options": "nosniff",
        # sources never learn which briefing linked to them
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                              "microphone=(), payment=(), usb=()",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


def hashed_assets(site: Path) -> list[str]:
    """Site paths ('/assets/...', '/pagefind/index/*') of the files that may be cached for a
    year: the search index's folders of pieces as one pattern each, the rest one by one."""
    files = (p.relative_to(site).as_posix() for p in site.rglob("*")
             if p.is_file() and not p.parent.relative_to(site).as_posix().startswith(HASHED_SEARCH_DIRS))
    singles = [f"/{rel}" for rel in files if HASHED_ASSET.match(rel) or HASHED_SEARCH_META.match(rel)]
    folders = [f"/{folder}/*" for folder in HASHED_SEARCH_DIRS if (site / folder).is_dir()]
    return sorted(singles + folders)


def page_paths(site: Path) -> list[str]:
    """Patterns for every address but the PDFs: '/', each top-level file, each folder."""
    paths = ["/"]
    for entry in sorted(site.iterdir()):
        if entry.is_dir() and entry.name not in WITHOUT_PAGE_HEADERS:
            paths.append(f"/{entry.name}/*")
        elif entry.is_file() and entry.name != HEADERS_FILE:
            paths.append(f"/{entry.name}")
    return paths


def headers_file(site: Path) -> str:
    """`_headers` in the format of Netlify and Cloudflare Pages.

    Both apply every rule that matches an address, so a header may be named by one
    matching rule only: the hosts disagree on what two values make (Cloudflare joins them,
    Netlify keeps one). Hence the page-only headers are given per top-level entry, not
    to `/*`, and only the hashed files get a Cache-Control of their own.
    """
    headers = security_headers(site)
    lines = ["# Response headers for static hosts that read _headers (Netlify, Cloudflare Pages).",
             "# Made by the build from the built pages; see docs/hosting.md.", "/*"]
    lines += [f"  {name}: {value}" for name, value in headers.items() if name not in PAGE_ONLY]
    for path in page_paths(site):
        lines.append(path)
        lines += [f"  {name}: {headers[name]}" for name in PAGE_ONLY]
    # Only the hashed files get a Cache-Control of their own: the hosts' default for
    # the rest (revalidate) is right, and a second value would be joined to the first.
    for path in hashed_assets(site):
        lines += [path, f"  Cache-Control: {LONG_CACHE}"]
    return "\n".join(lines) + "\n"


def write_headers_file(site: Path) -> Path:
    target = site / HEADERS_FILE
    target.write_text(headers_file(site), encoding="utf-8")
    return target


def _nginx_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_conf(site: Path, port: str, root: str, template: Path = NGINX_TEMPLATE) -> str:
    """The server block of hosting/nginx.conf with its placeholders filled in (the
    template's opening comment, which explains them, gives way to a shorter one)."""
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    text = (f"# Made from {template.name} for the site built at {site.resolve()}: make it again after\n"
            "# every build (python -m briefsite.output.hosting nginx), the script hashes change with the theme.\n\n"
            + "".join(lines))
    match = re.search(r"^([ \t]*)@SECURITY_HEADERS@[ \t]*$", text, re.MULTILINE)
    if match is None or "@PORT@" not in text or "@ROOT@" not in text:
        raise ValueError(f"{template}: expected the placeholders @PORT@, @ROOT@ and @SECURITY_HEADERS@")
    indent = match.group(1)
    lines = []
    for name, value in security_headers(site).items():
        if name in PAGE_ONLY:  # through a variable, which the PDF location empties
            lines += [f"set ${PAGE_ONLY[name]} {_nginx_quote(value)};", f"add_header {name} ${PAGE_ONLY[name]} always;"]
        else:
            lines.append(f"add_header {name} {_nginx_quote(value)} always;")
    headers = "\n".join(indent + line for line in lines)
    text = text[: match.start()] + headers + text[match.end():]
    return text.replace("@PORT@", port).replace("@ROOT@", _nginx_quote(root))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefsite.output.hosting", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("nginx", help="print an nginx server block for the built site")
    p.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    p.add_argument("--port", default="8080", help="what nginx listens on: a port, or address:port (default 8080)")
    p.add_argument("--root", default=None, help="where the server will find the site (default: --site, absolute)")
    p.add_argument("--template", type=Path, default=NGINX_TEMPLATE, help="the server block template")
    p = sub.add_parser("headers", help=f"write SITE/{HEADERS_FILE} again")
    p.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here (run build_brief.py build first)", file=sys.stderr)
        return 1
    if args.command == "nginx":
        sys.stdout.write(nginx_conf(args.site, args.port, args.root or str(args.site.resolve()), args.template))
    else:
        print(write_headers_file(args.site))
    return 0


if __name__ == "__main__":
    sys.exit(main())
