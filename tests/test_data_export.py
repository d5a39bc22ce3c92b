"""Files for other tools: the Atom feeds of each tag, region and actor beside the site's, the
links to them in the pages' heads, and the JSON export of the briefings with its schemas
(docs/data.md)."""

from __future__ import annotations

import dataclasses
import json
import posixpath
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest

from bench.corpus import generate
from briefsite.core import model as m
from briefsite.core.project import Project
from briefsite.core.publish import public_subset
from briefsite.read.library import load_library
from briefsite.render import data, views
from briefsite.render.feed import FEED_ENTRIES, entry_updated
from briefsite.render.index import LibraryIndex
from briefsite.render.pages import render_pages
from tests.conftest import EXAMPLE_DATA, REPO

TEMPLATES = REPO / "templates"
ATOM = "application/atom+xml"


def _library(folder: Path) -> m.Library:
    library, report = load_library(folder)
    assert library is not None, [p.format() for p in report.errors]
    return library


def _linked_briefing(href: str) -> str:
    found = re.search(r"briefings/([^/]+)\.html$", href)
    assert found, href
    return found.group(1)


def _expected_feeds(lib: m.Library) -> dict[str, list[str]]:
    """Each feed of a part of the library, by path: the ids it holds, newest first."""
    index = LibraryIndex(lib)
    groups = {("tag", g.name): g for g in views.by_tag(lib)} | {("region", g.name): g for g in views.by_region(lib)}
    return {path: index.naming(key) if kind == "actor" else [bid for bid, _ in groups[(kind, key)].briefings]
            for (kind, key), path in views.feed_paths(lib).items()}


@pytest.mark.parametrize("fixture", ["built_example", "built_large"])
def test_every_feed_parses_and_holds_its_briefings(fixture: str, request: pytest.FixtureRequest) -> None:
    project: Project = request.getfixturevalue(fixture)
    lib = _library(project.data)
    expected = _expected_feeds(lib)
    made = sorted(p.relative_to(project.site).as_posix() for p in (project.site / "feeds").rglob("*.xml"))
    assert made == sorted(expected), "a feed per tag, per region and per actor, and no other"
    assert {p.split("/")[1] for p in made} == {"tags", "regions", "actors"}
    ids = set()
    for path in ["feed.xml", *made]:
        parsed = feedparser.parse((project.site / path).read_bytes())
        assert parsed.bozo == 0, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.feed.id not in ids, f"{path}: its id is another feed's"
        ids.add(parsed.feed.id)
        self_link = next(x.href for x in parsed.feed.links if x.rel == "self")
        assert self_link.endswith(path if path == "feed.xml" else posixpath.basename(path)), path
        if path == "feed.xml":
            continue
        held = [_linked_briefing(e.link) for e in parsed.entries]
        newest = sorted(expected[path], key=lambda bid: (entry_updated(lib.briefings[bid]), bid), reverse=True)
        assert held == newest[:FEED_ENTRIES], f"{path}: its briefings, latest change first"
        assert parsed.feed.title.startswith(f"{lib.site.title}: Briefings ")


class _Head(HTMLParser):
    """The Atom feeds a page's head links to."""

    def __init__(self) -> None:
        super().__init__()
        self.feeds: list[dict[str, str]] = []
        self.in_head = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "body":
            self.in_head = False
        rels = found.get("rel", "").split()
        if tag == "link" and self.in_head and "alternate" in rels and found.get("type") == ATOM:
            self.feeds.append(found)


def _head_feeds(site: Path, page: str) -> list[str]:
    """The files (from the site's root) of the feeds a page's head links to; each must exist."""
    parser = _Head()
    parser.feed((site / page).read_text(encoding="utf-8"))
    found = []
    for link in parser.feeds:
        assert link.get("title"), f"{page}: a feed link without a title"
        href = link["href"]  # relative: the built sites have no site_url
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
        assert (site / target).is_file(), f"{page} links {href}, which the site does not have"
        found.append(target)
    return found


