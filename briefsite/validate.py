"""Load a content folder and check it against the format: shapes first, then the
rules that span records. Every problem of a run is collected before anything stops.

Errors stop a build; warnings (legal but suspect: a source cited nowhere, a draft)
are shown and fail only under `--strict`. A record that could not be read still
counts as existing, so one broken file gives one error, not a trail of
"no actor has the id ..." in every file that names it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import os
import re
import typing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pydantic

from . import model as m
from .errors import LoadError, Mark, Path_, Problem, Severity, display_path
from .load import MAX_FILE_BYTES, DeferredDocument, Document, load_file, parse_text, read_text
from .refs import CITATION, WIKILINK

R = TypeVar("R", bound=m.Record)

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # as YAML counts lines

# What a user calls each record, for messages.
_NOUNS: dict[type[m.Record], str] = {
    m.SiteConfig: "site settings", m.Briefing: "briefing", m.KeyJudgment: "key judgment",
    m.BriefingActor: "entry of actors", m.TimelineEvent: "timeline event", m.Scenario: "scenario",
    m.Indicator: "indicator", m.Section: "section", m.Update: "update", m.Actor: "actor",
    m.Relation: "relation", m.Source: "source", m.Term: "glossary term",
}

_VOCABULARY_NOUNS = {
    "likelihood": "a likelihood term", "confidence": "a confidence level",
    "audience": "an audience", "type": "a relation type", "reliability": "a reliability grade (Admiralty)",
    "credibility": "a credibility grade (Admiralty)",
}

# Words people write for a vocabulary term: ICD 203's paired terms and common near misses.
_SYNONYMS = {
    "remote": "almost-no-chance", "no-chance": "almost-no-chance", "highly-improbable": "very-unlikely",
    "highly-unlikely": "very-unlikely", "improbable": "unlikely", "roughly-even-odds": "roughly-even-chance",
    "even-chance": "roughly-even-chance", "even-odds": "roughly-even-chance", "probable": "likely",
    "probably": "likely", "highly-probable": "very-likely", "highly-likely": "very-likely",
    "nearly-certain": "almost-certain", "almost-certainly": "almost-certain", "certain": "almost-certain",
    "medium": "moderate", "mid": "moderate", "country": "state", "nation": "state", "government": "state",
    "organisation": "organization", "militia": "armed-group", "individual": "person", "published": "final",
    "done": "final", "private": "internal", "seen": "observed", "unobserved": "not-observed",
    "enemy": "adversary", "opponent": "adversary", "competitor": "rival", "supports": "backs",
    "member": "member-of", "leader": "leads",
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
    doc: Document | DeferredDocument
    path: Path_ = ()
    facts: _Facts | None = None
    """What the rules across records need of it, found when its file was read."""


@dataclass(frozen=True)
class _Facts:
    """What the rules across records need of one record: found once, when its file is read,
    so that a later run with the file unchanged only looks them up."""

    id_fields: tuple[tuple[Path_, str, str], ...]
    """(path, id, field name) of every reference field (see _id_fields)."""
    markdown_refs: tuple[tuple[Path_, _MarkdownRef], ...]
    """Every [@citation] and [[link]] in its Markdown, with the path of its text."""
    listed_sources: frozenset[str]
    """Ids under a `sources:` key, nested ones too."""
    suspect: tuple[Problem, ...]
    """Its warnings about itself (draft, judgment without sources, source hard to re-find)."""
    placeholders: tuple[Problem, ...]
    """Its warnings for TODO placeholders."""

    @property
    def cited(self) -> set[str]:
        """Sources it cites in its text or lists."""
        return {ref.target for _, ref in self.markdown_refs if ref.kind == "cite"} | self.listed_sources

    @property
    def linked(self) -> set[str]:
        return {ref.target for _, ref in self.markdown_refs if ref.kind == "link"}


@dataclass
class _FileResult:
    """What one file yields on its own: its records, its problems, and the ids in it that failed.
    The same text at the same place always yields the same result (see FileMemo)."""

    problems: list[Problem] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)
    unknown: bool = False
    """An entry whose id cannot be told: references to its kind are not checked."""


class FileMemo:
    """Results of the files read before, by place and text, so that a run reads again
    only the files that changed (the live preview keeps one; a build keeps one on disk).

    The key is the file's path, the working folder (messages name files relative to it)
    and a digest of the file's text: an unchanged file gives the same records and problems.
    """

    def __init__(self, entries: dict[Any, _FileResult] | None = None):
        self.entries: dict[Any, _FileResult] = entries or {}
        self.used: dict[Any, _FileResult] = {}
        self.hits = 0
        self.changed_last = True
        """Whether the last run read anything anew (then the memo is worth saving)."""

    def result(self, file: Path, text: str, kind: str,
               read: Callable[[Path, str], _FileResult]) -> _FileResult:
        """What `read(file, text)` gives, from memory when the same text was read here before."""
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        key = (kind, str(file), os.getcwd(), digest)
        found = self.used.get(key) or self.entries.get(key)
        if found is None:
            found = read(file, text)
        else:
            self.hits += 1
            for item in found.items[:1]:  # kept without its text (see DeferredDocument): the same text
                if isinstance(item.doc, DeferredDocument):  # (the file's records share one)
                    item.doc.text = text
        self.used[key] = found
        return found

    @property
    def changed(self) -> bool:
        """This run read a file anew, or no longer reads one it had."""
        return self.hits != len(self.used) or len(self.used) != len(self.entries)

    def finish_run(self) -> None:
        """Keep only what this run read: files removed or changed since are dropped."""
        self.changed_last = self.changed
        self.entries, self.used, self.hits = self.used, {}, 0


_KINDS = ("briefing", "actor", "source", "term")


@dataclass
class _Run:
    """One run's report, and the ids of records that exist but could not be read."""

    report: Report
    broken: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in _KINDS})
    """kind -> ids of records that failed to load or to validate (references to them are not errors)."""
    unknown: set[str] = field(default_factory=set)
    """Kinds with a file so broken that its ids are unknown: references to that kind are not checked."""
    lines: dict[Path, list[str]] = field(default_factory=dict)
    """The lines of files, read once, to place references inside text values."""
    memo: FileMemo = field(default_factory=FileMemo)

    def take(self, kind: str, result: _FileResult) -> list[_Item]:
        """Add what one file yielded to this run."""
        self.report.extend(result.problems)
        self.broken[kind].update(result.broken)
        if result.unknown:
            self.unknown.add(kind)
        return result.items

    @property
    def complete(self) -> bool:
        """Every record was read: only then can we tell that something is used nowhere."""
        return not self.unknown and not any(self.broken.values())

    def exists(self, kind: str, value: str) -> bool:
        return kind in self.unknown or value in self.broken[kind]


