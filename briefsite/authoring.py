"""Tools for writing content: skeletons of new items, JSON Schemas for editors, and
sources imported from the links in a text.

Nothing here decides what is valid: the skeletons and the imported entries are checked
by `validate` like anything an analyst types, and the schemas are generated from the
records in `model`, so they cannot drift from what a build accepts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import typing
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pydantic
import yaml
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from . import model as m
from .errors import BriefError, LoadError, Mark, Problem, Severity, display_path
from .load import load_file
from .project import Project
from .validate import normalise_url

TODO = "TODO"
"""Marks every value a skeleton or an import leaves for the analyst to write."""
TITLE_PLACEHOLDER = f"{TODO}: write the title as the source gives it"

# --- JSON Schemas ------------------------------------------------------------------------

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class SchemaKind:
    """One kind of YAML file and the schema that describes it."""

    name: str
    shape: Any
    """The record class, or list[record] for files that hold a list."""
    title: str
    description: str

    @property
    def file_name(self) -> str:
        return f"{self.name}.schema.json"


SCHEMA_KINDS: dict[str, SchemaKind] = {k.name: k for k in (
    SchemaKind("site", m.SiteConfig, "Site settings", "site.yaml: the site as a whole."),
    SchemaKind("briefing", m.Briefing, "Briefing", "briefings/<id>.yaml: one briefing."),
    SchemaKind("actor", m.Actor, "Actor", "actors/<id>.yaml: one actor profile."),
    SchemaKind("sources", list[m.Source], "Sources", "sources/*.yaml: a list of sources."),
    SchemaKind("glossary", list[m.Term], "Glossary", "glossary.yaml: a list of glossary terms."),
)}


def schema_dir(project: Project) -> Path:
    """Where the schemas live: schema/ beside mkdocs.yml."""
    return project.root / "schema"


def schema_kind_of(data_dir: Path, file: Path) -> SchemaKind | None:
    """The kind of a file in the content folder, or None where no kind belongs."""
    rel = file.resolve().relative_to(data_dir.resolve()).parts
    name = {"site.yaml": "site", "glossary.yaml": "glossary"}.get(rel[0]) if len(rel) == 1 else None
    if len(rel) == 2 and rel[1].endswith(".yaml"):
        name = {"briefings": "briefing", "actors": "actor", "sources": "sources"}.get(rel[0])
    return SCHEMA_KINDS[name] if name else None


def schema_comment(project: Project, file: Path, kind: SchemaKind) -> str:
    """The first line of a content file: tells YAML editors which schema it follows."""
    target = os.path.relpath(schema_dir(project) / kind.file_name, file.resolve().parent)
    return f"# yaml-language-server: $schema={Path(target).as_posix()}"


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, told what the model's before-validators accept."""

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        inner = super().function_before_schema(schema)
        function = schema["function"]["function"]
        if function is m._indicator:  # a bare Markdown string stands for {text: ...}
            return {"anyOf": [{"type": "string", "format": "markdown"}, inner]}
        if function is m._partial_date:  # YYYY-MM-DD, YYYY-MM, or a year (a YAML number)
            return {"anyOf": [{"type": "string", "pattern": m._PARTIAL_DATE.pattern},
                              {"type": "integer", "minimum": 1000, "maximum": 9999}]}
        return inner


