"""Content cannot attack readers: the attack dataset builds, and every attack is text.

tests/fixtures/attack/ is a valid project whose text fields carry script tags, event
handlers, javascript: and data: links, HTML meant to close the page's structure,
attr_list syntax and Jinja syntax (docs/security.md lists them). These tests read the
built HTML; tests/test_browser.py opens the same pages in a real browser.
"""

from __future__ import annotations

import gzip
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefsite.app import BuildOptions, build
from briefsite.core.project import Project
from briefsite.output.hosting import HEADERS_FILE, headers_file, inline_script_hashes, nginx_conf
from briefsite.read.library import load_library
from briefsite.render.markup import is_safe_url

pytestmark = pytest.mark.slow

ATTACK = Path(__file__).resolve().parent / "fixtures" / "attack"
BRIEFING = "briefings/attack-briefing.html"

# What a browser makes of an attribute before it follows it: tabs and newlines go,
# and so do control characters and spaces at the ends.
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript|file):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcdoc", "data", "xlink:href", "poster", "background"}
# The one data: address our templates write: a citation to download (render/cite.py), a
# type that is not a page's, every byte but letters and digits percent-encoded.
CITATION_DOWNLOAD = re.compile(r"data:application/(x-bibtex|x-research-info-systems|vnd\.citationstyles\.csl\+json)"
                               r";charset=utf-8,[A-Za-z0-9%._~-]*")
# Elements no field may ever produce, anywhere in a page.
FORBIDDEN = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "math", "details", "video",
             "audio", "img", "style", "foreignobject", "textarea"}
# The one forbidden element our templates write, with exactly these attributes.
OURS = {"details": {"class": "graph-in-words"}}
# The theme's own inline scripts start like this; any other inline script was injected.
THEME_SCRIPTS = ("__md_scope=", "var palette=", "var target=")


