"""Authoring tools: skeletons of new items, the JSON Schemas editors use, sources from links,
and the progress display of a build."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
import yaml

from briefsite import app
from briefsite.authoring import fields, skeletons, sources
from briefsite.authoring import schema as schemas
from briefsite.console import Progress
from briefsite.core import model as m
from briefsite.core.errors import format_key_path
from briefsite.core.project import Project
from briefsite.read.document import parse_text
from briefsite.read.library import load_library
from briefsite.read.rules import normalise_url
from tests.conftest import EXAMPLE_DATA, REPO, copy_project

ARTICLE = Path(__file__).parent / "fixtures" / "article.txt"
ARTICLE_LINKS = [
    "https://vestnikkavkaza.net/news/Sergey-Markov-Nagorno-Karabakh-conflict-will-be-resolved-through-Kazan-formula.html",
    "https://www.themoscowtimes.com/2026/02/01/i-want-to-join-the-final-battle-armenians-in-russia-flock-to-karabakh",
    "https://mei.edu/publications/diplomacy-attrition-how-will-russia-turkey-stand-nagorno-karabakh-play-out",
    "https://tass.com/emergencies/1211515",
]


def run(project: Project, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build_brief.py"), *args], cwd=project.root,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})


def errors_of(data: Path) -> list[str]:
    library, report = load_library(data)
    return [p.format() for p in report.errors]


def as_json(value: Any) -> Any:
    """YAML data as JSON sees it: YAML dates become ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def yaml_as_json(file: Path) -> Any:
    """A YAML file as JSON sees it, read as YAML 1.2 reads it (as the tool and editors' language
    servers do: a key `on:` is text, where YAML 1.1 made it true)."""
    return as_json(parse_text(file, file.read_text(encoding="utf-8")).data)


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def schema_errors(file: Path, data_dir: Path) -> list[str]:
    kind = schemas.schema_kind_of(data_dir, file)
    assert kind is not None, file
    return [e.message for e in validator(kind.name).iter_errors(yaml_as_json(file))]


# --- new -----------------------------------------------------------------------------------

def test_every_kind_scaffolded_into_the_example_validates(project: Project) -> None:
    for kind, item_id, extra in [("briefing", "new-briefing", ()), ("actor", "new-actor", ()),
                                 ("source", "new-source", ()), ("source", "other-source", ("--file", "links")),
                                 ("term", "new-term", ())]:
        result = run(project, "new", kind, item_id, *extra)
        assert result.returncode == 0, result.stderr
    data = project.data
    assert errors_of(data) == []
    library, _ = load_library(data)
    assert library is not None
    assert library.briefings["new-briefing"].status == "draft"
    assert {"new-source", "other-source"} <= set(library.sources) and "new-term" in library.terms
    new_files = [data / "briefings/new-briefing.yaml", data / "actors/new-actor.yaml",
                 data / "sources/new.yaml", data / "sources/links.yaml"]
    for file in new_files:
        first = file.read_text(encoding="utf-8").splitlines()[0]
        kind_ = schemas.schema_kind_of(data, file)
        assert kind_ is not None
        assert first == f"# yaml-language-server: $schema=../../schema/{kind_.file_name}"
    for file in new_files + [data / "glossary.yaml"]:
        assert schema_errors(file, data) == [], file