def load_library(data_dir: Path, today: dt.date | None = None,
                 memo: FileMemo | None = None) -> tuple[m.Library | None, Report]:
    """Read and check everything under data_dir; the Library is None when there are errors.

    With a `memo` of an earlier run, files whose text is unchanged are not checked again.
    """
    report = Report()
    if not data_dir.is_dir():
        report.add(Problem(display_path(data_dir), None, (), "content folder not found (give one with --data DIR)"))
        return None, report
    run = _Run(report, memo=memo or FileMemo())
    site = _load_site(data_dir, report)
    briefings = _load_per_file(data_dir / "briefings", "briefing", m.Briefing, run)
    actors = _load_per_file(data_dir / "actors", "actor", m.Actor, run)
    sources = _load_lists(sorted((data_dir / "sources").glob("*.yaml")), "source", m.Source, run)
    glossary = data_dir / "glossary.yaml"
    terms = _load_lists([glossary] if glossary.exists() else [], "term", m.Term, run)
    _check_stray_files(data_dir, report)
    if not briefings and not report.errors:
        report.add(Problem(display_path(data_dir / "briefings"), None, (),
                           "no briefings found: add briefings/<id>.yaml"))
    _check_rules(briefings, actors, sources, terms, run, today or dt.date.today())
    run.memo.finish_run()
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
                               f"{_did_you_mean(language, known)} (allowed: {', '.join(known)})"))