def test_heads_link_the_feeds_of_their_pages(built_example: Project, built_large: Project) -> None:
    lib = _library(built_example.data)
    site = built_example.site
    assert _head_feeds(site, "index.html") == ["feed.xml"], "the site's feed, on every page"
    assert _head_feeds(site, "glossary.html") == ["feed.xml"]
    actor = next(iter(lib.actors))
    assert _head_feeds(site, f"actors/{actor}.html") == ["feed.xml", f"feeds/actors/{actor}.xml"]
    tags = _head_feeds(site, "tags/index.html")
    assert tags[1:] == [views.feed_paths(lib)[("tag", g.name)] for g in views.by_tag(lib)], \
        "the tags on one page: the feed of each"
    assert _head_feeds(site, "regions.html")[1:] == [
        views.feed_paths(lib)[("region", g.name)] for g in views.by_region(lib) if g.anchor != "region-none"]
    page = (site / f"actors/{actor}.html").read_text(encoding="utf-8")
    assert f'href="../feeds/actors/{actor}.xml" type="{ATOM}"' in page, "and visibly, on the page"
    # groups on pages of their own: each page links its group's feed
    large = built_large.site
    pages = sorted((large / "tags").glob("tag-*.html"))
    assert pages, "the large library's tags have pages of their own"
    for tag_page in pages:
        feeds = _head_feeds(large, tag_page.relative_to(large).as_posix())
        assert len(feeds) == 2 and feeds[1].startswith("feeds/tags/"), tag_page.name
    assert _head_feeds(large, "tags/index.html") == ["feed.xml"], "the index of the pages of the tags: none of its own"
    index = (large / "tags" / "index.html").read_text(encoding="utf-8")
    assert index.count(f'type="{ATOM}" aria-label=') == len(views.by_tag(_library(built_large.data))), \
        "it lists each tag's feed beside its pages"
    region_page = next((large / "regions").glob("region-*.html"))
    assert _head_feeds(large, region_page.relative_to(large).as_posix())[1].startswith("feeds/regions/")


def _schema_of(file: Path, document: dict[str, Any]) -> Path:
    return (file.parent / document["$schema"]).resolve()  # relative: the built sites have no site_url


