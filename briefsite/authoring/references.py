"""Reference managers' exports read as sources: CSL JSON (Zotero, Mendeley) and BibTeX or
BibLaTeX (Zotero, Mendeley, JabRef), each item mapped to the fields of a source."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..core import model as m
from ..core.values import LANGUAGE_TAG

CSL_JSON, BIBTEX, TEXT = "CSL JSON", "BibTeX", "text"

_BIB_ENTRY = re.compile(r"(?m)^[ \t]*@[A-Za-z]+[ \t]*[{(][ \t]*[^\s,{}()]*[ \t]*,")
_WAYBACK = re.compile(r"(?i)^https?://web\.archive\.org/web/[0-9a-z_*]+/(https?://.+)$")
_WAYBACK_IN_TEXT = re.compile(r"(?i)https?://web\.archive\.org/web/[0-9a-z_*]+/https?://[^\s}<>\"]+")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")

# The types of a CSL item (CSL 1.0.2) and of a BibTeX or BibLaTeX entry that say what kind of
# source it is; every other type is 'other'.
CSL_KINDS: dict[str, m.SourceKind] = {
    "article-newspaper": "news", "article-magazine": "news", "broadcast": "news",
    "report": "analysis", "article-journal": "analysis", "paper-conference": "analysis", "thesis": "analysis",
    "dataset": "dataset",
    "legislation": "official", "legal_case": "official", "bill": "official", "regulation": "official",
    "treaty": "official", "hearing": "official",
    "post-weblog": "opinion", "review": "opinion", "review-book": "opinion",
}

# The periodical types, whose container (the newspaper, the website) is what readers know as
# the publisher; for the others a container is a book or a series, never the publisher.
CSL_PERIODICALS = frozenset({"article-newspaper", "article-magazine", "article-journal", "article", "post-weblog",
                             "post", "webpage", "broadcast", "review", "review-book", "interview"})

# Language names as BibTeX's `language` and BibLaTeX's `langid` give them (babel and
# polyglossia names), and as people type them into a reference manager.
LANGUAGE_NAMES = {
    "english": "en", "american": "en-US", "usenglish": "en-US", "british": "en-GB", "ukenglish": "en-GB",
    "russian": "ru", "armenian": "hy", "arabic": "ar", "azerbaijani": "az", "azeri": "az", "georgian": "ka",
    "turkish": "tr", "persian": "fa", "farsi": "fa", "french": "fr", "german": "de", "ngerman": "de",
    "austrian": "de-AT", "spanish": "es", "italian": "it", "ukrainian": "uk", "belarusian": "be",
    "polish": "pl", "czech": "cs", "slovak": "sk", "bulgarian": "bg", "serbian": "sr", "croatian": "hr",
    "romanian": "ro", "hungarian": "hu", "greek": "el", "hebrew": "he", "kazakh": "kk", "uzbek": "uz",
    "kurdish": "ku", "pashto": "ps", "urdu": "ur", "hindi": "hi", "chinese": "zh", "japanese": "ja",
    "korean": "ko", "portuguese": "pt", "brazilian": "pt-BR", "brazil": "pt-BR", "dutch": "nl",
    "swedish": "sv", "norwegian": "no", "danish": "da", "finnish": "fi", "estonian": "et", "latvian": "lv",
    "lithuanian": "lt",
}


@dataclass
class Reference:
    """One item of an export, as the fields of a source (what could be mapped)."""

    label: str
    """How a message names it: "item 'ITEM-3'", "entry 'smith2020'"."""
    line: int | None
    """Its first line in the file."""
    column: int | None = None
    title: str | None = None
    url: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    """Source fields other than id, title and url (publisher, author, published...)."""
    partial: dict[str, str] = field(default_factory=dict)
    """A date field given only as a year or a month ('2019', '2019-03'): kept as a comment."""
    notes: list[str] = field(default_factory=list)
    """Values that could not be mapped, each a sentence ending 'left out'."""


@dataclass(frozen=True)
class Unreadable:
    """A part of the file that is no reference: where, and why."""

    line: int | None
    column: int | None
    label: str
    message: str


class ExportError(ValueError):
    """The file as a whole cannot be read in the format it claims (bad JSON)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line, self.column = line, column


def detect(name: str, text: str) -> str:
    """CSL JSON, BibTeX or text: by the file's extension, then by its content."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "json":
        return CSL_JSON
    if suffix in ("bib", "bibtex"):
        return BIBTEX
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, list) and any(isinstance(i, dict) and ("type" in i or "title" in i) for i in data):
            return CSL_JSON
    return BIBTEX if _BIB_ENTRY.search(text) else TEXT


# --- CSL JSON -------------------------------------------------------------------------------

def read_csl(text: str) -> tuple[list[Reference], list[Unreadable]]:
    """The items of a CSL JSON array; raises ExportError when the file is no such array."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    if not isinstance(data, list):
        raise ExportError("expected CSL JSON: a list of items ([{...}, ...]), as Zotero and Mendeley "
                            "export it; found " + ("an object" if isinstance(data, dict) else "a single value"))
    refs: list[Reference] = []
    bad: list[Unreadable] = []
    for i, ((line, column), item) in enumerate(zip(_item_places(text, len(data)), data, strict=True)):
        if not isinstance(item, dict):
            bad.append(Unreadable(line, column, f"item {i + 1}", f"is {_json_kind(item)}, not an object; skipped"))
            continue
        refs.append(csl_reference(item, line, column, i))
    return refs, bad


_BETWEEN = re.compile(r"[\s,]*")


