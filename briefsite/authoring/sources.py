"""Sources from the links in a text (`sources import FILE`): one entry for every link the
content does not hold yet, its title left for the analyst to write; or from the references
of a reference manager's export, their titles, authors and dates filled in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pydantic

from ..core import model as m
from ..core.errors import BriefError, Mark, Problem, Severity, display_path
from ..core.project import Project
from ..core.sourcing import host_of
from ..core.text import slug
from ..read.rules import normalise_url, without_tracking
from . import bibtex, references
from .content import (
    LIST_HEADERS,
    Existing,
    Written,
    append_entries,
    choices,
    existing_content,
    list_file,
    yaml_scalar,
)
from .skeletons import TITLE_PLACEHOLDER

_URL = re.compile(r"""(?i)\bhttps?://[^\s<>"'`“”‘’«»|\\^{}]+""")
_TRAILING = ".,;:!?*_~"
_BRACKETS = {")": "(", "]": "["}
_SOURCE_URL: pydantic.TypeAdapter[str] = pydantic.TypeAdapter(m.HttpUrl)
ID_LENGTH = 60
"""Ids made from addresses are cut to this length, at a hyphen."""


def extract_urls(text: str) -> list[str]:
    """Every distinct http(s) address in a text, in order of first appearance, with the
    punctuation that ends a sentence or closes a bracket around it trimmed."""
    found: dict[str, str] = {}
    for match in _URL.finditer(text):
        url = _trim(match.group(0))
        try:
            _SOURCE_URL.validate_python(url)
        except pydantic.ValidationError:
            continue
        if urlsplit(url).hostname:
            found.setdefault(normalise_url(url), without_tracking(url))
    return list(found.values())


def _trim(url: str) -> str:
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _BRACKETS and url.count(last) > url.count(_BRACKETS[last])):
            url = url[:-1]
        else:
            break
    return url


