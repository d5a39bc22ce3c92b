"""Load a content folder and check it against the format: shapes first, then the
rules that span records. Every problem of a run is collected before anything stops.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pydantic

from . import model as m
from .errors import LoadError, Mark, Path_, Problem, Severity, display_path
from .load import Document, load_file
from .refs import find_refs

R = TypeVar("R", bound=m.Record)

_VOCABULARY_NOUNS = {
    "likelihood": "a likelihood term", "confidence": "a confidence level",
    "audience": "an audience", "type": "a relation type", "reliability": "a reliability grade (Admiralty)",
    "credibility": "a credibility grade (Admiralty)",
}


@dataclass
class Report:
    """All problems of a run, errors and warnings apart."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)


@dataclass
class _Item:
    """A record with the document it came from and its path inside that document."""

    kind: str
    id: str
    record: Any
    doc: Document
    path: Path_ = ()


def load_library(data_dir: Path, today: dt.date | None = None) -> tuple[m.Library | None, Report]:
    """Read and check everything under data_dir; the Library is None when there are errors."""
    report = Report()
    if not data_dir.is_dir():
        report.add(Problem(display_path(data_dir), None, (), "content folder not found (give one with --data DIR)"))
        return None, report
    site = _load_site(data_dir, report)
    briefings = _load_per_file(data_dir / "briefings", "briefing", m.Briefing, report)
    actors = _load_per_file(data_dir / "actors", "actor", m.Actor, report)
    sources = _load_lists(sorted((data_dir / "sources").glob("*.yaml")), "source", m.Source, report)
    glossary = data_dir / "glossary.yaml"
    terms = _load_lists([glossary] if glossary.exists() else [], "term", m.Term, report)
    _check_stray_files(data_dir, report)
    if not briefings and not report.errors:
        report.add(Problem(display_path(data_dir / "briefings"), None, (), "no briefings found: add briefings/<id>.yaml"))
    _check_rules(briefings, actors, sources, terms, report, today or dt.date.today())
    if report.errors:
        return None, report
    return _assemble(site, briefings, actors, sources, terms), report


def _load_site(data_dir: Path, report: Report) -> m.SiteConfig:
    file = data_dir / "site.yaml"
    if not file.exists():
        return m.SiteConfig()
    doc = _load_doc(file, report)
    if doc is None:
        return m.SiteConfig()
    site = _validate_record(doc, (), doc.data, m.SiteConfig, report)
    return site or m.SiteConfig()


def _load_doc(file: Path, report: Report) -> Document | None:
    try:
        return load_file(file)
    except LoadError as exc:
        report.extend(exc.problems)
        return None


def _load_per_file(folder: Path, kind: str, cls: type[R], report: Report) -> list[_Item]:
    """briefings/<id>.yaml and actors/<id>.yaml: one record per file, id from the stem."""
    items: list[_Item] = []
    for file in sorted(folder.glob("*.yaml")):
        doc = _load_doc(file, report)
        if doc is None:
            continue
        stem = file.stem
        if not _valid_id(stem):
            report.add(Problem(doc.name, None, (), f"the file name '{stem}' is not a valid {kind} id: "
                               "use lowercase letters, digits and single hyphens (at most 80 characters)"))
            continue
        record = _validate_record(doc, (), doc.data, cls, report)
        if record is None:
            continue
        if record.id is not None and record.id != stem:  # type: ignore[attr-defined]
            report.add(doc.problem(("id",), f"id '{record.id}' differs from the file name; "  # type: ignore[attr-defined]
                                   f"it must be '{stem}' (or leave the id out)"))
            continue
        items.append(_Item(kind, stem, record.model_copy(update={"id": stem}), doc))
    return items


