"""Citing a briefing (render/cite.py): the head's meta tags as extruct and reference managers
read them, the "Cite this" block and its downloads, and the sources as CSV and BibTeX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import extruct
import pytest
import yaml
from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from briefsite.core import model as m
from briefsite.core.project import Project
from briefsite.read.library import load_library
from briefsite.render import cite
from briefsite.render.environment import make_environment
from tests.conftest import EXAMPLE_DATA, REPO

EXAMPLE = "russia-options-nagorno-karabakh"
NASTY_TITLE = 'He said "no" {to} 100% of $x & #y_z ~ ^ \\ end} — Кремль и «Минск» / الكرملين'
NASTY_AUTHORS = ("Research and Analysis {Unit}", "Иван Петров", "عبد الله")


def nasty(authors: tuple[str, ...] = NASTY_AUTHORS, site_url: str | None = None) -> cite.Citation:
    site = m.SiteConfig(title='Desk "A" & {B} 50%')
    b = m.Briefing(title=NASTY_TITLE, date=dt.date(2021, 3, 4), authors=list(authors), summary="S.")
    return cite.briefing_citation(site, "nasty", b, (), site_url=site_url, pdf_links=True)


# --- reading back what was written ------------------------------------------------------------

_LATEX = {v: k for k, v in cite.BIBTEX_ESCAPES.items()}


def unlatex(value: str) -> str:
    """Our BibTeX escapes read back (the inverse of cite.bibtex_text), outer braces dropped."""
    value = value.strip()
    while value.startswith("{") and value.endswith("}"):
        value = value[1:-1]
    return re.sub("|".join(re.escape(k) for k in sorted(_LATEX, key=len, reverse=True)),
                  lambda found: _LATEX[found.group()], value)


def bib_entries(text: str) -> list[bibtexparser.model.Entry]:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return list(library.entries)


def bib_authors(value: str) -> list[str]:
    """The authors of a BibTeX value: split on ' and ' outside braces."""
    found, depth, start = [], 0, 0
    for n, char in enumerate(value):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and value.startswith(" and ", n):
            found.append(value[start:n])
            start = n + 5
    return [unlatex(a) for a in [*found, value[start:]]]


def ris_fields(text: str) -> list[tuple[str, str]]:
    lines = text.split("\r\n")
    assert lines[-1] == ""
    return [(line[:2], line[6:]) for line in lines[:-1] if re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line)]


def csl_format(text: str) -> str:
    """The CSL-JSON formatted by citeproc-py with a style it bundles."""
    items = json.loads(text)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(CslCitation([CitationItem(items[0]["id"])]))
    return str(bibliography.bibliography()[0])


def data_text(href: str) -> str:
    head, _, body = href.partition(",")
    assert head.startswith("data:") and head.endswith(";charset=utf-8")
    return unquote(body, encoding="utf-8", errors="strict")


class _Page(HTMLParser):
    """The meta tags and the data: downloads of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.downloads: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and a.get("name", "").startswith(("citation_", "DC.")):
            self.meta.append((a["name"], a.get("content", "")))
        if tag == "a" and "download" in a:
            self.downloads[a["download"].rsplit(".", 1)[1]] = a["href"]


def parsed(page: str) -> _Page:
    found = _Page()
    found.feed(page)
    return found


def dublin_core(page: str) -> dict[str, list[str]]:
    """What extruct reads as Dublin Core, by element name."""
    read = extruct.extract(page, syntaxes=["dublincore"])["dublincore"]
    found: dict[str, list[str]] = {}
    for element in read[0]["elements"]:
        found.setdefault(element["name"], []).append(element["content"])
    return found


# --- the formats, with nasty values ---------------------------------------------------------

def test_bibtex_keeps_braces_quotes_percent_and_scripts() -> None:
    c = nasty()
    [entry] = bib_entries(cite.bibtex(c))
    fields = {f.key: f.value for f in entry.fields}
    assert entry.entry_type == "techreport" and entry.key == "nasty-2021-03-04"
    assert unlatex(fields["title"]) == NASTY_TITLE
    assert bib_authors(fields["author"]) == list(NASTY_AUTHORS)  # a team's "and" stays in its name
    assert unlatex(fields["institution"]) == 'Desk "A" & {B} 50%'
    assert fields["year"] == "2021" and fields["date"] == "2021-03-04"
    assert fields["url"] == "briefings/nasty.html"


def test_bibtex_without_authors_and_with_a_brace_in_the_address() -> None:
    c = nasty(authors=(), site_url="https://example.org/{odd}/")
    [entry] = bib_entries(cite.bibtex(c))
    fields = {f.key: f.value for f in entry.fields}
    assert "author" not in fields
    assert fields["url"] == "https://example.org/%7Bodd%7D/briefings/nasty.html"


