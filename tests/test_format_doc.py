"""docs/format.md is the data contract analysts read. Every field of every record in the model
must appear in it: as a key of the YAML example in the section on its file (the section whose
heading names `briefings/<id>.yaml`, ...), nested records' fields under the key that holds
them. Every example there must be valid, so that the page names no field the model lacks."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from typing import Any

import pydantic
import pytest

from briefsite.authoring import fields
from briefsite.authoring.schema import SCHEMA_KINDS, SchemaKind
from briefsite.core import model as m
from briefsite.read.document import parse_text
from tests.conftest import REPO

FORMAT_DOC = REPO / "docs" / "format.md"


def record_of(kind: SchemaKind) -> type[m.Record]:
    """Briefing for briefings, Source for a list of sources."""
    return typing.get_args(kind.shape)[0] if typing.get_origin(kind.shape) is list else kind.shape  # type: ignore[no-any-return]


def section_example(doc: str, kind: SchemaKind) -> Any:
    """The first YAML example in the section whose heading names the kind's file, as the
    schema describes it ('briefings/<id>.yaml: one briefing.')."""
    file = kind.description.split(":", 1)[0]
    for section in re.split(r"(?m)^## ", doc)[1:]:
        heading = section.split("\n", 1)[0]
        if f"`{file}`" in heading:
            block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
            assert block, f"docs/format.md: the section '{heading}' has no YAML example"
            # read as the tool reads YAML (a key `on:` is text there, not YAML 1.1's True)
            return parse_text(FORMAT_DOC, block.group(1)).data
    raise AssertionError(f"docs/format.md has no section whose heading names `{file}`")


def undocumented(doc: str, kinds: Iterable[SchemaKind] = SCHEMA_KINDS.values()) -> list[str]:
    """'kind: key path' of every field of the model that docs/format.md does not show."""
    return [f"{kind.name}: {path}" for kind in kinds
            for path in fields.missing_fields(record_of(kind), section_example(doc, kind))]


def test_every_field_of_the_model_is_in_the_format_doc() -> None:
    missing = undocumented(FORMAT_DOC.read_text(encoding="utf-8"))
    assert missing == [], f"add these fields to the YAML examples in docs/format.md: {missing}"


@pytest.mark.parametrize("kind", SCHEMA_KINDS.values(), ids=list(SCHEMA_KINDS))
def test_the_format_doc_examples_are_valid(kind: SchemaKind) -> None:
    example = section_example(FORMAT_DOC.read_text(encoding="utf-8"), kind)
    pydantic.TypeAdapter(kind.shape).validate_python(example)


def test_the_walk_reaches_every_record_of_the_model() -> None:
    reached = {cls for kind in SCHEMA_KINDS.values() for _, cls in fields.records_in(record_of(kind))}
    defined = {c for c in vars(m).values() if isinstance(c, type) and issubclass(c, m.Record) and c is not m.Record}
    assert reached == defined
    assert ("scenarios[].indicators[]", m.Indicator) in list(fields.records_in(m.Briefing))


# --- the check can fail -------------------------------------------------------------------------

@pytest.mark.parametrize("line,missing", [
    ("    confidence: moderate", "briefing: key_judgments[].confidence"),
    ("        status: observed", "briefing: scenarios[].indicators[].status"),
    ("related:", "briefing: related"),
    ("native_name:", "actor: native_name"),
    ("  archive_url:", "sources: archive_url"),
    ("language: en                     #", "site: language"),
])
def test_a_field_left_out_of_the_doc_is_reported(line: str, missing: str) -> None:
    doc = FORMAT_DOC.read_text(encoding="utf-8")
    cut = "\n".join(ln for ln in doc.splitlines() if not ln.startswith(line))
    assert len(cut.splitlines()) == len(doc.splitlines()) - 1
    assert undocumented(cut) == [missing]


class WiderJudgment(m.KeyJudgment):
    probability: float | None = None
    """A number the doc does not know."""


class WiderBriefing(m.Briefing):
    key_judgments: list[WiderJudgment] = []  # type: ignore[assignment]
    """Key judgments with a field more."""
    doi: str | None = None
    """A field the doc does not know."""


def test_a_field_added_to_the_model_but_not_the_doc_is_reported() -> None:
    wider = SchemaKind("briefing", WiderBriefing, "Briefing", "briefings/<id>.yaml: one briefing.")
    doc = FORMAT_DOC.read_text(encoding="utf-8")
    assert undocumented(doc, [wider]) == ["briefing: key_judgments[].probability", "briefing: doi"]


def test_a_section_without_its_heading_is_reported() -> None:
    doc = FORMAT_DOC.read_text(encoding="utf-8").replace("## Glossary: `glossary.yaml`", "## Glossary")
    with pytest.raises(AssertionError, match="no section whose heading names `glossary.yaml`"):
        undocumented(doc)