def _load_lists(files: list[Path], kind: str, cls: type[R], report: Report) -> list[_Item]:
    """sources/*.yaml and glossary.yaml: each a YAML list of records."""
    items: list[_Item] = []
    for file in files:
        doc = _load_doc(file, report)
        if doc is None:
            continue
        if not isinstance(doc.data, list):
            report.add(doc.problem((), f"expected a list of {kind}s (lines starting with '- '), "
                                   f"found {_type_name(doc.data)}"))
            continue
        for i, entry in enumerate(doc.data):
            record = _validate_record(doc, (i,), entry, cls, report)
            if record is not None:
                items.append(_Item(kind, record.id, record, doc, (i,)))  # type: ignore[attr-defined]
    return items


def _valid_id(text: str) -> bool:
    return len(text) <= m.ID_MAX and re.match(m.ID_PATTERN, text) is not None


def _check_stray_files(data_dir: Path, report: Report) -> None:
    """A .yml file, or a YAML file in the wrong place, would silently be ignored."""
    known = {"site.yaml", "glossary.yaml"}
    for file in sorted(data_dir.rglob("*.y*ml")):
        rel = file.relative_to(data_dir)
        if file.suffix == ".yml":
            report.add(Problem(display_path(file), None, (), "files must end in .yaml, not .yml; rename it"))
        elif len(rel.parts) == 1 and rel.name not in known:
            report.add(Problem(display_path(file), None, (), "unexpected file: the content folder holds site.yaml, "
                               "glossary.yaml, briefings/, actors/ and sources/"))
        elif len(rel.parts) > 2 or (len(rel.parts) == 2 and rel.parts[0] not in ("briefings", "actors", "sources")):
            report.add(Problem(display_path(file), None, (), f"unexpected file: '{rel.parts[0]}/' is not a content "
                               "folder (use briefings/, actors/ or sources/)"))


# --- Shapes ------------------------------------------------------------------------

def _validate_record(doc: Document, base: Path_, data: Any, cls: type[R], report: Report) -> R | None:
    if not isinstance(data, dict):
        what = cls.__doc__.split(":")[0].strip("` .") if cls.__doc__ else cls.__name__
        report.add(doc.problem(base, f"expected a mapping of keys (for {what}), found {_type_name(data)}"))
        return None
    try:
        return cls.model_validate(data)
    except pydantic.ValidationError as exc:
        for error in exc.errors():
            report.add(_explain(doc, base, error, cls))
        return None


def _explain(doc: Document, base: Path_, error: Any, cls: type[m.Record]) -> Problem:
    """Turn one pydantic error into a message a person can act on."""
    loc: Path_ = tuple(p for p in error["loc"] if not (isinstance(p, str) and p[:1].isupper()))
    path = base + loc
    kind, value = error["type"], error.get("input")
    field_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(cls, loc[:-1])
        hint = _did_you_mean(str(loc[-1]), allowed)
        message = f"unknown key '{loc[-1]}'{hint} (allowed: {', '.join(allowed)})"
        return doc.problem(path, message, key=True)
    if kind == "missing":
        return doc.problem(path[:-1], f"required key '{loc[-1]}' is missing")
    if kind == "literal_error":
        allowed_values = re.findall(r"'([^']*)'|(\d+)", error["ctx"]["expected"])
        options = [a or b for a, b in allowed_values]
        noun = _vocabulary_noun(cls, loc)
        hint = _did_you_mean(str(value), options)
        return doc.problem(path, f"{_shown(value)} is not {noun}{hint} (allowed: {', '.join(options)})")
    if kind == "string_pattern_mismatch":
        if field_name in ("url", "archive_url"):
            return doc.problem(path, f"{_shown(value)} is not an http or https address")
        return doc.problem(path, f"{_shown(value)} is not a valid id: use lowercase letters, digits and "
                           "single hyphens, like 'moscow-times-2020'")
    if kind == "string_too_long":
        return doc.problem(path, f"id is {len(value)} characters long; the limit is {m.ID_MAX}")
    if kind == "value_error":
        return doc.problem(path, str(error["ctx"]["error"]))
    if kind in ("string_type", "list_type", "model_type", "dict_type", "model_attributes_type"):
        wanted = {"string_type": "text", "list_type": "a list", "model_type": "a mapping of keys",
                  "dict_type": "a mapping of keys", "model_attributes_type": "a mapping of keys"}[kind]
        quote = " (put quotes around it)" if kind == "string_type" and not isinstance(value, (list, dict)) else ""
        return doc.problem(path, f"expected {wanted}, found {_type_name(value)}{quote}")
    return doc.problem(path, error["msg"])