def test_ris_has_one_line_per_field_and_ends_with_er() -> None:
    c = nasty()
    text = cite.ris(c)
    fields = ris_fields(text)
    assert fields[0] == ("TY", "RPRT") and fields[-1] == ("ER", "")
    assert ("TI", NASTY_TITLE) in fields
    assert [v for k, v in fields if k == "AU"] == list(NASTY_AUTHORS)
    assert ("PY", "2021") in fields and ("DA", "2021/03/04/") in fields and ("UR", "briefings/nasty.html") in fields
    assert ("L1", "pdf/nasty.pdf") in fields
    assert len(fields) == len(text.split("\r\n")) - 1  # no value spilled onto a line of its own
    broken = cite.ris(cite.Citation("k", "two\nlines\r\nER  - ", (), dt.date(2020, 1, 1), "S", "u", None))
    assert [k for k, _ in ris_fields(broken)].count("ER") == 1


def test_csl_json_is_formatted_by_citeproc() -> None:
    c = nasty()
    items = json.loads(cite.csl_json(c))
    assert items[0]["title"] == NASTY_TITLE and items[0]["issued"] == {"date-parts": [[2021, 3, 4]]}
    assert [a["literal"] for a in items[0]["author"]] == list(NASTY_AUTHORS)
    text = csl_format(cite.csl_json(c))
    assert "Кремль" in text and "2021" in text and "Иван Петров" in text
    assert "2021" in csl_format(cite.csl_json(nasty(authors=())))


def test_downloads_are_data_urls_of_the_formats() -> None:
    c = nasty()
    found = {d.label: d for d in cite.downloads(c)}
    assert data_text(found["BibTeX"].href) == cite.bibtex(c)
    assert data_text(found["RIS"].href) == cite.ris(c)
    assert data_text(found["CSL-JSON"].href) == cite.csl_json(c)
    assert found["BibTeX"].filename == "nasty-2021-03-04.bib"
    assert all(re.fullmatch(r"data:[\w/.+-]+;charset=utf-8,[A-Za-z0-9%._~-]*", d.href) for d in found.values())


def test_formatted_citation_names_the_version() -> None:
    c = nasty()
    assert cite.plain(c) == (f"Research and Analysis {{Unit}}, Иван Петров and عبد الله (2021) {NASTY_TITLE}. "
                             'Desk "A" & {B} 50%. Briefing, version of 4 March 2021. '
                             "Available at: briefings/nasty.html.")
    assert cite.formatted(nasty(authors=())).lead == 'Desk "A" & {B} 50%'  # the site stands for the author


def test_the_block_and_the_front_matter_escape_what_the_analyst_wrote() -> None:
    c = nasty()
    block = cite.cite_block(c)
    env = make_environment(REPO / "templates")
    html = env.from_string('{% from "_cite.j2" import cite_this %}{{ cite_this(cite) }}').render(cite=block)
    assert "<cite>He said &#34;no&#34; {to} 100% of $x &amp; #y_z" in html
    assert len(parsed(html).downloads) == 3
    assert "data-pagefind-ignore" in html  # the title and authors again on every page: not searched
    assert 'aria-labelledby="cite--this"' in html and '<h2 id="cite--this">Cite this</h2>' in html
    assert "\n\n" not in html  # one raw HTML block for Markdown
    odd = cite.Citation("k", "a\u2028b\x85c\u2029d", (), dt.date(2020, 1, 1), "S", "u", None)
    front = yaml.safe_load(f"citation: {cite.front_matter(odd)}\n")["citation"]
    assert front[0] == ["citation_title", "a\u2028b\x85c\u2029d"]
    assert [tuple(pair) for pair in yaml.safe_load(f"c: {block.front_matter}")["c"]] == block.meta


def test_addresses_are_absolute_with_the_sites_address() -> None:
    site = m.SiteConfig(title="Desk")
    b = m.Briefing(title="T", date=dt.date(2020, 1, 1), summary="S.",
                   updates=[m.Update(date=dt.date(2020, 2, 1), note="n")])
    versions = tuple(m.Version(day, "", None, "", b) for day in (dt.date(2020, 1, 1), dt.date(2020, 2, 1)))
    dated = cite.briefing_citation(site, "t", b, versions, site_url="https://example.org/d/", pdf_links=True)
    assert dated.url == "https://example.org/d/briefings/t/2020-02-01.html"
    assert dated.pdf_url == "https://example.org/d/pdf/t/2020-02-01.pdf"
    alone = cite.briefing_citation(site, "t", b, versions[:1], site_url=None, pdf_links=False)
    assert (alone.url, alone.pdf_url, alone.date) == ("briefings/t.html", None, dt.date(2020, 2, 1))