def _load_doc(file: Path, report: Report) -> Document | None:
    try:
        return load_file(file)
    except LoadError as exc:
        report.extend(exc.problems)
        return None


def _load_per_file(folder: Path, kind: str, cls: type[R], run: _Run) -> list[_Item]:
    """briefings/<id>.yaml and actors/<id>.yaml: one record per file, id from the stem."""
    items: list[_Item] = []
    for file in sorted(folder.glob("*.yaml")):
        try:
            text = read_text(file)
        except LoadError as exc:
            run.report.extend(exc.problems)
            run.broken[kind].add(file.stem)
            continue
        result = run.memo.result(file, text, kind, lambda f, t: _read_record_file(f, t, kind, cls))
        items.extend(run.take(kind, result))
    return items


def _read_record_file(file: Path, text: str, kind: str, cls: type[R]) -> _FileResult:
    out = _FileResult()
    stem = file.stem
    try:
        doc = parse_text(file, text)
    except LoadError as exc:
        out.problems.extend(exc.problems)
        out.broken.add(stem)
        return out
    report = Report(out.problems)
    stem_ok = _valid_id(stem)
    if not stem_ok:
        report.add(Problem(doc.name, None, (), f"the file name '{stem}' is not a valid {kind} id: use "
                           f"lowercase letters, digits and single hyphens{_slug_hint(stem)}"))
    elif stem in WINDOWS_DEVICE_NAMES:
        stem_ok = False
        report.add(Problem(doc.name, None, (), f"the file name '{stem}' is a device name on Windows, where "
                           f"the page {stem}.html could not be saved or opened; rename the file"))
    record = _validate_record(doc, (), doc.data, cls, report)
    if record is None or not stem_ok:
        out.broken.update({stem, _slug(stem)})
        return out
    written = record.id  # type: ignore[attr-defined]
    if written is not None and written != stem:
        report.add(doc.problem(("id",), f"the id '{written}' differs from the file name: it must be "
                               f"'{stem}' (or leave the id out); to rename the {kind}, rename the file"))
    out.items.append(_with_facts(_Item(kind, stem, record.model_copy(update={"id": stem}), doc),
                                 DeferredDocument(file, text)))
    return out


def _load_lists(files: list[Path], kind: str, cls: type[R], run: _Run) -> list[_Item]:
    """sources/*.yaml and glossary.yaml: each a YAML list of records."""
    items: list[_Item] = []
    for file in files:
        try:
            text = read_text(file)
        except LoadError as exc:
            run.report.extend(exc.problems)
            items.extend(run.take(kind, _recover_ids(file)))
            continue
        result = run.memo.result(file, text, kind, lambda f, t: _read_list_file(f, t, kind, cls))
        items.extend(run.take(kind, result))
    return items


def _read_list_file(file: Path, text: str, kind: str, cls: type[R]) -> _FileResult:
    out = _FileResult()
    noun = _NOUNS[cls]
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
                               f"found {_describe(doc, (), doc.data)}"))
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            out.broken.add(doc.data["id"])
        return out
    for i, entry in enumerate(doc.data):
        record = _validate_record(doc, (i,), entry, cls, report)
        if record is not None:
            out.items.append(_with_facts(_Item(kind, record.id, record, doc, (i,)),  # type: ignore[attr-defined]
                                         deferred))
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            out.broken.update({entry["id"], _slug(entry["id"])})
        else:  # an entry whose id we cannot tell: references to its kind are checked once it is fixed
            out.unknown = True
    return out


