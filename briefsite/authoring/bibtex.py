"""BibTeX and BibLaTeX exports (Zotero, Mendeley, JabRef) read as references: LaTeX decoded,
names split, each entry mapped to the fields of a source."""

from __future__ import annotations

import logging
import re
from typing import Any

import bibtexparser
from bibtexparser import middlewares as bib_mw
from bibtexparser.library import Library as BibLibrary
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, Field, MiddlewareErrorBlock

from ..core import model as m
from .references import (
    Reference,
    Unreadable,
    address_of,
    doi_address,
    ref_set,
    set_date,
    set_language,
    text_of,
    wayback_in,
)

_LATEX_ESCAPES = re.compile(r"\{?\\([%&_#$~])\}?")
"""'\\_' or, as Mendeley writes it, '{\\_}' inside an address: the character itself."""

BIB_KINDS: dict[str, m.SourceKind] = {
    "article": "analysis", "report": "analysis", "techreport": "analysis", "inproceedings": "analysis",
    "thesis": "analysis", "phdthesis": "analysis", "mastersthesis": "analysis",
    "dataset": "dataset", "data": "dataset",
    "legislation": "official", "legal": "official", "jurisdiction": "official", "law": "official",
}
BIB_NEWS_SUBTYPES = ("newspaper", "magazine")
"""A BibLaTeX @article with `entrysubtype = {newspaper}` (as Zotero writes one) is news."""

BIB_PUBLISHER_FIELDS = ("journaltitle", "journal", "institution", "organization", "publisher", "howpublished")
"""The BibTeX fields that may name the publisher, the first one given wins."""


def read_bibtex(text: str) -> tuple[list[Reference], list[Unreadable]]:
    """The entries of a BibTeX or BibLaTeX file, LaTeX decoded, with the blocks bibtexparser
    could not read."""
    quiet = logging.getLogger("bibtexparser")  # it logs each failed block; we report them ourselves
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        library = bibtexparser.parse_string(text, append_middleware=[
            bib_mw.MonthIntMiddleware(), bib_mw.SeparateCoAuthors(), bib_mw.SplitNameParts()])
    finally:
        quiet.setLevel(level)
    decoding = bib_mw.LatexDecodingMiddleware()
    bad = [_failed(block) for block in library.failed_blocks]
    refs = []
    for entry in library.entries:
        verbatim = {k: _LATEX_ESCAPES.sub(r"\1", str(entry[k]).strip()) for k in _VERBATIM if k in entry}
        decoded = _decoded(entry, decoding, library)
        if isinstance(decoded, MiddlewareErrorBlock):
            bad.append(_failed(decoded))
            continue
        assert isinstance(decoded, Entry)
        refs.append(bib_reference(decoded, verbatim, decoding, library))
    bad.sort(key=lambda u: u.line or 0)
    return refs, bad


_LATEX = re.compile(r"[\\{}$~%&#^_]|--|``|''")
"""What LaTeX decoding may change: a value without any of it is left as it is (decoding is most of
an import's time; docs/performance.md)."""


def _decoded(entry: Entry, decoding: bib_mw.LatexDecodingMiddleware, library: BibLibrary) -> Any:
    """The entry with its values LaTeX decoded by the middleware, or the middleware's error block."""
    marked = [f for f in entry.fields if isinstance(f.value, str) and _LATEX.search(f.value)]
    if not marked:
        return entry
    holder = Entry(entry.entry_type, entry.key, marked, start_line=entry.start_line, raw=entry.raw)
    decoded = decoding.transform_block(holder, library)
    if isinstance(decoded, Entry):
        for decoded_field in decoded.fields:
            entry.set_field(decoded_field)
        return entry
    return decoded


_VERBATIM = ("url", "doi", "archiveurl", "archive_url", "howpublished", "note")
"""Fields read as written: LaTeX decoding would turn '~' or '--' inside an address into other characters."""


def _failed(block: Any) -> Unreadable:
    line = block.start_line + 1 if block.start_line is not None else None
    head = re.match(r"\s*@([A-Za-z]+)\s*[{(]\s*([^,\s]*)", block.raw or "")
    key = block.key if isinstance(block, DuplicateBlockKeyBlock) else (head.group(2) if head else "")
    label = f"entry '{key}'" if key else (f"@{head.group(1)} entry" if head else "a block")
    if isinstance(block, DuplicateBlockKeyBlock):
        return Unreadable(line, 1, label, "has the key of an entry above; skipped")
    error = block.error
    reason = (getattr(error, "abort_reason", None) or str(error) or type(error).__name__).strip().splitlines()[-1]
    return Unreadable(line, 1, label, f"could not be read ({reason.rstrip('.')}); skipped")


def bib_reference(entry: Entry, verbatim: dict[str, str], decoding: bib_mw.LatexDecodingMiddleware,
                  library: BibLibrary) -> Reference:
    """One BibTeX entry mapped to a source's fields."""
    def value(key: str) -> str | None:
        return text_of(entry[key]) if key in entry and isinstance(entry[key], (str, int)) else None  # month: int

    btype = entry.entry_type.lower()
    ref = Reference(f"entry '{entry.key}'", entry.start_line + 1 if entry.start_line is not None else None, 1,
                    title=value("title"))
    howpublished = verbatim.get("howpublished", "")
    link = re.fullmatch(r"\\url\{(.+)\}|(https?://\S+)", howpublished)
    ref.url, archived = address_of(verbatim.get("url") or (link and (link.group(1) or link.group(2))),
                                 doi_address(verbatim.get("doi")))
    ref_set(ref, "archive_url", verbatim.get("archiveurl") or verbatim.get("archive_url") or archived
            or wayback_in(verbatim.get("note")))
    publishers = [value(k) for k in BIB_PUBLISHER_FIELDS if not (k == "howpublished" and link)]
    ref_set(ref, "publisher", next((p for p in publishers if p), None))
    names = entry["author"] if "author" in entry and isinstance(entry["author"], list) else []
    ref_set(ref, "author", ", ".join(filter(None, (_bib_name(n, decoding, library) for n in names))))
    set_date(ref, "published", value("date") or _year_month_day(value("year"), value("month"), value("day")))
    set_date(ref, "accessed", value("urldate"))
    subtype = (value("entrysubtype") or "").lower()
    ref_set(ref, "kind", "news" if btype == "article" and subtype in BIB_NEWS_SUBTYPES else
            BIB_KINDS.get(btype, "other"))
    set_language(ref, value("langid") or value("language"))
    return ref


def _bib_name(parts: bib_mw.NameParts, decoding: bib_mw.LatexDecodingMiddleware, library: BibLibrary) -> str:
    """'First von Last Jr.': a braced corporate name stays whole. The name is split first and
    decoded after, so that the braces still hold it together when it is split."""
    if any(_LATEX.search(p) for p in [*parts.first, *parts.von, *parts.last, *parts.jr]):
        holder = Entry("name", "name", [Field("name", parts)])
        decoded = decoding.transform_block(holder, library)
        if isinstance(decoded, Entry):
            parts = decoded["name"]
    whole = " ".join(text_of(p) or "" for p in [*parts.first, *parts.von, *parts.last] if text_of(p))
    suffix = " ".join(text_of(p) or "" for p in parts.jr if text_of(p))
    return f"{whole} {suffix}" if whole and suffix else whole


def _year_month_day(year: str | None, month: str | None, day: str | None) -> str | None:
    if not year:
        return None
    return "-".join(p for p in (year, month, day if month else None) if p)