def _allowed_keys(cls: type[m.Record], loc: Path_) -> list[str]:
    """The keys of the record at loc inside cls (following nested records and lists)."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation
        current = _record_in(annotation)
        if current is None:
            return []
    return list(current.model_fields)


def _record_in(annotation: Any) -> type[m.Record] | None:
    """The record class inside an annotation such as list[Annotated[Indicator, ...]] | None."""
    if isinstance(annotation, type) and issubclass(annotation, m.Record):
        return annotation
    for arg in typing.get_args(annotation):
        found = _record_in(arg)
        if found:
            return found
    return None


def _vocabulary_noun(cls: type[m.Record], loc: Path_) -> str:
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    if name == "status":
        return "an indicator status" if "indicators" in loc else "a briefing status"
    if name == "kind":
        return "a source kind" if cls is m.Source else "an actor kind"
    return _VOCABULARY_NOUNS.get(name, f"an allowed value for {name}")


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if value is None:
        return "an empty value"
    return f"{_type_name(value)} {value!r}" if isinstance(value, (list, dict)) else f"'{value}'"


def _type_name(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"true/false ({value})".lower()
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, dt.date):
        return f"a date ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# --- Rules across records -------------------------------------------------------------

def _check_rules(briefings: list[_Item], actors: list[_Item], sources: list[_Item], terms: list[_Item],
                 report: Report, today: dt.date) -> None:
    all_items = briefings + actors + sources + terms
    _check_unique_ids(all_items, report)
    _check_unique_urls(sources, report)
    ids = {kind: {i.id: i for i in items} for kind, items in
           (("briefing", briefings), ("actor", actors), ("source", sources), ("term", terms))}
    for item in all_items:
        _check_references(item, ids, report)
        _check_markdown_refs(item, ids, report)
    for item in sources:
        _check_source_dates(item, report, today)


def _check_unique_ids(items: list[_Item], report: Report) -> None:
    seen: dict[str, _Item] = {}
    for item in items:
        first = seen.setdefault(item.id, item)
        if first is item:
            continue
        path = item.path + ("id",) if item.path else ()
        if first.kind == item.kind:
            message = f"duplicate {item.kind} id '{item.id}' (also at {_where(first)})"
        else:
            message = (f"id '{item.id}' is already used by the {first.kind} at {_where(first)}; "
                       "briefings, actors and glossary terms share one set of ids")
        report.add(item.doc.problem(path, message))


def _where(item: _Item) -> str:
    mark = item.doc.mark_of(item.path + ("id",)) if item.path else None
    return f"{item.doc.name}:{mark.line}" if mark else item.doc.name


def normalise_url(url: str) -> str:
    """Scheme and host case, and a trailing slash, do not make a different source."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.lower()}{path}{query}"


def _check_unique_urls(sources: list[_Item], report: Report) -> None:
    seen: dict[str, _Item] = {}
    for item in sources:
        key = normalise_url(item.record.url)
        first = seen.setdefault(key, item)
        if first is not item:
            report.add(item.doc.problem(item.path + ("url",), f"source '{item.id}' has the same URL as source "
                                        f"'{first.id}' ({_where(first)}); keep one of them"))


_REFERENCE_FIELDS = {
    # (record class, attribute) -> the kind of id it must name
    "sources": "source", "actor": "actor", "actors": "actor", "related": "briefing", "country": "actor",
}


