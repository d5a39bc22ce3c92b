"""How a briefing is cited, and the desk's sources as data for other tools.

One `Citation` per cited version: the meta tags reference managers read from a page's head
(Highwire Press `citation_*`, as Google Scholar and Zotero read them, and Dublin Core
`DC.*`), the formatted citation the "Cite this" block shows, and its downloads in BibTeX,
RIS and CSL-JSON as `data:` addresses (no extra files, so a dated version page has them
too). What is cited is a version: the dated version page of the briefing's current version
when it has one (render/versions.py), else the briefing's page with the version's date in
the citation (docs/citing.md).

Every value here is the analyst's text: each format escapes it its own way (BibTeX's
special characters and braces, RIS's one line per field, JSON), and the HTML is escaped by
the templates (markupsafe).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from ..core import model as m
from .feed import entry_updated
from .index import version_page, version_pdf_name
from .words import ENGLISH_WORDS, Words

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
GENRE = "Briefing"
"""The kind of document, as the citation and its formats name it."""


@dataclass(frozen=True)
class Citation:
    """One version of a briefing, as it is cited."""

    key: str
    """The citation key: the briefing id and the version's date ('russia-options-2020-10-22')."""
    title: str
    authors: tuple[str, ...]
    """As written (a name is never split into given and family names: desks write names in
    many scripts and orders, and some authors are teams)."""
    date: dt.date
    """The version's date of issue."""
    publisher: str
    """The site's title."""
    url: str
    """The cited page: absolute when the site's address is known, else from the site's root."""
    pdf_url: str | None
    """The version's PDF, the same way (None: the build makes no PDFs)."""
    language: str | None = None


@dataclass(frozen=True)
class Download:
    """One format of a citation, as a link downloads it."""

    label: str
    """What the link says ('BibTeX')."""
    filename: str
    media_type: str
    href: str
    """A data: address holding the whole file."""


def address(site_url: str | None, path: str) -> str:
    """A path inside the site as cited: absolute under `site_url` (which ends in '/'), else
    as it is (relative to the site's root)."""
    return (site_url or "") + path


def briefing_citation(site: m.SiteConfig, bid: str, b: m.Briefing, versions: tuple[m.Version, ...], *,
                      site_url: str | None, pdf_links: bool) -> Citation:
    """The citation of a briefing's page: its current version. With a dated page (two
    versions or more) that page and its PDF are cited, which never change; else the
    briefing's page and PDF, with the version's date (its latest update, or its date)."""
    if len(versions) >= 2:
        day = versions[-1].date
        return version_citation(site, bid, b, day, site_url=site_url, pdf_links=pdf_links)
    day = entry_updated(b)
    return Citation(f"{bid}-{day.isoformat()}", b.title, tuple(b.authors), day, site.title,
                    address(site_url, f"briefings/{bid}.html"),
                    address(site_url, f"pdf/{bid}.pdf") if pdf_links else None, site.language or None)


def version_citation(site: m.SiteConfig, bid: str, b: m.Briefing, day: dt.date, *,
                     site_url: str | None, pdf_links: bool) -> Citation:
    """The citation of a dated version (`b` as that version was issued): its page and PDF."""
    return Citation(f"{bid}-{day.isoformat()}", b.title, tuple(b.authors), day, site.title,
                    address(site_url, version_page(bid, day)),
                    address(site_url, f"pdf/{version_pdf_name(bid, day)}.pdf") if pdf_links else None,
                    site.language or None)


# --- The head: Highwire Press and Dublin Core ------------------------------------------------

def meta_tags(c: Citation) -> list[tuple[str, str]]:
    """(name, content) of each <meta> of the page's head, unescaped (the template escapes)."""
    tags = [("citation_title", c.title)]
    tags += [("citation_author", name) for name in c.authors]
    tags += [("citation_publication_date", c.date.strftime("%Y/%m/%d")), ("citation_publisher", c.publisher),
             ("citation_technical_report_institution", c.publisher), ("citation_fulltext_html_url", c.url)]
    if c.pdf_url:
        tags.append(("citation_pdf_url", c.pdf_url))
    if c.language:
        tags.append(("citation_language", c.language))
    tags += [("DC.title", c.title)]
    tags += [("DC.creator", name) for name in c.authors]
    tags += [("DC.date", c.date.isoformat()), ("DC.publisher", c.publisher), ("DC.type", "Text"),
             ("DC.identifier", c.url)]
    if c.language:
        tags.append(("DC.language", c.language))
    return tags