def _item_places(text: str, count: int) -> list[tuple[int, int]]:
    """The line and column where each item of the top-level array starts."""
    decoder, places = json.JSONDecoder(), []
    at = text.index("[") + 1
    line, counted = 1, 0  # lines counted up to `counted`, item by item
    for _ in range(count):
        at = _BETWEEN.match(text, at).end()  # type: ignore[union-attr]
        line += text.count("\n", counted, at)
        counted = at
        places.append((line, at - text.rfind("\n", 0, at)))
        _, at = decoder.raw_decode(text, at)
    return places


def _json_kind(value: Any) -> str:
    return {list: "a list", str: "text", bool: "true or false", type(None): "null"}.get(type(value), "a number")


def csl_reference(item: dict[str, Any], line: int | None, column: int | None, index: int) -> Reference:
    """One CSL item mapped to a source's fields."""
    ref = Reference(f"item '{item['id']}'" if isinstance(item.get("id"), (str, int)) else f"item {index + 1}",
                    line, column, title=text_of(item.get("title")))
    ctype = str(item.get("type", ""))
    ref.url, archived = address_of(text_of(item.get("URL")), doi_address(item.get("DOI")))
    archive = text_of(item.get("archive_location"))
    if archive and not re.match(r"(?i)^https?://", archive):
        archive = None
    ref_set(ref, "archive_url", archive or archived or wayback_in(text_of(item.get("note"))))
    container, publisher = text_of(item.get("container-title")), text_of(item.get("publisher"))
    if ctype in CSL_PERIODICALS:
        ref_set(ref, "publisher", container or publisher)
    else:
        ref_set(ref, "publisher", publisher or text_of(item.get("authority")))
    ref_set(ref, "author", ", ".join(filter(None, map(_csl_name, _list(item.get("author"))))))
    _csl_date(ref, "published", item.get("issued"))
    _csl_date(ref, "accessed", item.get("accessed"))
    ref_set(ref, "kind", CSL_KINDS.get(ctype, "other"))
    set_language(ref, text_of(item.get("language")))
    return ref


def _csl_name(name: Any) -> str | None:
    """'Given [particles] Family [suffix]', or the literal name of an organisation."""
    if not isinstance(name, dict):
        return text_of(name)
    if text_of(name.get("literal")):
        return text_of(name.get("literal"))
    parts = [text_of(name.get(k)) for k in ("given", "dropping-particle", "non-dropping-particle", "family")]
    whole = " ".join(p for p in parts if p)
    suffix = text_of(name.get("suffix"))
    return f"{whole} {suffix}" if whole and suffix else whole or None


def _csl_date(ref: Reference, key: str, value: Any) -> None:
    if isinstance(value, str):  # not CSL, but some tools write the date as text
        set_date(ref, key, value)
    if not isinstance(value, dict):
        return
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            numbers = [int(p) for p in parts[0][:3]]
        except (TypeError, ValueError):
            ref.notes.append(f"{key}: {json.dumps(parts[0], ensure_ascii=False)} is not a date; left out")
            return
        set_date(ref, key, "-".join(f"{n:02d}" if i else f"{n:04d}" for i, n in enumerate(numbers)))
    elif text_of(value.get("raw")) or text_of(value.get("literal")):
        set_date(ref, key, text_of(value.get("raw")) or text_of(value.get("literal")) or "")


# --- Values common to both ----------------------------------------------------------------------

def ref_set(ref: Reference, key: str, value: str | None) -> None:
    if value:
        ref.values[key] = value


def text_of(value: Any) -> str | None:
    """A value as one line of text, or None when it holds none."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def doi_address(value: Any) -> str | None:
    doi = text_of(value)
    if not doi:
        return None
    doi = re.sub(r"(?i)^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi)
    return f"https://doi.org/{doi}"


def address_of(url: str | None, doi: str | None) -> tuple[str | None, str | None]:
    """The source's address (its URL, else its DOI's), and the archived copy when the URL is
    one on web.archive.org: then the address is the page it archived."""
    url = text_of(url)
    if url and (archived := _WAYBACK.match(url)):
        return archived.group(1), url
    return url or doi, None


def wayback_in(text: str | None) -> str | None:
    found = _WAYBACK_IN_TEXT.search(text or "")
    return found.group(0).rstrip(".,;)") if found else None


def set_date(ref: Reference, key: str, text: str | None) -> None:
    """A whole date as YYYY-MM-DD, for the model to check; a year, or a year and month, as a
    comment; else a note."""
    text = text_of(text)
    if not text:
        return
    text = re.split(r"[T /]", text)[0]  # a time of day, or the end of a range ('2020-03-11/2020-03-12')
    found = _PARTIAL.match(text)
    if not found:
        ref.notes.append(f"{key}: '{text}' is not a date; left out")
        return
    year, month, day = found.groups()
    if month and not 1 <= int(month) <= 12:
        ref.notes.append(f"{key}: '{text}' is not a real date: there is no month {int(month)}; left out")
        return
    if day is None:
        ref.partial[key] = year + (f"-{int(month):02d}" if month else "")
        return
    ref.values[key] = f"{year}-{int(month):02d}-{int(day):02d}"


def set_language(ref: Reference, given: str | None) -> None:
    """A language tag from a code (en, en_US, EN-us) or a language's English name (russian)."""
    if not given:
        return
    tag = LANGUAGE_NAMES.get(given.lower())
    if tag is None and re.match(LANGUAGE_TAG, given.replace("_", "-")):
        language, *rest = given.replace("_", "-").split("-")
        tag = "-".join([language.lower(), *(s.title() if len(s) == 4 else s.upper() if len(s) == 2 else s
                                            for s in rest)])
    if tag is None:
        ref.notes.append(f"language: '{given}' is not a language code or a language we know by name; left out")
    else:
        ref.values["language"] = tag