def test_sources_csv_and_bib_hold_every_source() -> None:
    library, _ = load_library(EXAMPLE_DATA)
    sources = [*library.sources.values(),
               m.Source(id="odd", title=NASTY_TITLE, url="https://example.org/a?b=1&c=%7B", author="A, B",
                        note='Line one,\n"two"')]
    rows = list(csv.DictReader(io.StringIO(cite.sources_csv(sources), newline="")))
    assert [r["id"] for r in rows] == [s.id for s in sources]
    assert rows[-1]["title"] == NASTY_TITLE and rows[-1]["note"] == 'Line one,\n"two"'
    entries = bib_entries(cite.sources_bib(sources))
    assert [e.key for e in entries] == [s.id for s in sources]
    assert unlatex(entries[-1].fields_dict["title"].value) == NASTY_TITLE


# --- the built sites ------------------------------------------------------------------------

def check_downloads(page: str, title: str, authors: list[str], year: str) -> None:
    downloads = parsed(page).downloads
    assert sorted(downloads) == ["bib", "json", "ris"]
    [entry] = bib_entries(data_text(downloads["bib"]))
    assert unlatex(entry.fields_dict["title"].value) == title
    assert (bib_authors(entry.fields_dict["author"].value) if authors else []) == authors
    assert entry.fields_dict["year"].value == year
    ris = ris_fields(data_text(downloads["ris"]))
    assert ("TI", title) in ris and [v for k, v in ris if k == "AU"] == authors and ris[-1] == ("ER", "")
    assert title in csl_format(data_text(downloads["json"]))


def test_a_briefing_page_carries_its_citation(built_example: Project) -> None:
    page = (built_example.site / "briefings" / f"{EXAMPLE}.html").read_text(encoding="utf-8")
    b = load_library(built_example.data)[0].briefings[EXAMPLE]
    day = max([b.date, *(u.date for u in b.updates)])
    dc = dublin_core(page)
    assert dc["DC.title"] == [b.title] and dc["DC.creator"] == b.authors
    assert dc["DC.date"] == [day.isoformat()] and dc["DC.publisher"] == ["Caucasus Watch"]
    # no git here: one version, so the briefing's page is cited, with the version's date
    assert dc["DC.identifier"] == [f"briefings/{EXAMPLE}.html"]
    meta = parsed(page).meta
    assert ("citation_title", b.title) in meta and [v for k, v in meta if k == "citation_author"] == b.authors
    assert ("citation_publication_date", day.strftime("%Y/%m/%d")) in meta
    assert ("citation_publisher", "Caucasus Watch") in meta
    assert ("citation_pdf_url", f"pdf/{EXAMPLE}.pdf") in meta
    assert (built_example.site / "pdf" / f"{EXAMPLE}.pdf").is_file()
    assert '<h2 id="cite--this">Cite this</h2>' in page
    check_downloads(page, b.title, b.authors, str(day.year))


def test_a_version_page_carries_its_own_citation(built_versions: Project) -> None:
    site = built_versions.site / "briefings"
    page = (site / "first-briefing" / "2026-01-22.html").read_text(encoding="utf-8")
    dc = dublin_core(page)
    assert dc["DC.title"] == ["A first briefing"] and "DC.creator" not in dc
    assert dc["DC.date"] == ["2026-01-22"] and dc["DC.identifier"] == ["briefings/first-briefing/2026-01-22.html"]
    meta = dict(parsed(page).meta)
    assert meta["citation_publication_date"] == "2026/01/22" and "citation_pdf_url" not in meta  # no PDFs built
    check_downloads(page, "A first briefing", [], "2026")
    # the briefing's page cites its current version's dated page
    current = dublin_core((site / "first-briefing.html").read_text(encoding="utf-8"))
    assert current["DC.identifier"] == ["briefings/first-briefing/2026-02-03.html"]
    assert current["DC.date"] == ["2026-02-03"]


def test_the_sources_are_published_as_csv_and_bibtex(built_example: Project) -> None:
    sources = load_library(built_example.data)[0].sources
    text = (built_example.site / "data" / "sources.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["id"] for r in rows] == list(sources)
    first = next(iter(sources.values()))
    assert rows[0]["title"] == first.title and rows[0]["url"] == str(first.url)
    entries = bib_entries((built_example.site / "data" / "sources.bib").read_text(encoding="utf-8"))
    assert [e.key for e in entries] == list(sources)
    assert unlatex(entries[0].fields_dict["title"].value) == first.title
    if first.published:
        assert entries[0].fields_dict["year"].value == str(first.published.year)


@pytest.mark.parametrize("theme", ["material", "zensical"])
def test_each_theme_writes_the_citation_tags(theme: str) -> None:
    text = (Path(cite.__file__).parents[1] / "theme" / theme / "main.html").read_text(encoding="utf-8")
    assert 'page.meta.citation' in text and '{{ content | e }}' in text