_ID_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?id[ \t]*:[ \t]*['\"]?([^\s'\"#]+)", re.MULTILINE)


def _recover_ids(file: Path, text: str | None = None) -> _FileResult:
    """The ids in a list file that could not be read as YAML, so that references to them stay quiet."""
    out = _FileResult()
    if text is None:
        try:
            if not file.is_file() or file.stat().st_size > MAX_FILE_BYTES:  # never wait on a pipe
                out.unknown = True
                return out
            text = file.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            out.unknown = True
            return out
    out.broken = set(_ID_LINE.findall(text))
    out.unknown = not out.broken
    return out


def _with_facts(item: _Item, deferred: DeferredDocument) -> _Item:
    """The item with what the rules need of it, and its document deferred (see FileMemo):
    the parsed file is let go, and parsed again only if a later problem needs a position in it."""
    facts = _Facts(
        id_fields=tuple(_id_fields(item.record, item.path)),
        markdown_refs=tuple((path, ref) for path, value in item.record.markdown_texts(item.path)
                            for ref in _markdown_refs(value)),
        listed_sources=frozenset(_sources_listed(item.record)),
        suspect=tuple(_suspect(item)),
        placeholders=tuple(_placeholders(item)),
    )
    return dataclasses.replace(item, doc=deferred, facts=facts)