class Page(HTMLParser):
    """Every element and attribute of a page, its text, and its title."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.text_parts: list[str] = []
        self.titles: list[str] = []
        self._in: list[str] = []
        self._svg = 0  # inside inline SVG, <title> is a tooltip, not the page's title
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values))
        self._svg += tag == "svg"
        if tag in ("script", "style") or (tag == "title" and not self._svg):
            self._in.append(tag)
            if tag == "script":
                self.scripts.append((values, ""))
            if tag == "title":
                self.titles.append("")

    def handle_endtag(self, tag: str) -> None:
        self._svg -= tag == "svg" and self._svg > 0
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        where = self._in[-1] if self._in else None
        if where == "script":
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        elif where == "title":
            self.titles[-1] += data
        else:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)


def read(project: Project, page: str) -> Page:
    return Page((project.site / page).read_text(encoding="utf-8"))


def injected(page: Page) -> list[str]:
    """Markup in a page that none of our templates nor the theme would write."""
    found = []
    for tag, attrs in page.elements:
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=...>")
            followed = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(33))))
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(followed) and not (
                    tag == "a" and name == "href" and "download" in attrs and CITATION_DOWNLOAD.fullmatch(value)):
                found.append(f"<{tag} {name}={value[:40]!r}>")
            if name == "http-equiv" or (name == "id" and value == "injected-id") or \
                    (name == "class" and "injected-class" in value.split()):
                found.append(f"<{tag} {name}={value!r}>")
        if tag in FORBIDDEN and OURS.get(tag) != attrs:
            found.append(f"<{tag}>")
    for attrs, body in page.scripts:
        if "src" in attrs:
            if re.match(r"^(https?:)?//", attrs["src"]):
                found.append(f"<script src={attrs['src']!r}>")
        elif attrs.get("type") != "application/json" and not body.startswith(THEME_SCRIPTS):
            found.append(f"<script>{body[:40]}")
    if len(page.titles) != 1:
        found.append(f"{len(page.titles)} <title> elements")
    return found


def test_attack_dataset_validates_without_problems() -> None:
    library, report = load_library(ATTACK)
    assert library is not None
    # the one warning: a draft on purpose, so its banner is on the page too
    assert [(p.file.rsplit("/", 1)[-1], p.path) for p in report.problems] == [("attack-briefing.yaml", ("status",))]
    assert set(library.briefings) == {"attack-briefing", "attack-final"}


def test_no_page_holds_injected_markup(built_attack: Project) -> None:
    pages = sorted(built_attack.site.rglob("*.html"))
    assert len(pages) >= 9
    problems = {p.relative_to(built_attack.site).as_posix(): injected(Page(p.read_text(encoding="utf-8")))
                for p in pages}
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_checker_sees_injected_markup() -> None:
    """The check above would notice each kind of injection."""
    theme = "<title>t</title><script>__md_scope=1</script>"
    for snippet in ['<img src=x onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
                    '<a href=" java\tscript:alert(1)">x</a>', '<a href="&#106;avascript:x">x</a>',
                    "<script>alert(1)</script>", '<iframe src="/"></iframe>', '<p id="injected-id">',
                    '<meta http-equiv="refresh" content="0">', "<title>two</title>", "<svg onload=x>",
                    '<script src="https://evil.example/x.js"></script>', "<style>*{}</style>",
                    '<a href="data:text/html,%3Cscript%3E" download>x</a>',
                    '<a href="data:application/x-bibtex;charset=utf-8,<x>" download>x</a>',
                    '<a href="data:application/x-bibtex;charset=utf-8,%40misc">x</a>']:
        assert injected(Page(theme + snippet)) != [], snippet
    assert injected(Page(theme + "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")) == []


@pytest.mark.parametrize("page, texts", [
    (BRIEFING, [
        "Summary with raw HTML: <script>alert('summary')</script> and",
        "<img src=x onerror=\"alert('summary')\"> and <iframe src=\"https://evil.example/\"></iframe>",
        "<div onclick=\"alert('block')\">A raw HTML block that tries to stay markup.</div>",
        "</div></div></table>",
        "Jinja: {{ 7*7 }} and {% raw %} and {# comment #}.",
        "A paragraph with attr_list syntax.",
        "{: onclick=\"alert('attr')\" #injected-id .injected-class }",
        "<script>alert('cell')</script>",
        "</td></tr></tbody></table><script>alert('role')</script> | a | b |",
        "<a href=\"javascript:alert('anchor')\">raw anchor</a>",
        "<style>body { display: none }</style>",
        "<script>alert('kj')</script> {: onclick=alert('kj') }",
        "<img src=x onerror=alert('kj-wikilink')>",
        "<script>alert('code')</script>",
        "</td><td><script>alert('event')</script> {{ 7*7 }} <img src=x onerror=alert('event')>",
        "<details open ontoggle=alert('scenario')>x</details>",
        "</div></div><script>alert('implications')</script>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert('indicator')>",
        "TLP:</div><script>alert('briefing-marking')</script>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "By <script>alert('author')</script>, O'Brien \" onfocus=\"alert('author')",
        "<svg onload=alert('tag')>",
        "Section </h2><script>alert('section')</script> # {: #main .x onclick=alert(1) }",
        "<script>alert('update')</script>",
        "Actor <script>alert('name')</script> \" onmouseover=\"alert('name')",
        "Նիկոլ <img src=x onerror=alert('native')> Путин",
        "Source </title><script>alert('source-title')</script> \" onmouseover=\"alert('source-title')",
    ]),
    ("index.html", [
        "<img src=x onerror=alert('marking')> {{ 7*7 }} </div><script>alert('marking')</script>",
        "\"><script>alert('description')</script><meta http-equiv=\"refresh\"",
        "Final <script>alert('final-title')</script> ' \" & done",
    ]),
    ("actors/attack-actor.html", [
        "</dd></dl><script>alert('actor-title')</script>",
        "<svg onload=alert('alias')>, {{ 7*7 }}",
        "</td></tr></table><script>alert('relation')</script>",
        "Profile <script>alert('profile')</script> evil",
    ]),
    ("sources.html", [
        "<b>Publisher</b> <script>alert('publisher')</script>",
        "https://example.org/search?q=\"><script>alert('url')</script>&x='onmouseover='alert(1)",
        "{{ 7*7 }} {% for x in range(3) %}x{% endfor %}",
    ]),
    ("glossary.html", [
        "<script>alert('term')</script>",
        "Jinja {{ 7*7 }}",
        "</dd></dl><script>alert('definition')</script>",
    ]),
])
def test_every_attack_reaches_the_reader_as_text(built_attack: Project, page: str, texts: list[str]) -> None:
    shown = " ".join(read(built_attack, page).text.split())
    for text in texts:
        assert " ".join(text.split()) in shown, text
    assert "49" not in shown.replace("2024", "")  # {{ 7*7 }} was never evaluated


def test_titles_are_text_in_title_header_and_search(built_attack: Project) -> None:
    title = ("</title><script>alert('title')</script><img src=x onerror=alert('title')> \" onmouseover=\"alert"
             "('title') {{ 7*7 }} {: onclick=\"alert('title')\"}")
    site_name = "Watch </title><script>alert('site-title')</script> & <b>Co</b>"
    page = read(built_attack, BRIEFING)
    assert page.titles == [f"{title} - {site_name}"]
    assert page.text.count(title) >= 2  # the heading and the header bar
    home = read(built_attack, "index.html")
    assert len(home.titles) == 1 and home.titles[0].endswith(site_name)
    description = [a["content"] for t, a in home.elements if t == "meta" and a.get("name") == "description"]
    assert description == ["\"><script>alert('description')</script><meta http-equiv=\"refresh\" "
                           "content=\"0;url=https://evil.example/\">"]
    # the search index holds the attacks as text; the search box shows them as text
    # (test_browser.py: test_attacks_stay_text_in_search_results)
    fragments = [gzip.decompress(f.read_bytes()).decode("utf-8", "replace")
                 for f in (built_attack.site / "pagefind" / "fragment").iterdir()]
    assert any("alert('title')" in f for f in fragments)


LINKS = {  # link text in the summary -> href it may keep (None: no link at all)
    "javascript link": None, "mixed case": None, "padded": None, "data link": None, "vbscript": None,
    "entity": None, "protocol relative": None, "reference link": None, "script image": None,
    "data image": None, "tracking pixel": "https://evil.example/pixel.png",
}


class Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str | None] = {}
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "span"):
            self._open, self._text = (tag, dict(attrs)), ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self.found.setdefault(self._text.strip(), self._open[1].get("href"))
            self._open = None


def test_unsafe_links_keep_their_text_and_lose_their_address(built_attack: Project) -> None:
    parser = Anchors()
    parser.feed((built_attack.site / BRIEFING).read_text(encoding="utf-8"))
    for text, href in LINKS.items():
        assert text in parser.found, text
        assert parser.found[text] == href, text
    # a quote in an image title stays inside the (odd, relative, harmless) address
    assert (parser.found["local image"] or "").startswith("x.png")
    # external images never load: they became links
    assert "<img" not in (built_attack.site / BRIEFING).read_text(encoding="utf-8")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
                                 "\x01javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
                                 "javascript&#58;alert(1)", "javascript&colon;alert(1)", "&#106;avascript:alert(1)",
                                 "java&#x09;script:alert(1)", "vbscript:x", "data:text/html,x", "file:///etc/passwd",
                                 "//evil.example/", "/\\evil.example/", "\\\\evil.example/", ""])
def test_addresses_a_browser_would_not_keep_safe_are_refused(url: str) -> None:
    assert not is_safe_url(url)


@pytest.mark.parametrize("url", ["https://example.org/a?b=c&d=e", "http://example.org", "mailto:desk@example.org",
                                 "../actors/putin.html#x", "#source-x", "glossary.html", "a&amp;b.html"])
def test_ordinary_addresses_stay_links(url: str) -> None:
    assert is_safe_url(url)


def test_headers_of_the_attack_site_allow_only_the_theme_scripts(built_attack: Project) -> None:
    hashes = inline_script_hashes(built_attack.site)
    assert 3 <= len(hashes) <= 8  # the theme's handful, however hostile the content
    text = headers_file(built_attack.site)
    assert "'unsafe-inline'" not in text and "'unsafe-eval'" not in text


# --- hosting files ----------------------------------------------------------------------

def parse_headers_file(text: str) -> list[tuple[str, dict[str, str]]]:
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line, {}))
        else:
            name, _, value = line.strip().partition(": ")
            assert name not in rules[-1][1], line
            rules[-1][1][name] = value
    return rules


def headers_for(rules: list[tuple[str, dict[str, str]]], path: str) -> dict[str, str]:
    """What a host sends for path; a header named by two matching rules would be ambiguous."""
    sent: dict[str, str] = {}
    for pattern, headers in rules:
        if re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path):
            assert not set(sent) & set(headers), f"{path}: {pattern} names a header again"
            sent.update(headers)
    return sent


def test_build_writes_headers_file_with_the_sites_hashes(built_example: Project) -> None:
    written = (built_example.site / HEADERS_FILE).read_text(encoding="utf-8")
    assert written == headers_file(built_example.site)
    for digest in inline_script_hashes(built_example.site):
        assert digest in written
    rules = parse_headers_file(written)
    bundle = next(p.relative_to(built_example.site).as_posix()
                  for p in built_example.site.glob("assets/javascripts/bundle.*.min.js"))
    pdf = next(p.relative_to(built_example.site).as_posix() for p in built_example.site.glob("pdf/*.pdf"))
    index = built_example.site / "pagefind"
    pieces = {"/" + p.relative_to(built_example.site).as_posix() for p in
              (next((index / "index").iterdir()), next((index / "fragment").iterdir()), next(index.glob("*.pf_meta")))}
    for path in ["/", "/index.html", "/briefings/russia-options-nagorno-karabakh.html", "/actors/putin.html",
                 "/404.html", "/pagefind/pagefind-entry.json", "/pagefind/search-worker.js", f"/{bundle}", f"/{pdf}",
                 *sorted(pieces)]:
        sent = headers_for(rules, path)
        assert sent["X-Content-Type-Options"] == "nosniff" and sent["Referrer-Policy"] == "no-referrer", path
        if path.startswith("/pdf/"):  # the browser's PDF viewer would be blocked by the page policy
            assert "Content-Security-Policy" not in sent and "X-Frame-Options" not in sent
        else:
            policy = sent["Content-Security-Policy"]
            assert policy.startswith("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"), path
            assert sent["X-Frame-Options"] == "DENY"
        long_cache = sent.get("Cache-Control") == "public, max-age=31536000, immutable"
        assert long_cache == (path == f"/{bundle}" or path in pieces), path


def test_each_page_depth_has_its_own_hash(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a" / "b").mkdir(parents=True)
    for page, base in [("index.html", "."), ("a/x.html", ".."), ("a/b/y.html", "../.."), ("404.html", "/")]:
        (site / page).write_text(f'<script>__md_scope=new URL("{base}",location)</script>'
                                 '<script type="application/json">{"a": 1}</script>'
                                 '<script src="assets/x.js"></script>', encoding="utf-8")
    assert len(inline_script_hashes(site)) == 4


def test_nginx_conf_fills_every_placeholder(built_example: Project) -> None:
    conf = nginx_conf(built_example.site, "8080", "/srv/my site")
    assert "@" not in conf.replace("'self'", "")
    assert "listen 8080;" in conf and 'root "/srv/my site";' in conf
    assert "error_page 404 /404.html;" in conf and "gzip on;" in conf
    assert conf.count("add_header Content-Security-Policy ") == 1
    for digest in inline_script_hashes(built_example.site):
        assert digest in conf


def test_404_page_follows_site_url_for_a_site_under_a_path(project: Project) -> None:
    """Without site_url (the default) 404.html links from the root; with one, from its path."""
    project.config.write_text(project.config.read_text(encoding="utf-8")
                              + "\nsite_url: https://example.org/briefs/\n", encoding="utf-8")
    build(project, BuildOptions(quiet=True, pdf=False))
    page = (project.site / "404.html").read_text(encoding="utf-8")
    assert 'href="/briefs/assets/stylesheets/main.' in page and 'href="/assets/' not in page
    # every other page keeps relative addresses
    assert 'href="../assets/stylesheets/main.' in (project.site / "actors" / "putin.html").read_text(encoding="utf-8")


# --- what validation refuses ----------------------------------------------------------

def copy_attack(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ATTACK, data)
    return data


def messages(data: Path) -> list[str]:
    library, report = load_library(data)
    assert library is None
    return [p.format() for p in report.errors]


@pytest.mark.parametrize("field", ["url", "archive_url"])
@pytest.mark.parametrize("value", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                                   "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.org/x",
                                   "//evil.example/x", "/relative/path", "https://", " https://example.org/"])
def test_bad_url_schemes_fail_validation(tmp_path: Path, field: str, value: str) -> None:
    data = copy_attack(tmp_path)
    sources = data / "sources" / "attack-sources.yaml"
    text = sources.read_text(encoding="utf-8")
    text = re.sub(rf"^  {field}: .*$", f"  {field}: {_yaml_quote(value)}", text,
                  count=1, flags=re.MULTILINE)
    sources.write_text(text, encoding="utf-8")
    found = messages(data)
    assert len(found) == 1, found
    assert "attack-sources.yaml:" in found[0] and f"[0].{field}:" in found[0]
    assert "http" in found[0] and value.strip() in found[0]


def _yaml_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.parametrize("stem", ["con", "nul", "aux", "prn", "com1", "lpt9", "com0"])
def test_windows_device_names_are_refused_as_page_names(tmp_path: Path, stem: str) -> None:
    data = copy_attack(tmp_path)
    (data / "briefings" / f"{stem}.yaml").write_text("title: T\ndate: 2024-01-01\nsummary: S\n", encoding="utf-8")
    (data / "actors" / f"{stem}.yaml").write_text("name: N\n", encoding="utf-8")
    found = messages(data)
    assert len(found) == 2, found
    for kind in ("briefings", "actors"):
        assert any(f"{kind}/{stem}.yaml" in m and "device name on Windows" in m for m in found), found


def test_names_that_only_contain_device_names_are_fine(tmp_path: Path) -> None:
    data = copy_attack(tmp_path)
    for stem in ["con-men", "console", "com10", "nul-hypothesis"]:
        (data / "actors" / f"{stem}.yaml").write_text("name: N\n", encoding="utf-8")
    library, report = load_library(data)
    assert library is not None, [p.format() for p in report.problems]


@pytest.mark.parametrize("where, value", [
    ("related", "../x"), ("related", "../../etc/passwd"), ("related", "/etc/passwd"), ("related", "C:\\x"),
    ("related", ".."), ("related", "a/b"), ("related", "x" * 81), ("related", "a..b"),
    ("id", "../attack-briefing"), ("id", "/attack-briefing"),
])
def test_ids_that_try_to_leave_their_folder_are_refused(tmp_path: Path, where: str, value: str) -> None:
    data = copy_attack(tmp_path)
    briefing = data / "briefings" / "attack-final.yaml"
    text = briefing.read_text(encoding="utf-8")
    if where == "related":
        text = text.replace("related: [attack-briefing]", f"related: [{_yaml_quote(value)}]")
    else:
        text = f"id: {_yaml_quote(value)}\n" + text
    briefing.write_text(text, encoding="utf-8")
    found = messages(data)
    assert len(found) == 1 and "attack-final.yaml" in found[0], found


@pytest.mark.parametrize("stem", ["x" * 81, "Upper", "under_score", "dot.ted", "-lead", "trail-", "a--b"])
def test_file_names_that_are_no_ids_are_refused(tmp_path: Path, stem: str) -> None:
    data = copy_attack(tmp_path)
    (data / "actors" / f"{stem}.yaml").write_text("name: N\n", encoding="utf-8")
    found = messages(data)
    assert len(found) == 1 and f"'{stem}'" in found[0], found
