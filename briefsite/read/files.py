"""Reading the content folder: each file into records, with the problems that file has on
its own (YAML, shapes, ids, names). Rules across files are in `rules`."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from ..core import model as m
from ..core.catalogues import missing_catalogue
from ..core.errors import LoadError, Mark, Path_, Problem, Report, Severity, display_path
from ..core.text import slug
from .document import MAX_FILE_BYTES, DeferredDocument, Document, load_file, parse_text, read_text
from .items import Facts, FileResult, Item, Run
from .judgments import check_versions
from .messages import NOUNS, describe, did_you_mean, slug_hint
from .shapes import salvage, validate_record
from .warnings import keys_inside_text, placeholders, suspect

R = TypeVar("R", bound=m.Record)


def load_site(data_dir: Path, report: Report) -> m.SiteConfig:
    file = data_dir / "site.yaml"
    if not file.exists():
        return m.SiteConfig()
    doc = _load_doc(file, report)
    if doc is None:
        return m.SiteConfig()
    site = validate_record(doc, (), doc.data, m.SiteConfig, report)
    if site is not None:
        _check_language(doc, site.language, report)
    return site or m.SiteConfig()


def theme_languages() -> list[str]:
    """The languages the theme has translations for (its template fails on any other)."""
    try:
        import material
    except ImportError:
        return []
    folder = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return sorted(p.stem for p in folder.glob("*.html") if p.stem != "custom")


def _check_language(doc: Document, language: str, report: Report) -> None:
    known = theme_languages()
    if known and language not in known:
        report.add(doc.problem(("language",), f"'{language}' is not a language the site's theme knows"
                               f"{did_you_mean(language, known)} (allowed: {', '.join(known)})"))
    elif missing_catalogue(language):
        name = language.replace("-", "_")
        report.add(dataclasses.replace(
            doc.problem(("language",), f"the site's own words (Bottom line, Key judgments...) have no catalogue in "
                        f"'{language}' and stay in English; to "
                        f"add one, copy briefsite/locale/messages.pot to briefsite/locale/{name}.po and translate "
                        "it (docs/format.md, \"The site's language\")"),
            severity=Severity.WARNING, kind="language-without-catalogue"))


def _load_doc(file: Path, report: Report) -> Document | None:
    try:
        return load_file(file, file.parent)
    except LoadError as exc:
        report.extend(exc.problems)
        return None


def load_per_file(folder: Path, kind: str, cls: type[R], run: Run) -> list[Item]:
    """briefings/<id>.yaml and actors/<id>.yaml: one record per file, id from the stem."""
    items: list[Item] = []
    for file in sorted(folder.glob("*.yaml")):
        try:
            text = read_text(file, run.data)
        except LoadError as exc:
            run.report.extend(exc.problems)
            run.broken[kind].add(file.stem)
            continue
        result = _remembered(run, file, text, kind, lambda f, t: _read_record_file(f, t, kind, cls))
        items.extend(run.take(kind, result))
    return items


def _read_record_file(file: Path, text: str, kind: str, cls: type[R]) -> FileResult:
    out = FileResult()
    stem = file.stem
    doc, record, out.problems = read_record(file, text, kind, cls)
    if doc is None:
        out.broken.add(stem)
        return out
    if record is None:
        out.broken.update({stem, slug(stem, max_length=m.ID_MAX)})
        kept = salvage(doc.data, cls) if _name_problem(stem, kind) is None else None
        if kept is not None:
            out.salvaged.append(salvaged_item(Item(kind, stem, kept.model_copy(update={"id": stem}), doc),
                                              DeferredDocument(file, text)))
        return out
    out.items.append(with_facts(Item(kind, stem, record, doc), DeferredDocument(file, text)))
    return out


def read_record(file: Path, text: str, kind: str, cls: type[R]) -> tuple[Document | None, R | None, list[Problem]]:
    """The text of one file that holds one record (its id from the file's name), checked on its
    own: the document (None when the text is no YAML), the record (None when it does not
    fit, or its file name is no id) and the file's problems (all errors)."""
    try:
        doc = parse_text(file, text)
    except LoadError as exc:
        return None, None, exc.problems
    problems: list[Problem] = []
    report = Report(problems)
    stem = file.stem
    wrong_name = _name_problem(stem, kind)
    if wrong_name is not None:
        report.add(Problem(doc.name, None, (), wrong_name))
    record = validate_record(doc, (), doc.data, cls, report)
    if record is None or wrong_name is not None:
        return doc, None, problems
    if isinstance(record, m.Briefing):
        report.extend(check_versions(doc, record))
    written = record.id  # type: ignore[attr-defined]
    if written is not None and written != stem:
        report.add(doc.problem(("id",), f"the id '{written}' differs from the file name: it must be "
                               f"'{stem}' (or leave the id out); to rename the {kind}, rename the file"))
    return doc, record.model_copy(update={"id": stem}), problems


RESERVED_IDS = {"briefing": {"index": "the briefings' own folder page", "briefing-book": "the briefing book's PDF"},
                "actor": {"index": "the page that lists the actors"}}
"""Ids whose page or PDF would take the place of one the site writes itself."""


def _name_problem(stem: str, kind: str) -> str | None:
    """Why a file's name cannot be its record's id, or None."""
    taken = RESERVED_IDS.get(kind, {}).get(stem)
    if taken is not None:
        return f"the id '{stem}' is the name of {taken}, which the site writes itself; rename the file"
    if not valid_id(stem):
        return (f"the file name '{stem}' is not a valid {kind} id: use lowercase letters, digits and single "
                f"hyphens{slug_hint(stem)}")
    if stem in WINDOWS_DEVICE_NAMES:
        return (f"the file name '{stem}' is a device name on Windows, where the page {stem}.html could not be "
                "saved or opened; rename the file")
    return None


def load_lists(files: list[Path], kind: str, cls: type[R], run: Run) -> list[Item]:
    """sources/*.yaml and glossary.yaml: each a YAML list of records."""
    items: list[Item] = []
    for file in files:
        try:
            text = read_text(file, run.data)
        except LoadError as exc:
            run.report.extend(exc.problems)
            items.extend(run.take(kind, _recover_ids(file)))
            continue
        result = _remembered(run, file, text, kind, lambda f, t: _read_list_file(f, t, kind, cls))
        items.extend(run.take(kind, result))
    return items


def _read_list_file(file: Path, text: str, kind: str, cls: type[R]) -> FileResult:
    out = FileResult()
    noun = NOUNS[cls]
    try:
        doc = parse_text(file, text)
    except LoadError as exc:
        out.problems.extend(exc.problems)
        recovered = _recover_ids(file, text)
        out.broken, out.unknown = recovered.broken, recovered.unknown
        return out
    report = Report(out.problems)
    deferred = DeferredDocument(file, text)  # one for all the file's records
    if not isinstance(doc.data, list):
        report.add(doc.problem((), f"expected a list of {noun}s, each starting with '- id:', "
                               f"found {describe(doc, (), doc.data)}"))
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            out.broken.add(doc.data["id"])
        return out
    for i, entry in enumerate(doc.data):
        record = validate_record(doc, (i,), entry, cls, report)
        if record is not None:
            out.items.append(with_facts(Item(kind, record.id, record, doc, (i,)),  # type: ignore[attr-defined]
                                         deferred))
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            out.broken.update({entry["id"], slug(entry["id"], max_length=m.ID_MAX)})
            kept = salvage(entry, cls)
            if kept is not None:
                out.salvaged.append(salvaged_item(Item(kind, entry["id"], kept, doc, (i,)), deferred))
        else:  # an entry whose id we cannot tell: references to its kind are checked once it is fixed
            out.unknown = True
    return out


_ID_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?id[ \t]*:[ \t]*['\"]?([^\s'\"#]+)", re.MULTILINE)


def _recover_ids(file: Path, text: str | None = None) -> FileResult:
    """The ids in a list file that could not be read as YAML, so that references to them stay quiet."""
    out = FileResult()
    if text is None:
        try:
            if file.is_symlink() or not file.is_file() or file.stat().st_size > MAX_FILE_BYTES:  # no pipe, no link
                out.unknown = True
                return out
            text = file.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            out.unknown = True
            return out
    out.broken = set(_ID_LINE.findall(text))
    out.unknown = not out.broken
    return out


def with_facts(item: Item, deferred: DeferredDocument) -> Item:
    """The item with what the rules need of it, and its document deferred: the parsed file
    is let go, and parsed again only if a later problem needs a position in it."""
    record: m.Record = item.record
    facts = Facts(
        id_fields=tuple(record.id_references(item.path)),
        markdown_refs=tuple(record.references(item.path)),
        listed_sources=frozenset(record.listed_sources()),
        named_actors=frozenset(record.named_actors()) if isinstance(record, m.Briefing) else frozenset(),
        suspect=(*suspect(item), *keys_inside_text(item)),
        placeholders=tuple(placeholders(item)),
        confident=tuple(_confident(item)),
    )
    return dataclasses.replace(item, doc=deferred, facts=facts)


def _confident(item: Item) -> Iterator[tuple[Path_, Mark | None]]:
    if isinstance(item.record, m.Briefing):
        for i, kj in enumerate(item.record.key_judgments):
            if kj.confidence == "high":
                path = (*item.path, "key_judgments", i, "confidence")
                yield path, item.doc.mark_of(path)


def salvaged_item(item: Item, deferred: DeferredDocument) -> Item:
    """A failed record's item, for the rules across records only: no warnings of its own
    (a value left out is no judgment without sources)."""
    item = with_facts(item, deferred)
    return dataclasses.replace(item, facts=dataclasses.replace(item.known, suspect=(), placeholders=()))


def _remembered(run: Run, file: Path, text: str, kind: str, read: Callable[[Path, str], FileResult]) -> FileResult:
    """What the file yields: from the run's memory when its text is unchanged (given its text again)."""
    result, kept = run.memo.result(file, text, kind, read)
    return result.with_text(text) if kept else result


# Names Windows keeps for devices, with any extension: a page con.html cannot exist there.
WINDOWS_DEVICE_NAMES = frozenset(["con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))])


def valid_id(text: str) -> bool:
    return len(text) <= m.ID_MAX and re.match(m.ID_PATTERN, text) is not None


def check_stray_files(data_dir: Path, report: Report) -> None:
    """A .yml file, or a YAML file in the wrong place, would silently be ignored."""
    known = {"site.yaml", "glossary.yaml", "places.yaml"}
    for file in sorted(data_dir.rglob("*.y*ml")):
        rel = file.relative_to(data_dir)
        if file.suffix == ".yml":
            report.add(Problem(display_path(file), None, (), "files must end in .yaml, not .yml; rename it"))
        elif len(rel.parts) == 1 and rel.name not in known:
            report.add(Problem(display_path(file), None, (), "unexpected file: the content folder holds site.yaml, "
                               "glossary.yaml, places.yaml, briefings/, actors/ and sources/"))
        elif len(rel.parts) > 2 or (len(rel.parts) == 2 and rel.parts[0] not in ("briefings", "actors", "sources")):
            report.add(Problem(display_path(file), None, (), f"unexpected file: '{rel.parts[0]}/' is not a content "
                               "folder (use briefings/, actors/ or sources/)"))


