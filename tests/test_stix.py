"""The STIX 2.1 export (render/stix.py): bundles that OASIS's validator passes in strict mode
and the stix2 library reads without custom content, stable ids, and nothing withheld."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import stix2
from stix2validator import ValidationOptions, validate_string
from stix2validator.v21.enums import COUNTRY_CODES

from bench.corpus import generate
from briefsite.core import countries
from briefsite.core import model as m
from briefsite.core.project import Project
from briefsite.core.publish import public_subset
from briefsite.read.library import load_library
from briefsite.render import stix
from briefsite.render.pages import render_pages
from tests.conftest import EXAMPLE_DATA, REPO

EXAMPLE_BRIEFING = "russia-options-nagorno-karabakh"
CORPUS_BRIEFINGS = 200
"""Enough to hold every shape of object, few enough to validate in seconds (docs/performance.md;
bench/stix.py checks 1,000)."""


def strict_problems(text: str) -> list[str]:
    """What `stix2_validator --version 2.1 --strict --enforce-refs` says is wrong (nothing: valid)."""
    result = validate_string(text, ValidationOptions(version="2.1", strict=True, enforce_refs=True))
    problems = [str(e) for e in result.errors]
    return problems if problems or result.is_valid else ["invalid, with no error given"]


def assert_valid(text: str) -> None:
    assert strict_problems(text) == []
    stix2.parse(text, allow_custom=False)  # raises on anything custom or malformed


def objects(text: str) -> list[dict[str, Any]]:
    return json.loads(text)["objects"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def example() -> m.Library:
    library, report = load_library(EXAMPLE_DATA)
    assert library is not None, [p.format() for p in report.errors]
    return library


# Validity -----------------------------------------------------------------------------------

def test_the_built_example_has_valid_bundles(built_example: Project) -> None:
    folder = built_example.site / stix.STIX_FOLDER
    assert sorted(p.name for p in folder.iterdir()) == ["bundle.json", f"{EXAMPLE_BRIEFING}.json"]
    for path in folder.iterdir():
        assert_valid(path.read_text(encoding="utf-8"))
    kinds = {o["type"] for o in objects((folder / "bundle.json").read_text(encoding="utf-8"))}
    assert kinds == {"marking-definition", "identity", "location", "threat-actor", "relationship", "report", "note"}


def test_a_large_synthetic_library_gives_a_valid_bundle(tmp_path: Path) -> None:
    generate(tmp_path / "data", CORPUS_BRIEFINGS, seed=5)
    library, report = load_library(tmp_path / "data")
    assert library is not None, [p.format() for p in report.errors]
    text = stix.to_json(stix.site_bundle(library))
    assert_valid(text)
    assert sum(o["type"] == "report" for o in objects(text)) == CORPUS_BRIEFINGS


def test_a_briefing_marked_with_a_tlp_label_carries_oasis_marking_definition(example: m.Library) -> None:
    b = example.briefings[EXAMPLE_BRIEFING].model_copy(update={"marking": "tlp:amber+strict"})
    text = stix.to_json(stix.briefing_bundle(dataclasses.replace(example, briefings={EXAMPLE_BRIEFING: b}),
                                             EXAMPLE_BRIEFING))
    assert_valid(text)
    amber = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
    found = objects(text)
    assert [o["name"] for o in found if o["type"] == "marking-definition"] == ["TLP:AMBER+STRICT"]
    assert {o["type"] for o in found if o.get("object_marking_refs") == [amber]} == {"report", "note"}


def test_a_marking_that_is_not_tlp_marks_nothing(example: m.Library) -> None:
    b = example.briefings[EXAMPLE_BRIEFING].model_copy(update={"marking": "UNCLASSIFIED"})
    found = objects(stix.to_json(stix.briefing_bundle(
        dataclasses.replace(example, briefings={EXAMPLE_BRIEFING: b}), EXAMPLE_BRIEFING)))
    assert not [o for o in found if o["type"] == "marking-definition" or "object_marking_refs" in o]


# What becomes what ------------------------------------------------------------------------

def test_confidence_takes_the_low_med_high_scale_of_the_stix_appendix() -> None:
    assert stix.CONFIDENCE == {"low": 15, "moderate": 50, "high": 85}


def test_a_key_judgment_is_a_note_with_its_likelihood_and_confidence(example: m.Library) -> None:
    b = example.briefings[EXAMPLE_BRIEFING]
    notes = [o for o in objects(stix.to_json(stix.briefing_bundle(example, EXAMPLE_BRIEFING))) if o["type"] == "note"]
    assert len(notes) == len(b.key_judgments)
    first, kj = notes[0], b.key_judgments[0]
    assert (kj.likelihood, kj.confidence) == ("likely", "moderate")
    assert first["confidence"] == 50
    assert first["abstract"] == "Key judgment: Likely (55-80%, ICD 203), moderate confidence"
    assert {"likelihood:likely", "likelihood-range:55-80%", "confidence:moderate"} <= set(first["labels"])
    assert first["object_refs"][0] == stix.stix_id("report", example.site.title, EXAMPLE_BRIEFING)


def test_likelihood_ranges_are_the_sites_yardsticks(example: m.Library) -> None:
    phia = dataclasses.replace(example, site=example.site.model_copy(update={"yardstick": "phia"}))
    notes = [o for o in objects(stix.to_json(stix.briefing_bundle(phia, EXAMPLE_BRIEFING))) if o["type"] == "note"]
    assert notes[0]["abstract"] == "Key judgment: Likely (55-75%, PHIA), moderate confidence"


def test_actors_become_identities_locations_and_threat_actors(example: m.Library) -> None:
    found = {o.get("name", o["id"]): o for o in objects(stix.to_json(stix.site_bundle(example)))}
    assert (found["Turkey"]["type"], found["Turkey"]["country"]) == ("location", "TR")  # CLDR says Türkiye
    assert found["Vladimir Putin"]["identity_class"] == "individual"
    assert found["Vladimir Putin"]["roles"] == ["President of Russia"]
    assert found["Chechnya"]["identity_class"] == "unknown"  # kind: other
    assert found["Pro-Turkish groups in Idlib"]["type"] == "threat-actor"
    located = [o for o in found.values() if o.get("relationship_type") == "located-at"]
    assert {(o["source_ref"], o["target_ref"]) for o in located} >= {
        (found["Vladimir Putin"]["id"], found["Russia"]["id"])}


def test_a_state_without_a_country_code_is_an_identity(example: m.Library) -> None:
    atlantis = m.Actor(name="Atlantis", kind="state")
    library = dataclasses.replace(example, actors={**example.actors, "atlantis": atlantis})
    found = {o.get("name", o["id"]): o for o in objects(stix.to_json(stix.site_bundle(library)))}
    assert (found["Atlantis"]["type"], found["Atlantis"]["identity_class"]) == ("identity", "organization")


def test_every_country_code_found_is_one_strict_validation_accepts() -> None:
    codes = set(countries.country_codes("en").values())
    assert codes - set(COUNTRY_CODES) == set()
    assert len(codes) > 240
    assert countries.iso_code(["Nowhere", "Россия"], ["en", "ru"]) == "RU"
    assert countries.iso_code(["Kosovo", "Atlantis"]) is None  # XK: not ISO 3166-1


def test_relations_take_stixs_own_type_only_where_the_pair_allows_it(example: m.Library) -> None:
    relations = [o for o in objects(stix.to_json(stix.site_bundle(example))) if o["type"] == "relationship"]
    assert {o["relationship_type"] for o in relations} == {"related-to", "located-at"}
    rivals = [o for o in relations if o.get("description", "").startswith("Relation 'rival'")]
    assert rivals and all(o["relationship_type"] == "related-to" for o in rivals)
    group = m.Actor(name="Raiders", kind="armed-group", relations=[m.Relation(actor="armenia", type="adversary")])
    library = dataclasses.replace(example, actors={**example.actors, "raiders": group})
    raids = [o for o in objects(stix.to_json(stix.site_bundle(library))) if o.get("source_ref", "").startswith(
        "threat-actor--") and "Relation 'adversary'" in o.get("description", "")]
    assert [o["relationship_type"] for o in raids] == ["targets"]


def test_sources_are_references_with_their_address_and_archive_in_words(example: m.Library) -> None:
    source = next(iter(example.sources.values())).model_copy(update={"archive_url": "https://archive.example/copy"})
    b = example.briefings[EXAMPLE_BRIEFING].model_copy(update={"summary": f"Cited [@{source.id}]."})
    library = dataclasses.replace(example, sources={source.id: source}, briefings={EXAMPLE_BRIEFING: b})
    report = next(o for o in objects(stix.to_json(stix.briefing_bundle(library, EXAMPLE_BRIEFING)))
                  if o["type"] == "report")
    [reference] = [r for r in report["external_references"] if r["external_id"] == source.id]
    assert "url" not in reference  # with a url, strict validation wants hashes of what it points to (302)
    assert source.url in reference["description"]
    assert "Archived copy: https://archive.example/copy." in reference["description"]


# Stable and deterministic ---------------------------------------------------------------------

def test_ids_are_version_4_uuids_made_from_the_record() -> None:
    made = stix.stix_id("report", "Desk", "a-briefing")
    assert made == stix.stix_id("report", "Desk", "a-briefing") != stix.stix_id("report", "Other desk", "a-briefing")
    found = uuid.UUID(made.removeprefix("report--"))
    assert (found.version, found.variant) == (4, uuid.RFC_4122)


def test_an_unrelated_edit_keeps_every_id(example: m.Library) -> None:
    before = objects(stix.to_json(stix.site_bundle(example)))
    b = example.briefings[EXAMPLE_BRIEFING]
    edited = b.model_copy(update={"title": "Another title", "summary": b.summary + "\n\nMore.",
                                  "key_judgments": [*b.key_judgments[:2], *b.key_judgments[3:]]})
    after = objects(stix.to_json(stix.site_bundle(dataclasses.replace(example,
                                                                      briefings={EXAMPLE_BRIEFING: edited}))))
    removed = stix.stix_id("note", example.site.title, EXAMPLE_BRIEFING, b.key_judgments[2].id or "")
    assert {o["id"] for o in before} - {o["id"] for o in after} == {removed}
    assert {o["id"] for o in after} < {o["id"] for o in before}


BUNDLES_OF_THE_EXAMPLE = """
import hashlib, sys
from pathlib import Path
from briefsite.read.library import load_library
from briefsite.render.pages import render_pages
library, _ = load_library(Path(sys.argv[1]))
pages = render_pages(library, Path(sys.argv[2]))
print(hashlib.sha256("".join(t for p, t in sorted(pages.items()) if p.startswith("stix/")).encode()).hexdigest())
"""


def test_two_renders_write_the_same_bytes() -> None:
    """In two processes with different string hashing, so that no set's order can show."""
    command = [sys.executable, "-c", BUNDLES_OF_THE_EXAMPLE, str(EXAMPLE_DATA), str(REPO / "templates")]
    digests = {subprocess.run(command, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True,
                              text=True, check=True).stdout for seed in ("1", "2")}
    assert len(digests) == 1