def front_matter(c: Citation) -> Markup:
    """The meta tags as the value of the page's `citation:` front matter: JSON (which is YAML,
    on one line), the characters YAML reads as line breaks inside a string written as escapes.
    Markup only in that Jinja leaves it as it is: the theme escapes each value (theme/*/main.html)."""
    text = json.dumps([list(pair) for pair in meta_tags(c)], ensure_ascii=False)
    return Markup(text.translate({0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}))  # noqa: S704


# --- The formatted citation -----------------------------------------------------------------

def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def names(authors: Iterable[str], words: Words = ENGLISH_WORDS) -> str:
    """'A', 'A and B', 'A, B and C'."""
    shown = list(authors)
    if len(shown) < 2:
        return "".join(shown)
    return words._("%(names)s and %(last)s", names=", ".join(shown[:-1]), last=shown[-1])


@dataclass(frozen=True)
class Formatted:
    """The formatted citation in parts (author-date, as Harvard styles write a report), for
    the template to lay out: `lead` (year) `title`. `rest`"""

    lead: str
    """The authors, or the site when no author is named."""
    year: str
    title: str
    rest: str
    """The site, the version and the address."""


def formatted(c: Citation, words: Words = ENGLISH_WORDS) -> Formatted:
    """The citation as a reader copies it: 'A and B (2020) Title. Site. Briefing, version of
    22 October 2020. Available at: <url>.' (our own formatter: see docs/citing.md for why not
    a CSL processor at build time)."""
    lead = names(c.authors, words) or c.publisher
    day = words.long_day(c.date) if words.locale else long_date(c.date)
    return Formatted(lead, str(c.date.year), c.title.rstrip("."),
                     words._("%(publisher)s. Briefing, version of %(day)s. Available at: %(url)s.",
                             publisher=c.publisher, day=day, url=c.url))


def plain(c: Citation) -> str:
    f = formatted(c)
    return f"{f.lead} ({f.year}) {f.title}. {f.rest}"


# --- BibTeX ---------------------------------------------------------------------------------

BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
                  "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}"}
_BIBTEX_RE = re.compile(r"[\\{}%&$#_~^]")


def bibtex_text(text: str) -> str:
    """Text inside a braced BibTeX value: LaTeX's special characters as commands, braces
    included (BibTeX counts every brace, escaped or not, so the analyst's are never written
    as braces), on one line; UTF-8 as it is (biber, BibLaTeX and reference managers read it)."""
    return _BIBTEX_RE.sub(lambda found: BIBTEX_ESCAPES[found.group()], " ".join(text.split()))


def bibtex_key(key: str) -> str:
    """A citation key BibTeX reads: letters, digits and - _ : . only."""
    return re.sub(r"[^A-Za-z0-9_:.-]+", "-", key) or "briefing"


def bibtex(c: Citation) -> str:
    """A @techreport entry. The title in double braces keeps its capitals (styles lower-case
    titles); each author in braces is one name as written (a team's 'and' is not a second
    author, and no name is split into given and family names)."""
    fields = [("title", "{" + bibtex_text(c.title) + "}")]
    if c.authors:
        fields.append(("author", " and ".join("{" + bibtex_text(a) + "}" for a in c.authors)))
    fields += [("institution", bibtex_text(c.publisher)), ("type", GENRE), ("year", str(c.date.year)),
               ("date", c.date.isoformat()), ("url", bibtex_url(c.url)),
               ("note", f"Version of {c.date.isoformat()}")]
    if c.language:
        fields.append(("language", bibtex_text(c.language)))
    return bibtex_entry("techreport", bibtex_key(c.key), fields)


def bibtex_url(url: str) -> str:
    """An address in a BibTeX value (the url package reads % and # as they are, but BibTeX
    still counts braces: those are percent-encoded)."""
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def bibtex_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    """An entry from its fields' values, already escaped (each is written in braces)."""
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


# --- RIS ------------------------------------------------------------------------------------

def ris_text(text: str) -> str:
    """A RIS value: one line (a line break would end the field)."""
    return " ".join(text.split())


def ris(c: Citation) -> str:
    """A RIS record (TY RPRT, a report), lines ending in CR LF as the format has them."""
    lines = [("TY", "RPRT"), ("TI", c.title)]
    lines += [("AU", name) for name in c.authors]
    lines += [("PY", str(c.date.year)), ("DA", c.date.strftime("%Y/%m/%d/")), ("PB", c.publisher),
              ("M3", GENRE), ("UR", c.url)]
    if c.pdf_url:
        lines.append(("L1", c.pdf_url))
    if c.language:
        lines.append(("LA", c.language))
    lines += [("N1", f"Version of {c.date.isoformat()}"), ("ID", c.key)]
    return "".join(f"{tag}  - {ris_text(value)}\r\n" for tag, value in lines) + "ER  - \r\n"


