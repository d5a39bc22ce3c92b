"""Sources from the links in a text (`sources import FILE`): one entry for every link the
content does not hold yet, its title left for the analyst to write."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pydantic

from ..core import model as m
from ..core.errors import BriefError, Mark, Problem, Severity, display_path
from ..core.project import Project
from ..core.sourcing import host_of
from ..core.text import slug
from ..read.rules import normalise_url, without_tracking
from .content import (
    LIST_HEADERS,
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
class Imported:
    written: Written | None
    """None when every link was already a source."""
    links: list[str]
    """The distinct links found."""
    known: dict[str, str]
    """link -> the id of the source that already has it."""


def import_sources(project: Project, text_file: Path, to: str | None = None) -> Imported:
    """Append a source entry for every link in a text that the content does not hold yet."""
    try:
        text = text_file.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise BriefError([Problem(display_path(text_file), None, (), f"cannot read file: {exc.strerror}")]) from None
    target = list_file(project.data, to, "imported.yaml")
    existing = existing_content(project.data)
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
    return Imported(written, links, known)


def title_warnings(written: Written) -> list[Problem]:
    """One warning per imported entry: its title is a placeholder."""
    return [Problem(display_path(written.file), Mark(line + 1, 10), (written.first + i, "title"),
                    f"source '{sid}' needs a title: replace the placeholder with the title as the source gives it",
                    Severity.WARNING)
            for i, (sid, line) in enumerate(zip(written.ids, written.lines, strict=True))]