# Names Windows keeps for devices, with any extension: a page con.html cannot exist there.
WINDOWS_DEVICE_NAMES = frozenset(["con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))])


def _valid_id(text: str) -> bool:
    return len(text) <= m.ID_MAX and re.match(m.ID_PATTERN, text) is not None


def _slug(text: str) -> str:
    """The id that text was probably meant to be: 'Src_Two' -> 'src-two'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[: m.ID_MAX].strip("-")


def _slug_hint(text: str) -> str:
    slug = _slug(text)
    return f", such as '{slug}'" if slug and slug != text else ""


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
        report.add(doc.problem(base, f"expected {_mapping_of(cls)}, found {_describe(doc, base, data)}"))
        return None
    try:
        return cls.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = [_in_data(error, data) for error in exc.errors()]
        # A misspelt required key gives one message (the unknown key, with its hint), not two.
        meant = {(e["loc"][:-1], _closest(str(e["loc"][-1]), _allowed_keys(cls, e["loc"][:-1])))
                 for e in errors if e["type"] == "extra_forbidden"}
        for error in errors:
            if not (error["type"] == "missing" and (error["loc"][:-1], error["loc"][-1]) in meant):
                report.add(_explain(doc, base, error, cls))
        return None


def _in_data(error: Any, data: Any) -> Any:
    """The error with its location cut to the keys and indexes that are in the data (pydantic may
    add names of its own, such as the branch of a union, which are no key the user wrote)."""
    loc: list[str | int] = []
    current = data
    for i, part in enumerate(error["loc"]):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif error["type"] in ("extra_forbidden", "missing") and i == len(error["loc"]) - 1:
            pass  # the key itself: unknown keys are in the data, missing ones are not
        else:
            continue
        loc.append(part)
    return {**error, "loc": tuple(loc)}


def _mapping_of(cls: type[m.Record]) -> str:
    """'a mapping of keys for a key judgment (text: ...)', naming its first required key."""
    required = next((name for name, f in cls.model_fields.items() if f.is_required()), None)
    example = f" ({required}: ...)" if required else ""
    noun = _NOUNS[cls]
    article = "the" if cls is m.SiteConfig else "an" if noun[0] in "aeiou" else "a"
    return f"a mapping of keys for {article} {noun}{example}"


def _explain(doc: Document, base: Path_, error: Any, cls: type[m.Record]) -> Problem:
    """Turn one pydantic error into a message a person can act on."""
    loc: Path_ = error["loc"]
    path = base + loc
    kind, value = error["type"], error.get("input")
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(cls, loc[:-1])
        hint = _did_you_mean(str(loc[-1]), allowed)
        message = f"unknown key '{loc[-1]}'{hint} (allowed: {', '.join(allowed)})"
        return doc.problem(path, message, key=True)
    if kind == "missing":
        owner = _record_at(cls, loc[:-1])
        noun = _NOUNS.get(owner, "entry") if owner else "entry"
        return doc.problem(path[:-1], f"required key '{loc[-1]}' is missing from this {noun}")
    if value is None and kind != "value_error":
        return doc.problem(path, _empty_value(cls, loc))
    if kind == "literal_error":
        options = [a or b for a, b in re.findall(r"'([^']*)'|(\d+)", error["ctx"]["expected"])]
        noun = _vocabulary_noun(cls, loc)
        if isinstance(value, str) and value in options:  # credibility: '3'
            return doc.problem(path, f"'{value}' is in quotes, so it is text; write the grade without quotes: "
                               f"{name}: {value}")
        hint = _did_you_mean(str(value), options)
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            return doc.problem(path, f"{_shown(value)} is not {noun}{hint} (allowed: {', '.join(options)})")
        return doc.problem(path, f"expected {noun}, found {_describe(doc, path, value)} "
                           f"(allowed: {', '.join(options)})")
    if kind == "string_pattern_mismatch":
        if name in ("url", "archive_url"):
            return doc.problem(path, _bad_url(str(value)))
        return doc.problem(path, f"{_shown(value)} is not a valid id: use lowercase letters, digits and "
                           f"single hyphens{_slug_hint(str(value)) or ', like moscow-times-2020'}")
    if kind == "string_too_long":
        return doc.problem(path, f"this id is {len(value)} characters long; an id may have at most {m.ID_MAX}")
    if kind == "value_error":
        return doc.problem(path, str(error["ctx"]["error"]))
    if kind == "string_type":
        advice = "; put quotes around it"
        if isinstance(value, list):
            advice = " (brackets make a list: put the whole value in quotes if they belong to the text)"
        elif isinstance(value, dict):
            advice = " (a ':' followed by a space makes a mapping: put the whole value in quotes)"
        return doc.problem(path, f"expected text, found {_describe(doc, path, value)}{advice}")
    if kind == "list_type":
        found = _describe(doc, path, value)
        hint = f"; write [{value}], or one '- ' line per item" if isinstance(value, str) else ""
        return doc.problem(path, f"expected a list, found {found}{hint}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        owner = _record_at(cls, loc)
        wanted = _mapping_of(owner) if owner else "a mapping of keys"
        return doc.problem(path, f"expected {wanted}, found {_describe(doc, path, value)}")
    return doc.problem(path, error["msg"])


def _empty_value(cls: type[m.Record], loc: Path_) -> str:
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    owner = _record_at(cls, loc[:-1]) if name else None
    if not name or owner is None:
        return "this value is empty; write one, or delete the line"
    if owner.model_fields[name].is_required():
        return f"no value is given; write it after '{name}:'"
    return f"no value is given; write one after '{name}:', or delete the line"


def _bad_url(value: str) -> str:
    scheme = urlsplit(value).scheme if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) else ""
    if scheme and scheme.lower() not in ("http", "https"):
        return f"'{value}' is not a web address (it starts with {scheme}:); only http:// and https:// are allowed"
    if not scheme:
        return f"'{value}' is not a full address; write it with http:// or https://"
    return f"'{value}' is not a valid http or https address"


def _allowed_keys(cls: type[m.Record], loc: Path_) -> list[str]:
    """The keys of the record at loc inside cls (following nested records and lists)."""
    record = _record_at(cls, loc)
    return list(record.model_fields) if record else []


def _record_at(cls: type[m.Record], loc: Path_) -> type[m.Record] | None:
    """The record class at loc inside cls: Briefing, ('key_judgments', 0) -> KeyJudgment."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        if part not in current.model_fields:
            return None
        current = _record_in(current.model_fields[part].annotation)
        if current is None:
            return None
    return typing.cast("type[m.Record]", current)


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
    """A hint naming the closest allowed word, by spelling, case, separators or synonym."""
    close = _closest(word, options)
    return f" (did you mean '{close}'?)" if close else ""


def _closest(word: str, options: Iterable[str]) -> str | None:
    by_folded = {_fold(o): o for o in options}
    folded = _fold(word)
    for candidate in (folded, _SYNONYMS.get(folded, "")):
        if candidate in by_folded and by_folded[candidate] != word:
            return by_folded[candidate]
    close = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.6)
    if close and by_folded[close[0]] != word:
        return by_folded[close[0]]
    return None


def _fold(word: str) -> str:
    """Case, spaces, underscores and hyphens do not tell words apart for a hint."""
    return re.sub(r"[\s_-]+", "-", word.strip().lower())


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if value is None:
        return "an empty value"
    return f"{_type_name(value)} {value!r}" if isinstance(value, (list, dict)) else str(value)


def _describe(doc: Document, path: Path_, value: Any) -> str:
    """What the user wrote, as they wrote it: "'yes', which YAML reads as true/false"."""
    raw = doc.raw_scalars.get(path)
    if raw is not None and isinstance(value, bool):
        return f"'{raw}', which YAML reads as true/false"
    if raw is not None and isinstance(value, (int, float)):
        return f"the number {raw}"
    if raw is not None and isinstance(value, dt.date):
        return f"the date {raw}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text ('{shown}')" if "\n" not in shown else "text"
    return _type_name(value)


def _type_name(value: Any) -> str:
    if value is None:
        return "no value"
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
                 run: _Run, today: dt.date) -> None:
    report = run.report
    _check_unique_ids(briefings + actors + terms, report, shared=True)
    _check_unique_ids(sources, report, shared=False)
    _check_unique_urls(sources, report)
    ids = {kind: {i.id: i for i in items} for kind, items in
           (("briefing", briefings), ("actor", actors), ("source", sources), ("term", terms))}
    all_items = briefings + actors + sources + terms
    linkable = {**ids["briefing"], **ids["actor"], **ids["term"]}
    for item in all_items:
        _check_references(item, ids, run)
        _check_markdown_refs(item, ids, linkable, run)
    for item in sources:
        _check_source_dates(item, report, today)
    for item in briefings + sources:
        report.extend(_facts(item).suspect)
    for item in all_items:
        report.extend(_facts(item).placeholders)
    if run.complete:
        _warn_unused(briefings, actors, sources, terms, report)