def _portable_patterns(value: Any) -> Any:
    """Editors evaluate patterns as JavaScript regular expressions, which lack Python's
    scoped flags: `(?i:https?)` becomes `[hH][tT][tT][pP][sS]?`."""
    if isinstance(value, dict):
        return {k: (_case_free(v) if k == "pattern" and isinstance(v, str) else _portable_patterns(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_portable_patterns(v) for v in value]
    return value


def _case_free(pattern: str) -> str:
    def expand(match: re.Match[str]) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in match.group(1))
    return re.sub(r"\(\?i:([A-Za-z?]*)\)", expand, pattern)


def json_schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema of one kind of file, generated from its record."""
    generated = pydantic.TypeAdapter(kind.shape).json_schema(schema_generator=_Generator)
    head = {"$schema": SCHEMA_DIALECT, "title": kind.title, "description": kind.description}
    return _portable_patterns({**head, **{k: v for k, v in generated.items() if k not in head}})


def schema_files() -> dict[str, str]:
    """File name -> text of every schema, as committed under schema/."""
    return {k.file_name: json.dumps(json_schema(k), indent=2, ensure_ascii=False) + "\n"
            for k in SCHEMA_KINDS.values()}


def stale_schemas(folder: Path) -> list[Path]:
    """The schema files in folder that are missing or differ from the models."""
    return [folder / name for name, text in schema_files().items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]


def write_schemas(folder: Path) -> list[Path]:
    """Write every stale schema file; return those written."""
    stale = stale_schemas(folder)
    texts = schema_files()
    folder.mkdir(parents=True, exist_ok=True)
    for path in stale:
        _write(path, texts[path.name])
    return stale


# --- What the content folder already holds ------------------------------------------------

@dataclass
class Existing:
    """Ids and source addresses already taken, read leniently: the rest of the content
    need not be valid for a new item to be added."""

    ids: dict[str, str] = field(default_factory=dict)
    """id -> the file that holds it."""
    urls: dict[str, str] = field(default_factory=dict)
    """normalised URL -> the id of the source that has it."""
    publishers: dict[str, str] = field(default_factory=dict)
    """host -> the publisher its existing sources name."""


def existing_content(data_dir: Path) -> Existing:
    found = Existing()
    for folder in ("briefings", "actors"):
        for file in sorted((data_dir / folder).glob("*.yaml")):
            found.ids.setdefault(file.stem, display_path(file))
    lists = sorted((data_dir / "sources").glob("*.yaml")) + [data_dir / "glossary.yaml"]
    for file in lists:
        for entry in _list_entries(file):
            if not isinstance(entry, dict):
                continue
            if isinstance(entry.get("id"), str):
                found.ids.setdefault(entry["id"], display_path(file))
            url = entry.get("url")
            if isinstance(url, str):
                found.urls.setdefault(normalise_url(url), str(entry.get("id")))
                if isinstance(entry.get("publisher"), str):
                    found.publishers.setdefault(_host(url), entry["publisher"])
    return found


def _list_entries(file: Path) -> list[Any]:
    """The entries of a YAML list file; none when the file is missing or holds only comments."""
    if not file.is_file() or _only_comments(file.read_text(encoding="utf-8-sig")):
        return []
    doc = load_file(file)
    if not isinstance(doc.data, list):
        raise LoadError([doc.problem((), "expected a list (lines starting with '- '); new entries cannot be added")])
    return doc.data


def _only_comments(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


# --- Skeletons -----------------------------------------------------------------------------

KINDS = ("briefing", "actor", "source", "term")


def _choices(vocabulary: Any) -> str:
    return " | ".join(str(v) for v in typing.get_args(vocabulary))


_HOW_TO = """\
# The format is docs/format.md. Replace every TODO. Optional fields are commented
# out: delete the "# " in front of a block to use it. In Markdown fields, [@source-id]
# cites a source and [[id]] or [[id|text]] links to a briefing, an actor or a term.
"""

_BRIEFING = """\
# Briefing '{id}'.
{how_to}title: "TODO: the headline"
date: {today}            # the "as of" date, YYYY-MM-DD
status: draft               # {status}; drafts are marked as such everywhere
audience: internal          # {audience}; public builds show only final public briefings
# marking: "TLP:CLEAR"      # overrides the site's marking on this briefing's pages
# authors: [Desk analyst]
# region: South Caucasus
# tags: [russia, turkey]
summary: |                  # Markdown: the bottom line up front
  TODO: the bottom line up front.
# key_judgments:
#   - text: The offensive will continue until the districts are retaken   # Markdown
#     likelihood: likely    # {likelihood}
#     confidence: moderate  # {confidence}
#     sources: [source-id]
# assumptions:              # what the judgments rest on (Markdown)
#   - Moscow will not risk open war with Turkey
# actors:
#   - actor: actor-id
#     role: What the actor does in this briefing   # Markdown
# timeline:
#   - date: 2020-10-14      # YYYY-MM-DD, or YYYY-MM or YYYY where only that much is known
#     event: What happened  # Markdown
#     actors: [actor-id]
#     sources: [source-id]
# scenarios:
#   - title: A short name
#     likelihood: unlikely
#     description: What happens      # Markdown
#     implications: What follows     # Markdown
#     indicators:           # what to watch: text, or text with a status
#       - Observers deploy to the line of contact
#       - text: The mediators table a plan
#         status: observed  # {indicator_status}
# sections:                 # free sections after the summary, in order
#   - title: Background
#     body: |
#       Markdown text.
# related: [other-briefing-id]
# updates:                  # change log, newest first
#   - date: {today}
#     note: What changed
"""

_ACTOR = """\
# Actor '{id}'.
{how_to}name: "TODO: the name"
kind: other                 # {kind}
# native_name: Владимир Путин   # the name in its own script
# aliases: [Other name]
# title: President of Russia
# country: state-id         # the id of an actor of kind state
# summary: |                # Markdown: a profile
#   Who they are and why they matter.
# relations:
#   - actor: actor-id
#     type: rival           # {relation}
#     note: More about it   # Markdown
#     sources: [source-id]
# sources: [source-id]      # sources about this actor
"""

_SOURCE = """\
- id: {id}
  title: "{title}"
  url: https://example.com/TODO/{id}   # the address, http or https
  # publisher: The Moscow Times
  # author: Name of the author
  # published: 2020-10-15
  accessed: {today}
  kind: other               # {kind}
  # language: en
  # reliability: F          # {reliability}
  # credibility: 6          # {credibility}
  # note: Anything else about the source   # Markdown
"""

_TERM = """\
- id: {id}
  term: "TODO: the term as written"
  definition: >-            # Markdown
    TODO: what it means.
  # aliases: [Other spelling]
  # sources: [source-id]
"""

_LIST_HEADERS = {
    "sources": "# Sources: a YAML list. The format is docs/format.md.\n",
    "imported": "# Sources made from links by `build_brief.py sources import`: write each title.\n",
    "glossary": "# Glossary: a YAML list of terms. The format is docs/format.md.\n",
}


def _skeleton(kind: str, item_id: str, today: dt.date) -> str:
    template = {"briefing": _BRIEFING, "actor": _ACTOR, "source": _SOURCE, "term": _TERM}[kind]
    return template.format(
        id=item_id, today=today.isoformat(), how_to=_HOW_TO, title=TITLE_PLACEHOLDER,
        status=_choices(m.Status), audience=_choices(m.Audience), likelihood=_choices(m.Likelihood),
        confidence=_choices(m.Confidence), indicator_status=_choices(m.IndicatorStatus),
        kind=_choices(m.SourceKind if kind == "source" else m.ActorKind), relation=_choices(m.RelationType),
        reliability=_scale(m.RELIABILITY_MEANINGS), credibility=_scale(m.CREDIBILITY_MEANINGS),
    )


def _scale(meanings: dict[Any, str]) -> str:
    """An Admiralty scale in a few words: 'A (completely reliable) to F (reliability cannot be judged)'."""
    (low, first), *_, (high, last) = meanings.items()
    return f"{low} ({first}) to {high} ({last})"


def check_id(item_id: str, where: Path) -> None:
    """Refuse an id that breaks the id rule."""
    if len(item_id) > m.ID_MAX or not re.match(m.ID_PATTERN, item_id):
        raise BriefError([Problem(display_path(where), None, (), f"'{item_id}' is not a valid id: use lowercase "
                                  f"letters, digits and single hyphens, like 'moscow-times-2020' (at most "
                                  f"{m.ID_MAX} characters)")])


def list_file(data_dir: Path, name: str | None, default: str) -> Path:
    """A sources file given by name (`links.yaml`) or path; it must sit directly in sources/."""
    folder = data_dir / "sources"
    given = Path(name or default)
    path = folder / given if len(given.parts) == 1 else given
    if path.suffix != ".yaml":
        path = path.with_name(path.name + ".yaml")
    if path.resolve().parent != folder.resolve():
        raise BriefError([Problem(display_path(path), None, (), f"a sources file must be directly in "
                                  f"{display_path(folder)}/; give a file name such as 'links.yaml'")])
    return path


@dataclass(frozen=True)
class Written:
    """What a command wrote, for the command line to report."""

    file: Path
    ids: list[str]
    created: bool
    lines: list[int]
    """The line of each new entry's first key."""
    first: int = 0
    """The index of the first new entry in a list file."""


def scaffold(project: Project, kind: str, item_id: str, file: str | None = None,
             today: dt.date | None = None) -> Written:
    """Write a skeleton of a new briefing, actor, source or term; refuse to overwrite or reuse an id."""
    today = today or dt.date.today()
    data = project.data
    if kind in ("briefing", "actor"):
        target = data / f"{kind}s" / f"{item_id}.yaml"
    elif kind == "source":
        target = list_file(data, file, "new.yaml")
    else:
        target = data / "glossary.yaml"
    if file and kind != "source":
        raise BriefError([Problem(display_path(target), None, (), "--file is only for sources")])
    check_id(item_id, target)
    if kind in ("briefing", "actor") and target.exists():
        raise BriefError([Problem(display_path(target), None, (), f"the file already exists; "
                                  f"choose another id or edit {display_path(target)}")])
    taken = existing_content(data).ids
    if item_id in taken:
        raise BriefError([Problem(display_path(target), None, (), f"the id '{item_id}' is already used in "
                                  f"{taken[item_id]}; briefings, actors, sources and terms need distinct ids")])
    body = _skeleton(kind, item_id, today)
    if kind in ("briefing", "actor"):
        kind_ = SCHEMA_KINDS[kind]
        _write_new(target, f"{schema_comment(project, target, kind_)}\n{body}")
        return Written(target, [item_id], created=True, lines=[2])
    header = _LIST_HEADERS["sources" if kind == "source" else "glossary"]
    return _append(project, target, {item_id: body}, header)


def _append(project: Project, target: Path, entries: dict[str, str], header: str) -> Written:
    """Add entries to a YAML list file, creating it (with its schema line) when missing."""
    created = not target.exists()
    kind = schema_kind_of(project.data, target)
    assert kind is not None
    old = "" if created else target.read_text(encoding="utf-8-sig")
    if created:
        text = f"{schema_comment(project, target, kind)}\n{header}"
    else:
        text = old if old.endswith("\n") or not old else old + "\n"
    before = len(_list_entries(target))
    lines: list[int] = []
    for entry in entries.values():
        if text.strip() and not _only_comments(text):
            text += "\n"
        lines.append(text.count("\n") + 1)
        text += entry
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        doc = load_file(tmp)
        if not isinstance(doc.data, list) or len(doc.data) != before + len(entries):
            raise BriefError([Problem(display_path(target), None, (), "new entries cannot be added after the "
                                      "last one: write the list as lines starting with '- '")])
    except BriefError:
        tmp.unlink()
        raise
    tmp.replace(target)
    return Written(target, list(entries), created, lines, first=before)


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise BriefError([Problem(display_path(path), None, (), "the file already exists")]) from None


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# --- Sources from the links in a text -----------------------------------------------------------

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
            found.setdefault(normalise_url(url), url)
    return list(found.values())


def _trim(url: str) -> str:
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _BRACKETS and url.count(last) > url.count(_BRACKETS[last])):
            url = url[:-1]
        else:
            break
    return url


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _cut(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    head = text[: length + 1]
    return (head.rsplit("-", 1)[0] if "-" in head else text[:length]).strip("-")


def source_id(url: str, taken: set[str] | dict[str, str]) -> str:
    """An id from the address: the publisher's host name, then the path's last words
    (`tass.com/emergencies/1211515` -> `tass-emergencies-1211515`), unique among taken."""
    labels = _host(url).split(".")
    if len(labels) > 1:
        labels = labels[:-1]  # the top-level domain
    if len(labels) > 1 and labels[-1] in ("co", "com", "org", "net", "gov", "ac", "edu"):
        labels = labels[:-1]  # bbc.co.uk -> bbc
    host = _slug("-".join(labels)) or "source"
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if segments:
        segments[-1] = re.sub(r"\.(s?html?|php|aspx?|jsp)$", "", segments[-1], flags=re.IGNORECASE)
    words: list[str] = []
    for segment in reversed([s for s in map(_slug, segments) if s]):
        words.insert(0, segment)
        if re.search(r"[a-z]{3}", segment):  # a segment with words in it names the page
            break
    base = _cut("-".join([host, *words]), ID_LENGTH)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{_cut(base, ID_LENGTH - len(str(n)) - 1)}-{n}"
    return candidate


def _yaml_scalar(text: str) -> str:
    """Text as a YAML value: plain when it reads back the same, else double-quoted."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


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
        lines = [f"- id: {new_id}", f'  title: "{TITLE_PLACEHOLDER}"', f"  url: {_yaml_scalar(url)}"]
        if _host(url) in existing.publishers:
            lines.append(f"  publisher: {_yaml_scalar(existing.publishers[_host(url)])}")
        lines.append(f"  # kind: news              # {_choices(m.SourceKind)}")
        entries[new_id] = "\n".join(lines) + "\n"
    written = _append(project, target, entries, _LIST_HEADERS["imported"]) if entries else None
    return Imported(written, links, known)


def title_warnings(written: Written) -> list[Problem]:
    """One warning per imported entry: its title is a placeholder."""
    return [Problem(display_path(written.file), Mark(line + 1, 10), (written.first + i, "title"),
                    f"source '{sid}' needs a title: replace the placeholder with the title as the source gives it",
                    Severity.WARNING)
            for i, (sid, line) in enumerate(zip(written.ids, written.lines, strict=True))]
