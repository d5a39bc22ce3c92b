"""Public builds: nothing of an internal or draft briefing appears anywhere in the site."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from briefsite.app import BuildOptions, build
from briefsite.core.errors import SiteError
from briefsite.core.project import Project
from briefsite.core.publish import public_subset
from briefsite.read.library import load_library
from tests.conftest import copy_project

pytestmark = pytest.mark.slow

CANARY = "zqcanary"
PUBLISHED = "russia-options-nagorno-karabakh"


def withheld_briefing(status: str, audience: str, tag: str) -> str:
    c = f"{CANARY}{tag}"
    return f"""\
title: Title {c}
date: 2020-10-20
status: {status}
audience: {audience}
marking: Marking {c}
authors: [Author {c}]
region: Region {c}
tags: [tag{c}]
summary: Summary {c} [@{c}-src] [[{c}-actor]] [[putin]]
key_judgments:
  - text: Judgment {c}
    likelihood: likely
    confidence: low
    sources: [{c}-src]
assumptions: [Assumption {c}]
actors:
  - actor: {c}-actor
    role: Role {c}
  - actor: putin
    role: Role of Putin {c}
timeline:
  - date: 2020-10-19
    event: Event {c}
    actors: [{c}-actor, putin]
    sources: [{c}-src]
scenarios:
  - title: Scenario {c}
    likelihood: unlikely
    description: Description {c} uses the term Term{c}
    implications: Implications {c}
    indicators:
      - Indicator {c}
      - text: Indicator two {c}
        status: observed
sections:
  - title: Section {c}
    body: Body {c}
related: [{PUBLISHED}]
updates:
  - date: 2020-10-21
    note: Note {c}
"""


@pytest.fixture(scope="module")
def canary_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("public"))
    # a public build needs the site's address (its sitemap and feed name it)
    project.config.write_text(project.config.read_text(encoding="utf-8").replace(
        "site_url: !ENV [SITE_URL]", "site_url: https://example.org/briefs/"), encoding="utf-8")
    data = project.data
    for tag, status, audience in (("internal", "final", "internal"), ("draft", "draft", "public")):
        c = f"{CANARY}{tag}"
        (data / "briefings" / f"{c}.yaml").write_text(withheld_briefing(status, audience, tag), encoding="utf-8")
        (data / "actors" / f"{c}-actor.yaml").write_text(
            f"name: Actor {c}\nnative_name: Native {c}\nkind: person\nsummary: Profile {c}\n"
            f"relations:\n  - actor: putin\n    type: rival\n    note: Relation {c}\n    sources: [{c}-src]\n",
            encoding="utf-8")
        (data / "sources" / f"{c}.yaml").write_text(
            f"- id: {c}-src\n  title: Source {c}\n  url: https://example.org/{c}\n  publisher: Publisher {c}\n"
            f"  kind: news\n  note: Note {c}\n", encoding="utf-8")
        with (data / "glossary.yaml").open("a", encoding="utf-8") as f:
            f.write(f"- id: {c}-term\n  term: Term{c}\n  definition: Definition {c}\n")
    # the published briefing points at a withheld one: the link must go, not the briefing
    path = data / "briefings" / f"{PUBLISHED}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"\nrelated: [{CANARY}internal]\n" if "\nrelated:" not in text else text, encoding="utf-8")
    return project


def site_text(site: Path) -> str:
    """All text of a built site: pages, search index, sitemaps, and the text of any PDF."""
    chunks: list[str] = []
    for file in site.rglob("*"):
        if not file.is_file():
            continue
        if file.suffix == ".gz" or file.suffix.startswith(".pf_"):  # the search index's pieces are gzip
            chunks.append(gzip.decompress(file.read_bytes()).decode("utf-8", "replace"))
        elif file.suffix == ".pdf":
            from pypdf import PdfReader

            chunks.extend(page.extract_text() or "" for page in PdfReader(file).pages)
            chunks.append(file.read_bytes().decode("latin-1"))
        elif file.suffix in (".html", ".json", ".xml", ".js", ".txt", ".md", ".csv", ".bib", ""):
            text = file.read_text(encoding="utf-8", errors="replace")
            chunks += [text, unquote(text)]  # and the citations' data: addresses, percent-encoded
        chunks.append(file.name)
    return "\n".join(chunks)


def test_normal_build_shows_everything(canary_project: Project) -> None:
    """The canary is findable when it should be, so the public test below can fail."""
    build(canary_project, BuildOptions(quiet=True))
    text = site_text(canary_project.site).lower()
    index = site_text(canary_project.site / "pagefind").lower()
    for tag in ("internal", "draft"):
        assert f"{CANARY}{tag}" in text
        assert f"{CANARY}{tag}" in index, "the search index holds what the pages show"


def test_public_build_leaks_nothing(canary_project: Project) -> None:
    build(canary_project, BuildOptions(quiet=True, public=True))
    site = canary_project.site
    text = site_text(site).lower()
    leaks = sorted({m.group(0) for m in re.finditer(rf"\w*{CANARY}\w*", text)})
    assert not leaks, f"withheld content in the public site: {leaks}"
    assert (site / "briefings" / f"{PUBLISHED}.html").is_file()
    assert (site / "actors" / "putin.html").is_file()
    assert not list(site.glob(f"**/*{CANARY}*"))


def test_public_subset_keeps_what_published_briefings_use(canary_project: Project) -> None:
    library, report = load_library(canary_project.data)
    assert library is not None, report.errors
    public = public_subset(library)
    assert list(public.briefings) == [PUBLISHED]
    assert "putin" in public.actors and f"{CANARY}internal-actor" not in public.actors
    assert "mt-options" in public.sources and f"{CANARY}internal-src" not in public.sources
    assert "kazan-formula" in public.terms and f"{CANARY}internal-term" not in public.terms
    assert public.briefings[PUBLISHED].related == []


def test_a_public_build_without_an_address_says_how_to_give_one(project: Project,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    with pytest.raises(SiteError) as err:
        build(project, BuildOptions(quiet=True, public=True, pdf=False))
    assert "SITE_URL" in str(err.value) and "site_url" in str(err.value)
    assert not project.site.exists()


def test_a_public_build_has_a_full_sitemap(canary_project: Project) -> None:
    build(canary_project, BuildOptions(quiet=True, public=True, pdf=False))
    sitemap = (canary_project.site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"https://example.org/briefs/briefings/{PUBLISHED}.html" in sitemap
    assert "https://example.org/briefs/actors/putin.html" in sitemap