def _check_unique_ids(items: list[_Item], report: Report, shared: bool) -> None:
    seen: dict[str, _Item] = {}
    for item in items:
        first = seen.setdefault(item.id, item)
        if first is item:
            continue
        path = item.path + ("id",) if item.path else ()
        if first.kind == item.kind:
            message = (f"duplicate {item.kind} id '{item.id}' (also at {_where(first)}); "
                       f"give each {item.kind} its own id")
        else:
            message = (f"the id '{item.id}' is already used by the {first.kind} at {_where(first)}; briefings, "
                       f"actors and glossary terms share one set of ids, so [[{item.id}]] would be ambiguous")
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
    # attribute -> the kind of id it must name
    "sources": "source", "actor": "actor", "actors": "actor", "related": "briefing", "country": "actor",
}


def _facts(item: _Item) -> _Facts:
    assert item.facts is not None, "every item is made by _with_facts"
    return item.facts


def _check_references(item: _Item, ids: dict[str, dict[str, _Item]], run: _Run) -> None:
    report = run.report
    for path, value, field_name in _facts(item).id_fields:
        kind = _REFERENCE_FIELDS[field_name]
        if value not in ids[kind]:
            if not run.exists(kind, value):
                hint = _did_you_mean(value, ids[kind])
                report.add(item.doc.problem(path, f"no {kind} has the id '{value}'{hint}"))
            continue
        if field_name == "country" and ids["actor"][value].record.kind != "state":
            report.add(item.doc.problem(path, f"'{value}' is an actor of kind {ids['actor'][value].record.kind}, "
                                        "not a state; country must name an actor of kind state"))
        if field_name == "related" and value == item.id:
            report.add(item.doc.problem(path, "a briefing cannot be related to itself; name other briefings here"))
        if field_name == "actor" and item.kind == "actor" and value == item.id:
            report.add(item.doc.problem(path, "an actor cannot have a relation to itself; name another actor"))


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