# Public builds ---------------------------------------------------------------------------------

def test_a_public_render_holds_nothing_of_a_withheld_briefing(example: m.Library) -> None:
    b = example.briefings[EXAMPLE_BRIEFING]
    canary = m.Actor(name="Canary Actor", kind="person")
    withheld = {
        "canary-internal": b.model_copy(update={"title": "Canary internal briefing", "audience": "internal",
                                                "actors": [m.BriefingActor(actor="canary-actor")]}),
        "canary-draft": b.model_copy(update={"title": "Canary draft briefing", "status": "draft"}),
    }
    library = dataclasses.replace(example, briefings={**example.briefings, **withheld},
                                  actors={**example.actors, "canary-actor": canary})
    templates = REPO / "templates"
    internal = render_pages(library, templates)
    public = render_pages(public_subset(library), templates, public=True)
    title = library.site.title
    secrets = ["Canary internal briefing", "Canary draft briefing", "Canary Actor",
               stix.stix_id("report", title, "canary-internal"), stix.stix_id("report", title, "canary-draft"),
               stix.stix_id("identity", title, "actor", "canary-actor")]
    assert [secret for secret in secrets if secret not in internal["stix/bundle.json"]] == []
    secrets += ["canary-internal", "canary-draft", "canary-actor"]
    assert {"stix/canary-internal.json", "stix/canary-draft.json"} <= set(internal)
    shown = {page: text for page, text in public.items() if page.startswith("stix/")}
    assert sorted(shown) == ["stix/bundle.json", f"stix/{EXAMPLE_BRIEFING}.json"]
    assert [secret for secret in secrets for text in shown.values() if secret in text] == []
    assert_valid(shown["stix/bundle.json"])


def test_the_live_preview_makes_no_bundles(example: m.Library) -> None:
    """Its renders leave them out (render_pages(stix=False)): the site's would be made again at every edit."""
    pages = render_pages(example, REPO / "templates", stix=False)
    assert "index.md" in pages and not [page for page in pages if page.startswith("stix/")]


def test_the_site_bundle_written_as_it_is_made_is_the_bundle(example: m.Library, tmp_path: Path) -> None:
    """site_bundle_json (what the build writes, without the whole bundle's objects in memory
    at once) gives the text of the whole bundle made first, marking definitions and all."""
    generate(tmp_path / "data", 30, seed=5)
    library, _ = load_library(tmp_path / "data")
    assert library is not None
    for lib in (example, library):
        assert stix.site_bundle_json(lib) == stix.to_json(stix.site_bundle(lib)).encode("utf-8")
    assert b'"type": "marking-definition"' in stix.site_bundle_json(example)