def _cut(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    head = text[: length + 1]
    return (head.rsplit("-", 1)[0] if "-" in head else text[:length]).strip("-")


def source_id(url: str, taken: set[str] | dict[str, str]) -> str:
    """An id from the address: the publisher's host name, then the path's last words
    (`tass.com/emergencies/1211515` -> `tass-emergencies-1211515`), unique among taken."""
    labels = host_of(url).split(".")
    if len(labels) > 1:
        labels = labels[:-1]  # the top-level domain
    if len(labels) > 1 and labels[-1] in ("co", "com", "org", "net", "gov", "ac", "edu"):
        labels = labels[:-1]  # bbc.co.uk -> bbc
    host = slug("-".join(labels)) or "source"
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if segments:
        segments[-1] = re.sub(r"\.(s?html?|php|aspx?|jsp)$", "", segments[-1], flags=re.IGNORECASE)
    words: list[str] = []
    for segment in reversed([s for s in map(slug, segments) if s]):
        words.insert(0, segment)
        if re.search(r"[a-z]{3}", segment):  # a segment with words in it names the page
            break
    base = _cut("-".join([host, *words]), ID_LENGTH)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{_cut(base, ID_LENGTH - len(str(n)) - 1)}-{n}"
    return candidate


@dataclass(frozen=True)
class Skipped:
    """A reference not added, or a value left out of one that was: a warning, and what it is
    counted under when there are many."""

    problem: Problem
    reason: str
    """'references skipped without a URL', 'references with values left out'..."""


@dataclass(frozen=True)
class Imported:
    written: Written | None
    """None when every link was already a source."""
    links: list[str]
    """The distinct links found (in an export: the addresses of its references)."""
    known: dict[str, str]
    """link -> the id of the source that already has it."""
    form: str = references.TEXT
    """What the file was read as: text, CSL JSON or BibTeX."""
    items: int = 0
    """In an export: the references it holds, read or not."""
    skipped: list[Skipped] = field(default_factory=list)
    """In an export: what was not added, and values left out of what was."""
    not_added: int = 0
    """In an export: the references skipped (unreadable, without an address, given twice)."""
    untitled: list[str] = field(default_factory=list)
    """The new sources whose title is a placeholder (every one from a text)."""


def import_sources(project: Project, text_file: Path, to: str | None = None) -> Imported:
    """Append a source entry for every link in a text, or every reference in a reference
    manager's export (CSL JSON, BibTeX), that the content does not hold yet."""
    try:
        raw = text_file.read_bytes()
    except OSError as exc:
        raise BriefError([Problem(display_path(text_file), None, (), f"cannot read file: {exc.strerror}")]) from None
    text = raw.decode("utf-8-sig", errors="replace")
    target = list_file(project.data, to, "imported.yaml")
    existing = existing_content(project.data)
    form = references.detect(text_file.name, text)
    if form != references.TEXT:
        _check_utf8(raw, text_file, form)  # a text's links are ASCII; an export's titles are not
        return _import_references(project, text_file, text, form, target, existing)
    links = extract_urls(text)
    known = {u: existing.urls[normalise_url(u)] for u in links if normalise_url(u) in existing.urls}
    taken = dict(existing.ids)
    entries: dict[str, str] = {}
    for url in links:
        if url in known:
            continue
        new_id = source_id(url, taken)
        taken[new_id] = display_path(target)
        lines = [f"- id: {new_id}", f'  title: "{TITLE_PLACEHOLDER}"', f"  url: {yaml_scalar(url)}"]
        if host_of(url) in existing.publishers:
            lines.append(f"  publisher: {yaml_scalar(existing.publishers[host_of(url)])}")
        lines.append(f"  accessed: {dt.date.today().isoformat()}")
        lines.append(f"  # archive_url: https://web.archive.org/web/{url}")
        lines.append(f"  # kind: news              # {choices(m.SourceKind)}")
        entries[new_id] = "\n".join(lines) + "\n"
    written = append_entries(project, target, entries, LIST_HEADERS["imported"]) if entries else None
    return Imported(written, links, known, untitled=list(entries))


def _check_utf8(raw: bytes, file: Path, form: str) -> None:
    """Refuse an export that is not UTF-8 rather than import its titles garbled."""
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        raise BriefError([Problem(display_path(file), Mark(raw.count(b"\n", 0, exc.start) + 1, column), (),
                                  f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} here is not UTF-8 (was "
                                  f"it saved as Latin-1 or Windows-1252?); export it as UTF-8 (read as {form})")]
                         ) from None


def _import_references(project: Project, file: Path, text: str, form: str, target: Path,
                       existing: Existing) -> Imported:
    """Each reference with an address the content does not hold yet, as a source entry; the
    others, and values the format of a source cannot hold, as warnings."""
    where = display_path(file)
    try:
        refs, unreadable = references.read_csl(text) if form == references.CSL_JSON else bibtex.read_bibtex(text)
    except references.ExportError as exc:
        mark = Mark(exc.line, exc.column or 1) if exc.line else None
        raise BriefError([Problem(where, mark, (), f"{exc} (read as {form})")]) from None
    skipped = [_skip(where, u.line, u.column, f"{u.label} {u.message}", "references skipped as unreadable")
               for u in unreadable]
    links: list[str] = []
    known: dict[str, str] = {}
    taken = dict(existing.ids)
    seen: dict[str, str] = {}
    entries: dict[str, str] = {}
    untitled: list[str] = []
    for ref in refs:
        named = _named(ref)
        url = without_tracking(ref.url) if ref.url else None
        if url is None:
            skipped.append(_skip(where, ref.line, ref.column, f"{named} has no URL (nor DOI), which a source needs; "
                                 "skipped", "references skipped without a URL"))
            continue
        try:
            _SOURCE_URL.validate_python(url)
        except pydantic.ValidationError:
            skipped.append(_skip(where, ref.line, ref.column, f"{named}: '{url}' is not an http(s) address; skipped",
                                 "references skipped without a web address"))
            continue
        links.append(url)
        key = normalise_url(url)
        if key in existing.urls:
            known[url] = existing.urls[key]
            continue
        if key in seen:
            skipped.append(_skip(where, ref.line, ref.column, f"{named} has the URL of {seen[key]} above; skipped",
                                 "references skipped as given twice"))
            continue
        seen[key] = ref.label
        new_id = source_id(url, taken)
        taken[new_id] = display_path(target)
        entries[new_id], left_out = _reference_entry(ref, new_id, url, existing)
        skipped += [_skip(where, ref.line, ref.column, f"{ref.label}: {note}", "references with values left out")
                    for note in left_out]
        if not ref.title:
            untitled.append(new_id)
    written = append_entries(project, target, entries, LIST_HEADERS["references"]) if entries else None
    skipped.sort(key=lambda s: s.problem.mark.line if s.problem.mark else 0)  # in the order of the file
    not_added = sum(1 for s in skipped if s.reason.startswith("references skipped"))
    return Imported(written, links, known, form, len(refs) + len(unreadable), skipped, not_added, untitled)


def _skip(where: str, line: int | None, column: int | None, message: str, reason: str) -> Skipped:
    mark = Mark(line, column or 1) if line else None
    return Skipped(Problem(where, mark, (), message, Severity.WARNING), reason)


def _named(ref: references.Reference) -> str:
    """The reference as a message names it: its key or id, and its title."""
    if not ref.title:
        return ref.label
    title = ref.title if len(ref.title) <= 60 else ref.title[:59].rstrip() + "…"
    return f"{ref.label} (\"{title}\")"


_PARTIAL_NOTE = {4: "the reference gives the year alone", 7: "the reference gives no day"}


def _reference_entry(ref: references.Reference, new_id: str, url: str, existing: Existing) -> tuple[str, list[str]]:
    """The entry's YAML, written from the values the model accepted, and the values it refused."""
    values: dict[str, object] = {"id": new_id, "title": ref.title or TITLE_PLACEHOLDER, "url": url, **ref.values}
    if "publisher" not in values and host_of(url) in existing.publishers:
        values["publisher"] = existing.publishers[host_of(url)]
    left_out = list(ref.notes)
    while True:
        try:
            source = m.Source.model_validate(values)
            break
        except pydantic.ValidationError as exc:
            for error in exc.errors():
                key = str(error["loc"][0])
                if key in ("id", "title", "url") or key not in values:  # made valid above: never so
                    raise
                left_out.append(f"{key}: {str(error['msg']).removeprefix('Value error, ')}; left out")
                values.pop(key)
    lines = [f"- id: {new_id}"]
    for key in m.Source.model_fields:
        value = getattr(source, key)
        if key == "id":
            continue
        if key == "title" and value == TITLE_PLACEHOLDER:
            lines.append(f'  title: "{TITLE_PLACEHOLDER}"')
        elif key == "kind" and value == "other":
            lines.append(f"  # kind: news              # {choices(m.SourceKind)}")
        elif isinstance(value, dt.date):
            lines.append(f"  {key}: {value.isoformat()}")
        elif isinstance(value, str):
            lines.append(f"  {key}: {yaml_scalar(value)}")
        elif key in ref.partial:
            given = ref.partial[key]
            lines.append(f"  # {key}: {given}  # {_PARTIAL_NOTE[len(given)]}: {key} takes a whole date, YYYY-MM-DD")
        elif key == "archive_url":
            lines.append(f"  # archive_url: https://web.archive.org/web/{url}")
    return "\n".join(lines) + "\n", left_out


def title_warnings(written: Written, untitled: list[str] | None = None) -> list[Problem]:
    """One warning per imported entry whose title is a placeholder (of those in `untitled`,
    when given)."""
    return [Problem(display_path(written.file), Mark(line + 1, 10), (written.first + i, "title"),
                    f"source '{sid}' needs a title: replace the placeholder with the title as the source gives it",
                    Severity.WARNING)
            for i, (sid, line) in enumerate(zip(written.ids, written.lines, strict=True))
            if untitled is None or sid in untitled]
