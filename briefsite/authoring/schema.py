"""JSON Schemas of the YAML files, generated from the typed records (core.model), so that
editors complete keys and vocabularies and flag mistakes as one types."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from ..core import model as m
from ..core import values
from ..core.project import Project

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
    SchemaKind("places", list[m.Place], "Places", "places.yaml: a list of places (optional)."),
)}


def schema_dir(project: Project) -> Path:
    """Where the schemas live: schema/ beside mkdocs.yml."""
    return project.root / "schema"


_TOP_FILES = {"site.yaml": "site", "glossary.yaml": "glossary", "places.yaml": "places"}
"""The files of the content folder's top, by the kind of their schema."""


def schema_kind_of(data_dir: Path, file: Path) -> SchemaKind | None:
    """The kind of a file in the content folder, or None where no kind belongs."""
    rel = file.resolve().relative_to(data_dir.resolve()).parts
    name = _TOP_FILES.get(rel[0]) if len(rel) == 1 else None
    if len(rel) == 2 and rel[1].endswith(".yaml"):
        name = {"briefings": "briefing", "actors": "actor", "sources": "sources"}.get(rel[0])
    return SCHEMA_KINDS[name] if name else None


def schema_comment(schemas: Project | Path, file: Path, kind: SchemaKind) -> str:
    """The first line of a content file: tells YAML editors which schema it follows (in the
    project's schema/ folder, or the folder `schemas`)."""
    folder = schemas if isinstance(schemas, Path) else schema_dir(schemas)
    target = os.path.relpath(folder.resolve() / kind.file_name, file.resolve().parent)
    return f"# yaml-language-server: $schema={Path(target).as_posix()}"


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, told what the model's before-validators accept."""

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        inner = super().function_before_schema(schema)
        function = schema["function"]["function"]
        if function is values.indicator_shorthand:  # a bare Markdown string stands for {text: ...}
            return {"anyOf": [{"type": "string", "format": "markdown"}, inner]}
        if function is values.partial_date:  # YYYY-MM-DD, YYYY-MM, or a year (a YAML number)
            return {"anyOf": [{"type": "string", "pattern": values.PARTIAL_DATE.pattern},
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


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