@dataclass(frozen=True)
class _MarkdownRef:
    kind: str
    """'cite' or 'link'."""
    target: str
    raw: str
    """The whole reference as written: [@a; @b] or [[id|text]]."""
    occurrence: int
    """How many times the same raw text came before it in the same value."""
    offset: int
    """Where the id stands inside raw (for a citation of several sources)."""


def _markdown_refs(text: str) -> Iterator[_MarkdownRef]:
    """The references of a Markdown text, as refs.find_refs reads them, with where each stands."""
    seen: Counter[str] = Counter()
    for match in WIKILINK.finditer(text):
        raw = match.group(0)
        yield _MarkdownRef("link", match.group(1).strip(), raw, seen[raw], 0)
        seen[raw] += 1
    for match in CITATION.finditer(text):
        raw, group, start = match.group(0), match.group(1), 1
        for part in group.split(";"):
            target = part.strip().removeprefix("@").strip()
            if target or part.strip():
                yield _MarkdownRef("cite", target, raw, seen[raw], start + len(part) - len(part.lstrip()))
            start += len(part) + 1
        seen[raw] += 1


def _check_markdown_refs(item: _Item, ids: dict[str, dict[str, _Item]], linkable: dict[str, _Item],
                         run: _Run) -> None:
    for path, ref in _facts(item).markdown_refs:
        if ref.kind == "cite":
            if ref.target in ids["source"] or run.exists("source", ref.target):
                continue
            what, pool = "source", ids["source"]
        else:
            if ref.target in linkable or any(run.exists(k, ref.target) for k in ("briefing", "actor", "term")):
                continue
            what, pool = "briefing, actor or glossary term", linkable
        hint = _did_you_mean(ref.target, pool)
        mark = _locate(item.doc, path, ref, run)
        name = f"the id '{ref.target}'" if ref.target else "an empty id"
        run.report.add(Problem(item.doc.name, mark, path, f"{ref.raw} names no {what} with {name}{hint}"))


def _locate(doc: Document | DeferredDocument, path: Path_, ref: _MarkdownRef, run: _Run) -> Mark | None:
    """The exact position of a reference inside a (possibly multi-line) text value."""
    start, end = doc.mark_of(path), doc.value_ends.get(path)
    if start is None:
        return None
    if doc.file not in run.lines:
        try:
            text = doc.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = ""
        run.lines[doc.file] = _LINE_BREAK.split(text)
    lines = run.lines[doc.file]
    last = min(end.line if end else len(lines), len(lines))
    seen = 0
    for n in range(start.line - 1, last):
        line = lines[n]
        col = start.column - 1 if n == start.line - 1 else 0
        stop = end.column - 1 if end and n == end.line - 1 else len(line)
        while (col := line.find(ref.raw, col, stop)) >= 0:
            if seen == ref.occurrence:
                return Mark(n + 1, col + ref.offset + 1)
            seen += 1
            col += len(ref.raw)
    return start  # split over lines in the file: the value's start is the best we know