@pytest.mark.parametrize("fixture", ["built_example", "built_large"])
def test_every_json_file_validates_against_its_schema(fixture: str, request: pytest.FixtureRequest) -> None:
    """JSON Schema Draft 2020-12, formats checked."""
    project: Project = request.getfixturevalue(fixture)
    site = project.site
    lib = _library(project.data)
    for schema_file in (site / "data" / "schema").glob("*.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(schema_file.read_text(encoding="utf-8")))
    files = sorted(p for p in (site / "data").rglob("*.json") if "schema" not in p.relative_to(site).parts)
    assert len(files) == len(lib.briefings) + 1, "the list, and a file per briefing"
    for file in files:
        document = json.loads(file.read_text(encoding="utf-8"))
        schema = json.loads(_schema_of(file, document).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    listed = json.loads((site / "data" / "briefings.json").read_text(encoding="utf-8"))
    assert [b["id"] for b in listed["briefings"]] == list(lib.briefings), "every briefing, newest first"
    for entry in listed["briefings"]:
        assert (site / "data" / entry["data"]).is_file()


def test_a_long_list_continues_in_pages(mixed: m.Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "INDEX_PAGE", 6)
    paths = data.index_pages(len(mixed.briefings))
    assert paths == ["data/briefings.json", "data/briefings-2.json", "data/briefings-3.json"]
    schema = json.loads(data.schema_text("list", None))
    path: str | None = data.INDEX
    seen: list[str] = []
    while path is not None:
        document = json.loads(data.briefings_list(mixed, paths.index(path) + 1, None, False))
        jsonschema.Draft202012Validator(schema).validate(document)
        assert document["count"] == 16 and document["pages"] == 3
        seen += [b["id"] for b in document["briefings"]]
        path = posixpath.normpath(posixpath.join(posixpath.dirname(path), document["next"])) \
            if document["next"] else None
    assert seen == list(mixed.briefings)


def test_judgments_carry_their_terms_range_and_sources_their_records() -> None:
    lib = _library(EXAMPLE_DATA)
    bid, b = next(iter(lib.briefings.items()))
    record = json.loads(data.briefing_record(lib, bid, "https://example.org/briefs/", pdf_links=True))
    kj = next(k for k in b.key_judgments if k.likelihood)
    out = record["key_judgments"][b.key_judgments.index(kj)]
    assert out["likelihood"]["term"] == kj.likelihood and out["likelihood"]["low"] < out["likelihood"]["high"]
    assert {s["id"] for s in record["sources"]} == b.cited_sources() & set(lib.sources)
    assert record["url"] == f"https://example.org/briefs/briefings/{bid}.html"
    assert record["pdf"] == f"https://example.org/briefs/pdf/{bid}.pdf"
    assert record["$schema"] == "https://example.org/briefs/data/schema/briefing.json"
    assert "[[" not in json.dumps(record) and "[@" not in json.dumps(record), "plain text, links by their titles"


def test_two_names_of_one_slug_get_two_feeds() -> None:
    lib = _library(EXAMPLE_DATA)
    bid, b = next(iter(lib.briefings.items()))
    tagged = dataclasses.replace(lib, briefings={bid: b.model_copy(update={"tags": ["Côte", "cote", "台湾", "COTE!"]})})
    paths = {key: path for (kind, key), path in views.feed_paths(tagged).items() if kind == "tag"}
    assert len(set(paths.values())) == 4
    assert paths["cote"] == "feeds/tags/cote.xml", "the first in alphabetical order keeps the slug"
    assert re.fullmatch(r"feeds/tags/cote-[0-9a-f]{8}\.xml", paths["Côte"])
    assert re.fullmatch(r"feeds/tags/cote-[0-9a-f]{8}\.xml", paths["COTE!"])
    assert re.fullmatch(r"feeds/tags/[0-9a-f]{8}\.xml", paths["台湾"]), "no ASCII in the name: a digest of it"
    assert views.feed_paths(tagged) == views.feed_paths(tagged), "the same every time"


def _files_for_tools(pages: dict[str, str]) -> Iterator[tuple[str, str]]:
    return ((path, text) for path, text in pages.items() if path.startswith(("feeds/", "data/", "feed.xml")))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> m.Library:
    """A small library with internal briefings and drafts beside public ones."""
    folder = tmp_path_factory.mktemp("mixed") / "data"
    generate(folder, 16, seed=11)
    lib = _library(folder)
    withheld = [b for b in lib.briefings.values() if not (b.status == "final" and b.audience == "public")]
    assert withheld and len(withheld) < len(lib.briefings)
    return lib


def test_a_public_render_holds_nothing_withheld(mixed: m.Library) -> None:
    internal = render_pages(mixed, TEMPLATES)
    published = public_subset(mixed)
    public = render_pages(published, TEMPLATES, public=True)
    hidden_briefings = set(mixed.briefings) - set(published.briefings)
    hidden_actors = set(mixed.actors) - set(published.actors)
    hidden_sources = set(mixed.sources) - set(published.sources)
    assert hidden_briefings
    titles = {mixed.briefings[bid].title for bid in hidden_briefings} - {b.title for b in published.briefings.values()}
    urls = {str(mixed.sources[sid].url) for sid in hidden_sources}
    for bid in hidden_briefings:
        assert f"data/briefings/{bid}.json" in internal
        assert f"data/briefings/{bid}.json" not in public
    for aid in hidden_actors:
        assert f"feeds/actors/{aid}.xml" in internal and f"feeds/actors/{aid}.xml" not in public
    hidden_tags = {t for b in mixed.briefings.values() for t in b.tags} - {
        t for b in published.briefings.values() for t in b.tags}
    for path, text in _files_for_tools(public):
        for bid in hidden_briefings:
            assert f"briefings/{bid}." not in text, f"{path} links the withheld briefing {bid}"
        for title in titles:
            assert title not in text, f"{path} names the withheld briefing {title!r}"
        for url in urls:
            assert url not in text, f"{path} has a withheld source's address"
        for tag in hidden_tags:
            assert f'term="{tag}"' not in text and f'"{tag}"' not in text, f"{path} has the withheld tag {tag}"
    assert any(title in text for title in titles for _, text in _files_for_tools(internal)), "the internal one does"


def test_two_renders_are_byte_identical(mixed: m.Library) -> None:
    first = dict(_files_for_tools(render_pages(mixed, TEMPLATES, pdf_links=True)))
    second = dict(_files_for_tools(render_pages(mixed, TEMPLATES, pdf_links=True)))
    assert first == second and any(p.startswith("feeds/") for p in first) and data.INDEX in first
    assert all(text.encode("utf-8").decode("utf-8") == text for text in first.values())


def test_feed_titles_in_the_head_are_escaped(built_attack: Project) -> None:
    """An actor's name that attacks the reader stays text in its feed link's title."""
    site = built_attack.site
    lib = _library(built_attack.data)
    for page in sorted((site / "actors").glob("attack-*.html")):
        parser = _Head()
        parser.feed(page.read_text(encoding="utf-8"))
        assert len(parser.feeds) == 2, page.name
        name = lib.actors[page.stem].name
        assert parser.feeds[1]["title"] == views.feed_title("actor", name), page.name
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert "<script>alert" not in head and "<iframe" not in head, page.name


def test_a_briefings_earlier_versions_are_in_the_feeds_that_hold_it(built_versions: Project) -> None:
    """As in the site's feed: an entry per earlier issued version, saying what changed."""
    site = built_versions.site
    main = feedparser.parse((site / "feed.xml").read_bytes())
    feeds = sorted((site / "feeds").rglob("*.xml"))
    assert feeds
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, path.name
        if parsed.entries:
            assert [e.id for e in parsed.entries] == [e.id for e in main.entries], path.name
    assert len(main.entries) > 1, "the desk's one briefing, and its earlier versions"