# --- CSL-JSON -------------------------------------------------------------------------------

def csl_item(c: Citation) -> dict[str, object]:
    """The citation as a CSL-JSON item (each author a literal name, never split)."""
    item: dict[str, object] = {"id": c.key, "type": "report", "title": c.title, "publisher": c.publisher,
                               "genre": GENRE, "issued": {"date-parts": [[c.date.year, c.date.month, c.date.day]]},
                               "URL": c.url, "version": c.date.isoformat()}
    if c.authors:
        item["author"] = [{"literal": name} for name in c.authors]
    if c.language:
        item["language"] = c.language
    return item


def csl_json(c: Citation) -> str:
    return json.dumps([csl_item(c)], ensure_ascii=False, indent=2) + "\n"


# --- Downloads ------------------------------------------------------------------------------

def data_url(media_type: str, text: str) -> str:
    """A data: address holding `text` as UTF-8, every byte outside letters and digits
    percent-encoded (so it is a valid URL in any attribute)."""
    return f"data:{media_type};charset=utf-8," + quote(text.encode("utf-8"), safe="")


def downloads(c: Citation) -> list[Download]:
    """The citation in BibTeX, RIS and CSL-JSON, as links download them."""
    made = [("BibTeX", "bib", "application/x-bibtex", bibtex(c)),
            ("RIS", "ris", "application/x-research-info-systems", ris(c)),
            ("CSL-JSON", "json", "application/vnd.citationstyles.csl+json", csl_json(c))]
    return [Download(label, f"{c.key}.{ext}", media, data_url(media, text)) for label, ext, media, text in made]


@dataclass(frozen=True)
class CiteBlock:
    """What a page's "Cite this" block and its head show of a citation."""

    citation: Citation
    formatted: Formatted
    downloads: list[Download]
    meta: list[tuple[str, str]]
    """The head's meta tags (a version page writes them itself)."""
    front_matter: Markup
    """The same, for a briefing page's front matter (the theme writes them)."""


def cite_block(c: Citation, words: Words = ENGLISH_WORDS) -> CiteBlock:
    """The block in the site's language (the data formats' fields stay as the formats want them)."""
    return CiteBlock(c, formatted(c, words), downloads(c), meta_tags(c), front_matter(c))


# --- The sources, as data -------------------------------------------------------------------

SOURCE_COLUMNS = ("id", "title", "author", "publisher", "published", "accessed", "url", "archive_url", "kind",
                  "language", "reliability", "credibility", "grade", "note")
"""The columns of sources.csv (the source's fields, `grade` being reliability and credibility
together, as the site shows it)."""


def sources_csv(sources: Iterable[m.Source]) -> str:
    """Every source as a row of CSV (RFC 4180's quoting, by the csv module), a row to a line
    ending in LF (which every CSV reader takes, and which a text file keeps as it is)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SOURCE_COLUMNS)
    for s in sources:
        writer.writerow([s.id, s.title, s.author or "", s.publisher or "",
                         s.published.isoformat() if s.published else "",
                         s.accessed.isoformat() if s.accessed else "", str(s.url),
                         str(s.archive_url) if s.archive_url else "", s.kind, s.language or "",
                         s.reliability or "", s.credibility or "",
                         f"{s.reliability or ''}{s.credibility or ''}", s.note or ""])
    return out.getvalue()


def source_bibtex(s: m.Source) -> str:
    """A source as a BibTeX @misc entry (its id as the key)."""
    fields = [("title", "{" + bibtex_text(s.title) + "}")]
    if s.author:
        fields.append(("author", "{" + bibtex_text(s.author) + "}"))
    if s.publisher:
        fields.append(("howpublished", bibtex_text(s.publisher)))
    if s.published:
        fields += [("year", str(s.published.year)), ("date", s.published.isoformat())]
    fields.append(("url", bibtex_url(str(s.url))))
    if s.accessed:
        fields.append(("urldate", s.accessed.isoformat()))
    if s.language:
        fields.append(("language", bibtex_text(s.language)))
    return bibtex_entry("misc", bibtex_key(s.id), fields)


def sources_bib(sources: Iterable[m.Source]) -> str:
    return "\n".join(source_bibtex(s) for s in sources)