def _check_references(item: _Item, ids: dict[str, dict[str, _Item]], report: Report) -> None:
    for path, value, field_name in _id_fields(item.record, item.path):
        kind = _REFERENCE_FIELDS[field_name]
        if value not in ids[kind]:
            hint = _did_you_mean(value, ids[kind])
            report.add(item.doc.problem(path, f"no {kind} has the id '{value}'{hint}"))
            continue
        if field_name == "country" and ids["actor"][value].record.kind != "state":
            report.add(item.doc.problem(path, f"country '{value}' is a {ids['actor'][value].record.kind}, "
                                        "not a state; country must name an actor of kind state"))
        if field_name == "related" and value == item.id:
            report.add(item.doc.problem(path, "a briefing cannot be related to itself"))
        if field_name == "actor" and item.kind == "actor" and value == item.id:
            report.add(item.doc.problem(path, "an actor cannot have a relation to itself"))


def _id_fields(record: m.Record, base: Path_) -> Iterable[tuple[Path_, str, str]]:
    """Every (path, id, field name) of the reference fields in a record, nested ones too."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        if name in _REFERENCE_FIELDS and not (name == "actor" and isinstance(record, m.Briefing)):
            if isinstance(value, str):
                yield base + (name,), value, name
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, str):
                        yield base + (name, i), v, name
                    elif isinstance(v, m.Record):  # briefing actors: records that hold an actor id
                        yield from _id_fields(v, base + (name, i))
        elif isinstance(value, m.Record):
            yield from _id_fields(value, base + (name,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, m.Record):
                    yield from _id_fields(v, base + (name, i))


def _check_markdown_refs(item: _Item, ids: dict[str, dict[str, _Item]], report: Report) -> None:
    linkable = {**ids["briefing"], **ids["actor"], **ids["term"]}
    for path, text in item.record.markdown_texts(item.path):
        for ref in find_refs(text):
            pool = ids["source"] if ref.kind == "cite" else linkable
            if ref.target in pool:
                continue
            what = "source" if ref.kind == "cite" else "briefing, actor or glossary term"
            hint = _did_you_mean(ref.target, pool)
            mark = _locate(item.doc, path, ref.raw)
            report.add(Problem(item.doc.name, mark, path, f"{ref.raw} names no {what} with the id '{ref.target}'{hint}"))


def _locate(doc: Document, path: Path_, needle: str) -> Mark | None:
    """The exact position of a reference inside a (possibly multi-line) text value."""
    start = doc.mark_of(path)
    if start is None:
        return None
    try:
        lines = doc.file.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return start
    for n in range(start.line - 1, len(lines)):
        col = lines[n].find(needle, start.column - 1 if n == start.line - 1 else 0)
        if col >= 0:
            return Mark(n + 1, col + 1)
    return start


def _check_source_dates(item: _Item, report: Report, today: dt.date) -> None:
    source: m.Source = item.record
    for name in ("published", "accessed"):
        value = getattr(source, name)
        if value is not None and value > today:
            report.add(item.doc.problem(item.path + (name,), f"{value} is in the future (today is {today})"))
    if source.published and source.accessed and source.accessed < source.published:
        report.add(item.doc.problem(item.path + ("accessed",), f"accessed {source.accessed} is before "
                                    f"published {source.published}"))


# --- The whole -------------------------------------------------------------------------

def _assemble(site: m.SiteConfig, briefings: list[_Item], actors: list[_Item], sources: list[_Item],
              terms: list[_Item]) -> m.Library:
    newest_first = sorted(briefings, key=lambda i: (-i.record.date.toordinal(), i.record.title.lower()))
    by_name = sorted(actors, key=lambda i: i.record.name.lower())
    by_term = sorted(terms, key=lambda i: i.record.term.lower())
    origins = {(i.kind, i.id): i.doc.name for i in briefings + actors + sources + terms}
    return m.Library(
        site=site,
        briefings={i.id: i.record for i in newest_first},
        actors={i.id: i.record for i in by_name},
        sources={i.id: i.record for i in sources},
        terms={i.id: i.record for i in by_term},
        origins=origins,
    )