def test_scaffolds_alone_validate_and_a_missing_glossary_is_created(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    shutil.rmtree(project.data)
    project.data.mkdir()
    for kind, item_id in [("briefing", "first"), ("actor", "someone"), ("source", "a-source"), ("term", "a-term")]:
        skeletons.scaffold(project, kind, item_id)
    glossary = project.data / "glossary.yaml"
    assert glossary.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/glossary.schema.json\n")
    assert errors_of(project.data) == []


def test_new_refuses_to_overwrite_or_reuse_an_id(project: Project) -> None:
    putin = project.data / "actors" / "putin.yaml"
    before = putin.read_text(encoding="utf-8")
    result = run(project, "new", "actor", "putin")
    assert result.returncode == 1
    assert "error: data/actors/putin.yaml: the file already exists" in result.stderr
    assert putin.read_text(encoding="utf-8") == before
    glossary = (project.data / "glossary.yaml").read_text(encoding="utf-8")
    for kind, item_id, used_in in [("term", "putin", "data/actors/putin.yaml"),
                                   ("briefing", "mt-options", "data/sources/sources.yaml"),
                                   ("source", "kazan-formula", "data/glossary.yaml"),
                                   ("actor", "russia-options-nagorno-karabakh", "data/briefings/")]:
        result = run(project, "new", kind, item_id)
        assert result.returncode == 1, (kind, item_id)
        assert f"the id '{item_id}' is already used in {used_in}" in result.stderr
    assert (project.data / "glossary.yaml").read_text(encoding="utf-8") == glossary
    assert not (project.data / "sources" / "new.yaml").exists()
    assert not (project.data / "briefings" / "mt-options.yaml").exists()


@pytest.mark.parametrize("bad", ["Putin2", "two--hyphens", "trailing-", "under_score", "a" * 81, "ünïcode"])
def test_new_checks_the_id_rule(project: Project, bad: str) -> None:
    result = run(project, "new", "briefing", bad)
    assert result.returncode == 1
    assert f"'{bad}' is not a valid id: use lowercase letters, digits and single hyphens" in result.stderr
    assert [f.name for f in (project.data / "briefings").iterdir()] == ["russia-options-nagorno-karabakh.yaml"]


def test_new_source_file_must_be_in_sources(project: Project) -> None:
    result = run(project, "new", "source", "x", "--file", "../elsewhere.yaml")
    assert result.returncode == 1 and "a sources file must be directly in data/sources/" in result.stderr
    result = run(project, "new", "term", "x", "--file", "links.yaml")
    assert result.returncode == 1 and "--file is only for sources" in result.stderr


TODAY = dt.date(2026, 1, 2)
SKELETON_SCHEMAS = {"briefing": "briefing", "actor": "actor", "source": "sources", "term": "glossary"}


def record_of(shape: Any) -> type[m.Record]:
    """The record of a schema kind's shape: Briefing, or Source for list[Source]."""
    return typing.get_args(shape)[0] if typing.get_origin(shape) is list else shape  # type: ignore[no-any-return]


def uncommented(kind: str, text: str) -> Any:
    """A skeleton with every field in use: the '# ' in front of each line deleted (in a new
    file, below the heading and the lines on how to use it)."""
    body = text.split("\n\n", 1)[1] if kind in ("briefing", "actor") else text
    # read as the tool reads YAML: a key `on:` is text, not YAML 1.1's True
    return parse_text(Path("skeleton.yaml"), re.sub(r"(?m)^( *)# ", r"\1", body)).data


@pytest.mark.parametrize("kind", skeletons.KINDS)
def test_a_skeleton_writes_required_fields_and_shows_every_other_as_a_valid_example(kind: str) -> None:
    schema_kind = schemas.SCHEMA_KINDS[SKELETON_SCHEMAS[kind]]
    record = record_of(schema_kind.shape)
    text = skeletons.skeleton(kind, "new-item", TODAY)
    written = yaml.safe_load(text)
    written = written if isinstance(written, dict) else written[0]
    required = {name for name, info in record.model_fields.items() if info.is_required()}
    assert required <= set(written)
    # beyond them only vocabularies showing their default, and the day a source is read
    assert set(written) - required <= {"status", "audience", "kind", "accessed"}
    full = uncommented(kind, text)
    pydantic.TypeAdapter(schema_kind.shape).validate_python(full)
    assert list(validator(schema_kind.name).iter_errors(as_json(full))) == []
    assert fields.missing_fields(record, full) == []
    assert (full if isinstance(full, dict) else full[0]).get("id") == "new-item"


def test_a_new_file_says_how_to_use_it() -> None:
    text = skeletons.skeleton("briefing", "new-item", TODAY)
    assert text.startswith(f"# Briefing 'new-item'.\n{skeletons.HOW_TO}\n")
    assert "docs/format.md" in skeletons.HOW_TO and "Replace every TODO" in skeletons.HOW_TO
    assert "[@source-id]" in skeletons.HOW_TO and "[[id]]" in skeletons.HOW_TO
    assert 'title: "TODO: the briefing\'s headline"\n' in text
    assert "\n# region: South Caucasus    # The region it covers\n" in text
    assert "\n#     likelihood: likely    # Estimative likelihood term (ICD 203): almost-no-chance | " in text
    actor = skeletons.skeleton("actor", "new-item", TODAY)
    assert "\n# native_name: Владимир Путин  # The name in its own script\n" in actor


def test_the_skeleton_authoring_md_shows_is_the_one_written() -> None:
    doc = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    shown = re.search(r"## Start a new item.*?```yaml\n(.*?)```", doc, re.DOTALL)
    assert shown is not None
    written = skeletons.skeleton("briefing", "new-item", TODAY).splitlines()
    for line in shown.group(1).splitlines():
        assert line in written, line


def test_a_new_source_shows_where_its_archived_copy_goes() -> None:
    text = skeletons.skeleton("source", "new-item", TODAY)
    assert "\n  accessed: 2026-01-02 " in text
    assert "\n  # archive_url: https://web.archive.org/" in text
    assert "\n  # reliability: F          # Admiralty source reliability, A-F: A (completely reliable) to F " in text


def test_scaffolds_warn_only_of_what_is_left_to_write(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    shutil.rmtree(project.data)
    project.data.mkdir()
    for kind, item_id in [("briefing", "first"), ("actor", "someone"), ("source", "a-source"), ("term", "a-term")]:
        skeletons.scaffold(project, kind, item_id)
    _, report = load_library(project.data)
    placeholders = [f"{Path(p.file).relative_to(project.data).as_posix()} {format_key_path(p.path)}"
                    for p in report.warnings if "still a placeholder" in p.message]
    assert sorted(placeholders) == ["actors/someone.yaml name", "briefings/first.yaml summary",
                                    "briefings/first.yaml title", "glossary.yaml [0].definition",
                                    "glossary.yaml [0].term", "sources/new.yaml [0].title"]
    left = [p.message for p in report.warnings if "still a placeholder" not in p.message]
    assert len(left) == 4
    for what in ("is still a draft", "has no archive_url", "is cited nowhere", "is named in no briefing"):
        assert any(what in message for message in left), what


def test_every_plain_field_of_the_model_has_a_valid_example() -> None:
    for kind in schemas.SCHEMA_KINDS.values():
        for _, record in fields.records_in(record_of(kind.shape)):
            hints = typing.get_type_hints(record, include_extras=True)
            for shape in fields.fields_of(record):
                if shape.record is None:
                    assert shape.examples, f"{record.__name__}.{shape.name} has no example"
                    pydantic.TypeAdapter(hints[shape.name]).validate_python(shape.examples[0])


# --- JSON Schemas ----------------------------------------------------------------------------

def test_committed_schemas_are_up_to_date() -> None:
    stale = schemas.stale_schemas(REPO / "schema")
    assert stale == [], f"{[p.name for p in stale]} are stale: run `make schema` and commit schema/"
    assert sorted(p.name for p in (REPO / "schema").iterdir()) == sorted(schemas.schema_files())


def test_schema_check_command(project: Project) -> None:
    assert run(project, "schema", "--check").returncode == 1  # a copy without schema/
    result = run(project, "schema")
    assert result.returncode == 0 and "Wrote schema/briefing.schema.json" in result.stdout
    assert run(project, "schema", "--check").returncode == 0
    stale = project.root / "schema" / "actor.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace('"person"', '"persona"'), encoding="utf-8")
    result = run(project, "schema", "--check")
    assert result.returncode == 1 and "schema/actor.schema.json: out of date" in result.stderr


def test_schemas_are_valid_json_schemas() -> None:
    for name in schemas.SCHEMA_KINDS:
        schema = json.loads((REPO / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == schemas.SCHEMA_DIALECT


def test_every_example_file_names_and_passes_its_schema() -> None:
    project = Project.at(REPO / "mkdocs.yml")
    files = sorted(EXAMPLE_DATA.rglob("*.yaml"))
    assert len(files) > 20
    for file in files:
        kind = schemas.schema_kind_of(EXAMPLE_DATA, file)
        assert kind is not None, file
        first = file.read_text(encoding="utf-8").splitlines()[0]
        assert first == schemas.schema_comment(project, file, kind), file
        assert (file.parent / first.split("=", 1)[1]).resolve().is_file(), file
        assert schema_errors(file, EXAMPLE_DATA) == [], file


def _briefing() -> dict[str, Any]:
    return yaml_as_json(EXAMPLE_DATA / "briefings" / "russia-options-nagorno-karabakh.yaml")  # type: ignore[no-any-return]


def _sources() -> list[dict[str, Any]]:
    return yaml_as_json(EXAMPLE_DATA / "sources" / "sources.yaml")  # type: ignore[no-any-return]


def _edited(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    value = copy.deepcopy(value)
    target = value
    for part in path[:-1]:
        target = target[part]
    if new is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = new
    return value


BAD_INPUTS = [
    ("wrong vocabulary: likelihood", "briefing", ("key_judgments", 0, "likelihood"), "probable"),
    ("wrong vocabulary: status", "briefing", ("status",), "published"),
    ("wrong vocabulary: indicator status", "briefing", ("scenarios", 0, "indicators", 0),
     {"text": "x", "status": "seen"}),
    ("wrong vocabulary: reliability", "sources", (0, "reliability"), "G"),
    ("wrong vocabulary: credibility", "sources", (0, "credibility"), 7),
    ("unknown key", "briefing", ("titel",), "x"),
    ("unknown key in a nested record", "briefing", ("key_judgments", 0, "likelyhood"), "likely"),
    ("unknown key in a source", "sources", (0, "urls"), "https://example.com/"),
    ("missing required key: summary", "briefing", ("summary",), KeyError),
    ("missing required key: url", "sources", (0, "url"), KeyError),
    ("wrong type: tags", "briefing", ("tags",), "russia"),
    ("wrong type: title", "briefing", ("title",), 42),
    ("wrong type: key judgments", "briefing", ("key_judgments",), {"text": "x"}),
    ("not a date", "briefing", ("date",), "15 October 2020"),
    ("not a real date", "briefing", ("date",), "2020-02-30"),
    ("not a timeline date", "briefing", ("timeline", 0, "date"), "October 2020"),
    ("bad id pattern: source", "sources", (0, "id"), "MT_Options"),
    ("bad id pattern: reference", "briefing", ("related",), ["Other Briefing"]),
    ("id too long", "sources", (0, "id"), "a" * 81),
    ("not an http address", "sources", (0, "url"), "ftp://example.com/file"),
]


@pytest.mark.parametrize("what,kind,path,new", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_schemas_reject_bad_input(what: str, kind: str, path: tuple[Any, ...], new: Any) -> None:
    good = _briefing() if kind == "briefing" else _sources()
    assert list(validator(kind).iter_errors(good)) == []
    assert list(validator(kind).iter_errors(_edited(good, path, new))), what


def test_schemas_accept_what_the_format_allows_beyond_the_example() -> None:
    briefing = _edited(_briefing(), ("timeline", 0, "date"), 2020)  # a year alone is a YAML number
    briefing = _edited(briefing, ("scenarios", 0, "indicators"), ["a bare Markdown string"])
    briefing = _edited(briefing, ("updates",), [{"date": "2020-10-16", "note": "Quoted date"}])
    assert list(validator("briefing").iter_errors(briefing)) == []
    sources = _edited(_sources(), (0, "url"), "HTTPS://Example.com/Path")
    assert list(validator("sources").iter_errors(sources)) == []
    assert list(validator("site").iter_errors({})) == []


# --- sources import ---------------------------------------------------------------------------

def test_article_fixture_is_the_seed_text() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    assert "Whichever way you look at it" in text and text.count("https://") == 7


def test_extract_urls_trims_and_deduplicates() -> None:
    text = ("See https://Example.com/a/, then (https://example.com/a) and https://example.com/wiki/Foo_(bar).\n"
            "Quoted: \"https://example.org/x?y=1&z=2\"; <https://example.net/p>. Not: ftp://example.com/f, "
            "http:// or https://.")
    assert sources.extract_urls(text) == ["https://Example.com/a/", "https://example.com/wiki/Foo_(bar)",
                                            "https://example.org/x?y=1&z=2", "https://example.net/p"]
    assert sources.extract_urls(ARTICLE.read_text(encoding="utf-8")) == ARTICLE_LINKS


def test_source_ids_are_valid_unique_and_readable() -> None:
    assert sources.source_id("https://tass.com/emergencies/1211515", {}) == "tass-emergencies-1211515"
    assert sources.source_id("https://www.bbc.co.uk/news/world-europe-54324772", {}) == "bbc-world-europe-54324772"
    assert sources.source_id("https://tass.com/emergencies/1211515", {"tass-emergencies-1211515": "x"}) == \
        "tass-emergencies-1211515-2"
    assert sources.source_id("https://пример.рф/", {}) == "source"
    for url in ARTICLE_LINKS + ["https://example.com/" + "very-long-words-" * 20]:
        made = sources.source_id(url, {})
        assert len(made) <= sources.ID_LENGTH
        assert m.Source.model_validate({"id": made, "title": "t", "url": url}).id == made


def test_import_into_a_folder_without_sources_yields_the_article_links(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    shutil.rmtree(project.data / "sources")
    result = run(project, "sources", "import", str(ARTICLE))
    assert result.returncode == 0, result.stderr
    imported = project.data / "sources" / "imported.yaml"
    entries = yaml.safe_load(imported.read_text(encoding="utf-8"))
    assert [e["url"] for e in entries] == ARTICLE_LINKS
    assert len({e["id"] for e in entries}) == 4
    for entry in entries:
        source = m.Source.model_validate(entry)
        assert source.title == skeletons.TITLE_PLACEHOLDER
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 4
    assert all("needs a title" in w and w.startswith("warning: data/sources/imported.yaml:") for w in warnings)
    assert schema_errors(imported, project.data) == []
    assert "4 distinct links, 0 already sources; added 4 to data/sources/imported.yaml" in result.stdout


def test_import_against_the_example_adds_only_new_links(project: Project) -> None:
    result = run(project, "sources", "import", str(ARTICLE))
    assert result.returncode == 0, result.stderr
    assert "nothing to add" in result.stdout
    assert not (project.data / "sources" / "imported.yaml").exists()

    text = project.root / "links.txt"
    new = "https://www.themoscowtimes.com/2020/10/20/another-piece-a71800"
    text.write_text(ARTICLE.read_text(encoding="utf-8") + f"\nAnd see {new}?utm_source=tw&utm_medium=x&fbclid=1."
                    "\nAgain: HTTPS://tass.com/emergencies/1211515/?ref=home\n", encoding="utf-8")
    result = run(project, "sources", "import", "links.txt", "--to", "mt.yaml")
    assert result.returncode == 0, result.stderr
    written = (project.data / "sources" / "mt.yaml").read_text(encoding="utf-8")
    entries = yaml.safe_load(written)
    # tracking parameters dropped (the TASS link with ?ref= is a source already); read today
    assert entries == [{"id": "themoscowtimes-another-piece-a71800", "title": skeletons.TITLE_PLACEHOLDER,
                        "url": new, "publisher": "The Moscow Times", "accessed": dt.date.today()}]
    assert f"\n  # archive_url: https://web.archive.org/web/{new}\n" in written
    assert errors_of(project.data) == []
    # a second run finds nothing new, and appending keeps earlier entries
    assert "nothing to add" in run(project, "sources", "import", "links.txt").stdout
    (project.data / "sources" / "mt.yaml").write_text(
        (project.data / "sources" / "mt.yaml").read_text(encoding="utf-8").replace(new, new + "-moved"),
        encoding="utf-8")
    result = run(project, "sources", "import", "links.txt", "--to", "mt.yaml")
    entries = yaml.safe_load((project.data / "sources" / "mt.yaml").read_text(encoding="utf-8"))
    assert [normalise_url(e["url"]) for e in entries] == [normalise_url(new + "-moved"), normalise_url(new)]
    assert entries[1]["id"] == "themoscowtimes-another-piece-a71800-2"
    assert "warning: data/sources/mt.yaml:" in result.stderr and "[1].title" in result.stderr
    assert errors_of(project.data) == []


def test_import_refuses_a_file_that_is_not_a_list(project: Project) -> None:
    target = project.data / "sources" / "odd.yaml"
    target.write_text("id: not-a-list\n", encoding="utf-8")
    (project.root / "links.txt").write_text("https://example.com/new\n", encoding="utf-8")
    result = run(project, "sources", "import", "links.txt", "--to", "odd.yaml")
    assert result.returncode == 1 and "expected a list" in result.stderr
    assert target.read_text(encoding="utf-8") == "id: not-a-list\n"
    assert run(project, "sources", "import", "missing.txt").returncode == 1


# --- progress -----------------------------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_a_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    out = Terminal()
    with Progress(out, 2) as progress:
        progress("load and validate", "3 files")
        progress("render", "")
    text = out.getvalue()
    assert "\r\x1b[K" + "." * Progress.WIDTH + " [1/2] load and validate: 3 files" in text
    assert "#" * (Progress.WIDTH // 2) + "." * (Progress.WIDTH // 2) + " [2/2] render" in text
    assert text.endswith("\r\x1b[K") and "\n" not in text


def test_progress_prints_plain_lines_in_ci_or_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    for out in (Terminal(), io.StringIO()):
        with Progress(out, 2) as progress:
            progress("render", "5 pages")
        assert out.getvalue() == "[1/2] render: 5 pages\n"
    out = Terminal()
    with Progress(out, 2, quiet=True) as progress:
        progress("render", "5 pages")
    assert out.getvalue() == ""


@pytest.mark.slow
def test_build_reports_its_stages(project: Project) -> None:
    without_pdf = [s for s in app.BUILD_STAGES if s != "pdf"]
    for extra, names in [((), app.BUILD_STAGES), (("--no-pdf",), without_pdf)]:
        result = run(project, "build", *extra, env={"CI": "true"})
        assert result.returncode == 0, result.stderr
        stages = [ln for ln in result.stderr.splitlines() if ln.startswith("[")]
        assert [s.split(": ")[0] for s in stages] == [f"[{i}/{len(names)}] {name}" for i, name in enumerate(names, 1)]
        assert re.fullmatch(r"\[2/\d+\] render: \d+ briefings?, \d+ actors?, \d+ sources?, \d+ terms?", stages[1])
    result = run(project, "build", "--quiet")
    assert result.returncode == 0 and not any(ln.startswith("[") for ln in result.stderr.splitlines())