def _check_source_dates(item: _Item, report: Report, today: dt.date) -> None:
    source: m.Source = item.record
    future = False
    for name in ("published", "accessed"):
        value = getattr(source, name)
        if value is not None and value > today:
            future = True
            report.add(item.doc.problem(item.path + (name,), f"{value} is in the future (today is {today})"))
    if not future and source.published and source.accessed and source.accessed < source.published:
        report.add(item.doc.problem(item.path + ("accessed",), f"accessed {source.accessed} is before the source "
                                    f"was published ({source.published}); one of the dates is wrong"))


# --- Warnings: legal, but probably not what was meant -----------------------------------

def _warning(doc: Document | DeferredDocument, path: Path_, message: str) -> Problem:
    return dataclasses.replace(doc.problem(path, message), severity=Severity.WARNING)


def _suspect(item: _Item) -> Iterator[Problem]:
    """What one record says about itself: drafts, judgments without sources, sources hard to re-find."""
    if item.kind == "briefing":
        b: m.Briefing = item.record
        if b.status == "draft":
            path = ("status",) if isinstance(item.doc.data, dict) and "status" in item.doc.data else ()
            yield _warning(item.doc, path, "this briefing is still a draft (marked as such everywhere, and left "
                           "out of public builds); set status: final when it is ready")
        for i, kj in enumerate(b.key_judgments):
            if not kj.sources and not any(r.kind == "cite" for r in _markdown_refs(kj.text)):
                yield _warning(item.doc, ("key_judgments", i), "this key judgment cites no sources; add "
                               "sources: [source-id], or cite one with [@source-id] in its text")
    elif item.kind == "source":
        s: m.Source = item.record
        if s.accessed is None:
            yield _warning(item.doc, item.path, f"source '{item.id}' has no accessed date; add accessed: "
                           "YYYY-MM-DD, the day you read it")
        if s.archive_url is None:
            yield _warning(item.doc, item.path, f"source '{item.id}' has no archive_url; add the address of "
                           "an archived copy, in case the page changes or disappears")


def _placeholders(item: _Item) -> Iterator[Problem]:
    """Scaffolded files mark what the author must still write with TODO."""
    stack: list[tuple[Path_, Any]] = [(item.path, item.record)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, m.Record):
            stack.extend((path + (name,), getattr(value, name)) for name in reversed(type(value).model_fields))
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, str) and value.lstrip().startswith("TODO"):
            yield _warning(item.doc, path, f"still a placeholder ({_shown(value.strip()[:40])}); write it")


def _warn_unused(briefings: list[_Item], actors: list[_Item], sources: list[_Item], terms: list[_Item],
                 report: Report) -> None:
    """Sources cited nowhere and actors named in no briefing (only when every record was read)."""
    cited: set[str] = set()
    for item in briefings + actors + terms:
        cited.update(_facts(item).cited)
    for item in sources:
        if item.id not in cited:
            report.add(_warning(item.doc, item.path, f"source '{item.id}' is cited nowhere (no briefing, actor or "
                                f"glossary term lists it under sources: or cites it as [@{item.id}]); "
                                "cite it or remove it"))
    named: set[str] = set()
    for item in briefings:
        b: m.Briefing = item.record
        named.update(a.actor for a in b.actors)
        named.update(actor for event in b.timeline for actor in event.actors)
        named.update(_facts(item).linked)
    for item in actors:
        if item.id not in named:
            report.add(_warning(item.doc, (), f"actor '{item.id}' is named in no briefing (not under actors:, in a "
                                f"timeline, nor as [[{item.id}]]); name it in one or remove it"))


def _sources_listed(record: m.Record) -> Iterator[str]:
    """Every id under a `sources:` key of a record and of the records inside it."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        if name == "sources":
            yield from value
        elif isinstance(value, m.Record):
            yield from _sources_listed(value)
        elif isinstance(value, list):
            for v in value:
                if isinstance(v, m.Record):
                    yield from _sources_listed(v)


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
