"""Rendering the example: golden files of every generated page, and what pages must hold."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import itertools
import posixpath
import shutil
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import generate
from briefsite.core import model as m
from briefsite.core.errors import RenderError
from briefsite.incremental import memory as incremental_memory
from briefsite.incremental.memory import Memory
from briefsite.incremental.pages import PageMemo
from briefsite.read.library import load_library
from briefsite.render import pages as render_module
from briefsite.render import views
from briefsite.render.environment import md_text
from briefsite.render.index import page_url
from briefsite.render.pages import render_pages
from briefsite.render.versions import version_setting
from tests.conftest import EXAMPLE_DATA, REPO

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    library, report = load_library(EXAMPLE_DATA)
    assert library is not None, [p.format() for p in report.errors]
    return render_pages(library, REPO / "templates")


def test_golden_pages(pages: dict[str, str], request: pytest.FixtureRequest) -> None:
    """Every generated page equals its reviewed copy in tests/golden (`make golden` rewrites them)."""
    if request.config.getoption("--update-golden"):
        for old in GOLDEN.rglob("*.*"):
            old.unlink()
        for rel, text in pages.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.*")}
    assert sorted(expected) == sorted(pages), "pages added or removed: run `make golden` and review the diff"
    for rel, text in pages.items():
        if text != expected[rel]:
            diff = "".join(difflib.unified_diff(expected[rel].splitlines(True), text.splitlines(True), rel, rel, n=1))
            pytest.fail(f"{rel} differs from its golden copy (run `make golden` and review):\n{diff[:3000]}")


def test_home_lists_briefings_newest_first(pages: dict[str, str]) -> None:
    home = pages["index.md"]
    assert "Russia's options in Nagorno-Karabakh" in home.replace("&#x27;", "'").replace("&#39;", "'")
    assert "status-final" in home and "South Caucasus" in home


def test_one_footnote_number_per_source_per_page(pages: dict[str, str]) -> None:
    page = pages["briefings/russia-options-nagorno-karabakh.md"]
    assert page.count('<li id="source-mt-options">') == 1
    assert 'href="#source-mt-options"' in page
    assert ">[1]<" in page and ">[2]<" not in page.split('<li id="source-')[0].split("[1]")[0]


def test_wikilinks_become_relative_links(pages: dict[str, str]) -> None:
    page = pages["briefings/russia-options-nagorno-karabakh.md"]
    assert 'href="../actors/putin.html"' in page
    assert 'href="../glossary.html#kazan-formula"' in page


def test_glossary_terms_show_their_definition_on_first_use(pages: dict[str, str]) -> None:
    page = pages["briefings/russia-options-nagorno-karabakh.md"]
    assert page.count('<abbr class="term" title="') >= 1


def test_actor_page_has_native_name_relations_and_backlinks(pages: dict[str, str]) -> None:
    page = pages["actors/pashinyan.md"]
    assert "Նիկոլ Փաշինյան" in page
    assert "../briefings/russia-options-nagorno-karabakh.html" in page


def test_native_names_are_marked_with_their_language(pages: dict[str, str]) -> None:
    """A screen reader reads a native name in its own language (and a native name that is
    the name itself is not shown twice)."""
    assert '<p class="native-name" lang="hy">Նիկոլ Փաշինյան</p>' in pages["actors/pashinyan.md"]
    assert '<td lang="ru">Владимир Путин</td>' in pages["actors/index.md"]
    briefing = pages["briefings/russia-options-nagorno-karabakh.md"]
    assert '<span class="native-name" lang="az">İlham Əliyev</span>' in briefing
    assert 'class="native-name"' not in pages["actors/erdogan.md"]  # "Recep Tayyip Erdoğan" twice
    assert "Türkiye" in pages["actors/turkey.md"]


def test_languages_that_run_right_to_left_and_unknown_ones() -> None:
    library, _ = load_library(EXAMPLE_DATA)
    assert library is not None
    actors = dict(library.actors)
    actors["putin"] = actors["putin"].model_copy(update={"native_name": "فلاديمير بوتين", "native_lang": "ar"})
    actors["lavrov"] = actors["lavrov"].model_copy(update={"native_lang": None})
    sources = {k: v.model_copy(update={"language": "ru"}) if k == "mt-options" else v
               for k, v in library.sources.items()}
    out = render_pages(dataclasses.replace(library, actors=actors, sources=sources), REPO / "templates")
    assert '<p class="native-name" lang="ar" dir="rtl">فلاديمير بوتين</p>' in out["actors/putin.md"]
    assert '<p class="native-name" lang="" dir="auto">Сергей Лавров</p>' in out["actors/lavrov.md"]
    assert 'class="source-title" lang="ru">Russia&#39;s Options' in out["actors/putin.md"]
    assert '<a href="https://www.themoscowtimes.com/2020/10/15/russias-options-in-nagorno-karabakh-range-from-' \
        'bad-to-worse-a71760" lang="ru">' in out["sources.md"]


def test_a_source_cited_inline_and_listed_gets_one_marker() -> None:
    """"... interferes militarily [1]." and not "... [1]. [1],[2]": the listed sources add markers
    only for the ones the text does not cite already."""
    library, _ = load_library(EXAMPLE_DATA)
    assert library is not None
    bid, b = next(iter(library.briefings.items()))
    kj = b.key_judgments[0].model_copy(update={"text": "Baku presses on [@mt-options].",
                                               "sources": ["mt-options", "mt-final-battle"]})
    briefings = {bid: b.model_copy(update={"key_judgments": [kj, *b.key_judgments[1:]]})}
    page = render_pages(dataclasses.replace(library, briefings=briefings), REPO / "templates")[f"briefings/{bid}.md"]
    judgment = page.split("Baku presses on", 1)[1].split("</div>", 1)[0]
    assert judgment.count('href="#source-mt-options"') == 1
    assert judgment.count('href="#source-mt-final-battle"') == 1


def test_graphs_are_told_in_words(pages: dict[str, str]) -> None:
    """Under each drawing, the same relations as sentences, and the drawing's native names
    marked with their language."""
    page = pages["actors/armenia.md"]
    words = page.split('<details class="graph-in-words"><summary>The graph in words</summary><ul>')[1]
    words = words.split("</ul></details>")[0]
    assert "<li>Armenia and Azerbaijan are adversaries: At war over Nagorno-Karabakh" in words
    assert "<li>Nikol Pashinyan leads Armenia: Prime Minister of Armenia.</li>" in words
    assert "<li>OSCE Minsk Group mediates for Armenia: " in words
    assert words.count("<li>") == 5  # Azerbaijan, Russia, the defence ministry, Pashinyan, the Minsk Group
    assert 'lang="hy">Հայաստան</text>' in page
    briefing = pages["briefings/russia-options-nagorno-karabakh.md"]
    assert briefing.count('<details class="graph-in-words">') == 1
    assert "<li>Russia and Armenia are allies: " in briefing


@pytest.mark.parametrize(("src", "dst", "url"), [
    ("index.md", "actors/putin.md", "actors/putin.html"),
    ("briefings/a.md", "actors/putin.md", "../actors/putin.html"),
    ("actors/putin.md", "actors/lavrov.md", "lavrov.html"),
    ("briefings/a.md", "glossary.md", "../glossary.html"),
])
def test_page_url(src: str, dst: str, url: str) -> None:
    assert page_url(src, dst) == url


def test_page_url_is_what_relpath_gives() -> None:
    pages = ["index.md", "sources.md", "briefings/a.md", "actors/x.md", "actors/index.md", "tags/index.md",
             "feed.xml", "pdf/a.pdf", "a/b/c.md", "a/d.md", "a/b/e.md"]
    for src, dst in itertools.product(pages, pages):
        expected = posixpath.relpath(dst.removesuffix(".md") + (".html" if dst.endswith(".md") else ""),
                                     posixpath.dirname(src) or ".")
        assert page_url(src, dst) == expected, (src, dst)


def test_heading_text_cannot_become_markup() -> None:
    assert md_text("<b>x</b> {: onclick=alert(1)} # [a](b)") == \
        r"&lt;b&gt;x&lt;/b&gt; \{: onclick=alert\(1\)\} \# \[a\]\(b\)"


# --- Pages kept from an earlier render (PageMemo) ---------------------------------------

def _corpus_library(tmp_path: Path, briefings: int = 8) -> m.Library:
    """A small generated library: several briefings that relate, cite and link to each other."""
    generate(tmp_path / "data", briefings, seed=3)
    library, report = load_library(tmp_path / "data")
    assert library is not None, [p.format() for p in report.errors]
    return library


def _ids_other_than(pool: Iterable[str], taken: Iterable[str]) -> str | None:
    return next((i for i in pool if i not in set(taken)), None)


def _literals(annotation: Any) -> list[Any]:
    """The values a vocabulary field allows (Literal, possibly inside Optional)."""
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return [lit for arg in typing.get_args(annotation) for lit in _literals(arg)]


def _record_class(annotation: Any) -> type[m.Record] | None:
    """The record class a field holds (itself, in a list, or inside Annotated), if any."""
    if isinstance(annotation, type) and issubclass(annotation, m.Record):
        return annotation
    return next((found for arg in typing.get_args(annotation) if (found := _record_class(arg))), None)


def _id_pools(lib: m.Library) -> dict[str, list[str]]:
    return {"actor": list(lib.actors), "actors": list(lib.actors), "sources": list(lib.sources),
            "related": list(lib.briefings), "translation_of": list(lib.briefings),
            "country": [a for a, r in lib.actors.items() if r.kind == "state"],
            "judgments": [kj.id for b in lib.briefings.values() for kj in b.key_judgments if kj.id] or ["added-id"]}


_EDGES = {"south": 39.0, "west": 45.0, "north": 41.0, "east": 47.0}
"""A briefing's area as a box (around the South Caucasus)."""


def _sample(name: str, cls: type[m.Record], lib: m.Library, link_to: str) -> Any:
    """A valid value for a field that holds none, whatever its kind."""
    annotation = cls.model_fields[name].annotation
    record = _record_class(annotation)
    single: Any
    if record is not None:
        single = _sample_record(record, lib, link_to)
    elif name in _id_pools(lib):
        single = _id_pools(lib)[name][0]
    elif literals := _literals(annotation):
        single = literals[0]
    elif name in ("url", "archive_url"):
        single = "https://archive.example.org/copy"
    elif name in ("date", "published", "accessed", "on", "observed_on"):
        single = "2020-10-01"
    elif name in ("native_lang", "language", "lang"):
        single = "hy"
    elif name == "id":
        single = "added-id"
    elif name in _EDGES:
        single = _EDGES[name]
    elif name == "location":  # a point, which actors and timeline events both take
        single = (40.0, 45.0)
    elif name == "place":
        single = next(iter(lib.places), "added-place")
    elif name in cls.markdown_fields:
        single = f"Added, about [[{link_to}]] [@{next(reversed(lib.sources))}]."
    else:
        single = "Added"
    return [single] if typing.get_origin(annotation) is list or "list[" in str(annotation) else single


def _sample_record(cls: type[m.Record], lib: m.Library, link_to: str) -> m.Record:
    """A record of the class with its required fields filled in."""
    return cls.model_validate({name: _sample(name, cls, lib, link_to)
                               for name, f in cls.model_fields.items() if f.is_required()})


def _changed_values(name: str, value: Any, cls: type[m.Record], lib: m.Library, link_to: str) -> Iterator[Any]:
    """Other values a field could take that still make a valid library (one for a field that holds none)."""
    if isinstance(value, dict):  # names by language: one more
        yield {**value, "hy": "Ավելացված"}
        return
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, float) for v in value):
        yield (value[0] - 0.5, value[1] + 0.5)  # a point moved
        return
    if value is None or value == []:
        yield _sample(name, cls, lib, link_to)
        return
    literals = _literals(cls.model_fields[name].annotation)
    if name in _id_pools(lib):
        pool = _id_pools(lib)[name]
        if isinstance(value, list):
            extra = _ids_other_than(pool, value)
            if extra is not None:
                yield [*value, extra]
            yield value[:-1]
        elif isinstance(value, str):
            other = _ids_other_than(pool, [value])
            yield other if other is not None or cls.model_fields[name].is_required() else None
    elif literals:
        yield from [lit for lit in literals if lit != value][:1]
    elif isinstance(value, bool):
        yield not value
    elif isinstance(value, dt.date):
        yield value - dt.timedelta(days=1)
    elif isinstance(value, float):  # an edge of a box: moved out by half a degree, still valid
        yield value - 0.5
    elif name == "date":  # a timeline date, perhaps partial
        yield "2019-01" if value != "2019-01" else "2019"
    elif name in ("url", "archive_url"):
        yield f"{value}/moved"
    elif name in ("native_lang", "language", "lang"):
        yield "ar" if value != "ar" else "hy"
    elif name == "id":  # a judgment's or a scenario's
        yield f"{value}-more"
    elif isinstance(value, str):
        if name in cls.markdown_fields:  # new links and citations change what other pages show
            yield f"{value} More, about [[{link_to}]] [@{next(reversed(lib.sources))}]."
            yield f"A new first sentence. {value}"  # lists show a summary's first sentence
        yield f"{value} More."
    elif isinstance(value, list) and isinstance(value[0], str):
        yield [*value, "Added"]


def _variants(record: m.Record, lib: m.Library, link_to: str, where: str = "") -> Iterator[tuple[str, m.Record]]:
    """(what changed, the record changed in one field), for every field, nested ones too: a field
    that holds nothing gets a value, a list of records that is empty gets one, whose fields vary too."""
    cls = type(record)
    for name in cls.model_fields:
        if name == "id" and not where:  # a record's own id is its file's name; a judgment's id is a field
            continue
        value = getattr(record, name)
        inner_class = _record_class(cls.model_fields[name].annotation)
        if inner_class is not None and isinstance(value, list):
            first = value[0] if value else _sample_record(inner_class, lib, link_to)
            for what, inner in _variants(first, lib, link_to, f"{where}{name}[0]."):
                yield what, record.model_copy(update={name: [inner, *value[1:]]})
            if value:
                yield f"{where}{name} (one fewer)", record.model_copy(update={name: value[1:]})
            else:
                yield f"{where}{name} (one added)", record.model_copy(update={name: [first]})
        elif inner_class is not None:  # one record in a field (an outcome), or none yet
            inner_record = value if value is not None else _sample_record(inner_class, lib, link_to)
            for what, inner in _variants(inner_record, lib, link_to, f"{where}{name}."):
                yield what, record.model_copy(update={name: inner})
            if value is not None:
                yield f"{where}{name} (removed)", record.model_copy(update={name: None})
        else:
            for new in _changed_values(name, value, cls, lib, link_to):
                changed = cls.model_validate({**record.model_dump(), name: new})
                yield f"{where}{name}", changed


def _in_list(annotation: Any, inner: type[m.Record]) -> bool:
    """The field holds a list of `inner` (not one, as a briefing's area holds one box or a list of codes)."""
    if typing.get_origin(annotation) is list:
        return _record_class(typing.get_args(annotation)[0]) is inner
    return any(_in_list(arg, inner) for arg in typing.get_args(annotation))


def _model_fields(cls: type[m.Record], where: str = "") -> Iterator[str]:
    """Every field of a record class, nested records' too, as _variants names them."""
    for name, info in cls.model_fields.items():
        if name == "id" and not where:
            continue
        inner = _record_class(info.annotation)
        if inner is not None:
            in_list = _in_list(info.annotation, inner)
            yield from _model_fields(inner, f"{where}{name}[0]." if in_list else f"{where}{name}.")
        else:
            yield f"{where}{name}"


def _library_variants(lib: m.Library) -> Iterator[tuple[str, m.Library]]:
    named = {bid: b.named_actors() for bid, b in lib.briefings.items()}
    for kind in ("briefings", "actors", "sources", "terms", "places"):
        records: dict[str, Any] = getattr(lib, kind)
        rid = next(iter(records))
        # A link to an actor the briefing did not name yet: that actor's backlinks change.
        link_to = _ids_other_than(lib.actors, named.get(rid, ()))
        assert link_to is not None
        for what, changed in _variants(records[rid], lib, link_to):
            changes: dict[str, Any] = {kind: {**records, rid: changed}}
            yield f"{kind}/{rid}: {what}", dataclasses.replace(lib, **changes)
    for what, changed_site in _variants(lib.site, lib, next(iter(lib.actors))):
        yield f"site: {what}", dataclasses.replace(lib, site=typing.cast(m.SiteConfig, changed_site))
    yield from _records_added(lib)


def _records_added(lib: m.Library) -> Iterator[tuple[str, m.Library]]:
    """A new record of each kind: lists, backlinks, links and hovers on other pages change."""
    first = next(iter(lib.briefings.values()))
    briefing = first.model_copy(update={"id": "added", "title": "An added briefing", "date": dt.date(2030, 1, 1)})
    yield "briefings: added", dataclasses.replace(lib, briefings={"added": briefing, **lib.briefings})
    ally = m.Relation(actor=next(iter(lib.actors)), type="ally")
    actor = m.Actor(id="added", name="An Added Actor", relations=[ally])
    yield "actors: added", dataclasses.replace(lib, actors={**lib.actors, "added": actor})
    source = m.Source(id="added", title="An added source", url="https://example.org/added")
    yield "sources: added", dataclasses.replace(lib, sources={**lib.sources, "added": source})
    word = first.summary.split()[3].strip(".,;:")  # a word in running text becomes a glossary term
    term = m.Term(id="added", term=word, definition="A term added to the glossary.")
    yield "terms: added", dataclasses.replace(lib, terms={**lib.terms, "added": term})


def _tried(what: str) -> str:
    """'briefings/x: key_judgments[0].text (one added)' -> 'briefings: key_judgments[0].text'."""
    return what.split(": ")[0].split("/")[0] + ": " + what.split(": ")[1].split(" (")[0]


def test_an_edit_is_tried_to_every_field_of_the_model(tmp_path: Path) -> None:
    lib = _corpus_library(tmp_path)
    tried = {_tried(what) for what, _ in _library_variants(lib)}
    kinds = {"briefings": m.Briefing, "actors": m.Actor, "sources": m.Source, "terms": m.Term, "places": m.Place,
             "site": m.SiteConfig}
    every_field = {f"{kind}: {field}" for kind, cls in kinds.items() for field in _model_fields(cls)}
    # a setting with one allowed value (map_point_of_view, until a second view ships) cannot be edited
    fixed = {f"{kind}: {name}" for kind, cls in kinds.items() for name, info in cls.model_fields.items()
             if len(_literals(info.annotation)) == 1}
    assert every_field - tried - fixed == set(), "fields of the model no edit tried"


# The edits, in parts that the test runners share (the briefings' edits are the most).
EDIT_PARTS = [("briefings", 0, 3), ("briefings", 1, 3), ("briefings", 2, 3), ("actors", 0, 1), ("sources", 0, 1),
              ("terms", 0, 1), ("places", 0, 1), ("site", 0, 1)]


@pytest.mark.parametrize(("kind", "part", "parts"), EDIT_PARTS, ids=[f"{k}-{p}" for k, p, _ in EDIT_PARTS])
def test_kept_pages_equal_a_full_render_after_any_one_edit(tmp_path: Path, kind: str, part: int, parts: int) -> None:
    """For an edit to any one field of any kind of record, rendering with the pages of the
    render before gives exactly what a render from scratch gives: no page is kept that the
    edit changed. Every field of the model is edited, those the corpus leaves empty too
    (the test above). And the memo does keep pages, or it would prove nothing."""
    templates = REPO / "templates"
    lib = _corpus_library(tmp_path)
    before = Memory()
    render_pages(lib, templates, pdf_links=True, memory=before)
    mine = [(what, edited) for what, edited in _library_variants(lib) if _tried(what).startswith(f"{kind}: ")]
    kept_any = 0
    for what, edited in mine[part::parts]:
        memory = Memory(pages=PageMemo(dict(before.pages.entries)), maps=before.maps)  # maps kept, as the store does
        incremental = render_pages(edited, templates, pdf_links=True, memory=memory)
        fresh = render_pages(edited, templates, pdf_links=True)
        stale = [page for page in fresh if incremental.get(page) != fresh[page]]
        assert not stale, f"after an edit to {what}, kept pages differ from a full render: {stale[:5]}"
        kept_any += memory.pages.kept_last > 0
    assert mine and kept_any >= 1, "the memo kept nothing"


def test_an_edit_to_a_briefings_text_renders_only_its_page_its_feeds_data_and_bundles(tmp_path: Path) -> None:
    templates = REPO / "templates"
    lib = _corpus_library(tmp_path)
    memory = Memory()
    first = render_pages(lib, templates, memory=memory)
    assert memory.pages.kept_last == 0
    again = render_pages(lib, templates, memory=memory)
    assert again == first and memory.pages.kept_last == len(first), "an unchanged library renders nothing"
    bid, b = next(iter(lib.briefings.items()))
    edited = dataclasses.replace(lib, briefings={**lib.briefings, bid: b.model_copy(
        update={"summary": b.summary + "\n\nA paragraph added at the end."})})
    pages = render_pages(edited, templates, memory=memory)
    assert "A paragraph added at the end." in pages[f"briefings/{bid}.md"]
    paths = views.feed_paths(lib)
    holding = {paths[key] for key in [("tag", t) for t in b.tags] + [("region", b.region or "")]
               + [("actor", aid) for aid in b.named_actors()] if key in paths}
    assert holding, "the briefing is in feeds of its tags, its region and its actors"
    changed = {page for page in first if pages[page] != first[page]}
    assert changed == {f"briefings/{bid}.md", "feed.xml", f"stix/{bid}.json", "stix/bundle.json",
                       f"data/briefings/{bid}.json", "data/briefings.json"} | holding
    assert len(first) - memory.pages.kept_last == len(changed), \
        "only the briefing's page, the feeds that hold it, its JSON, the list and its STIX bundles are new"


def test_a_template_edit_renders_every_page_again(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    lib = _corpus_library(tmp_path)
    memory = Memory()
    render_pages(lib, templates, memory=memory)
    macros = templates / "_macros.j2"
    macros.write_text(macros.read_text(encoding="utf-8") + "{# changed #}\n", encoding="utf-8")
    render_pages(lib, templates, memory=memory)
    assert memory.pages.kept_last == 0


def test_a_page_kept_by_a_build_for_other_readers_is_never_taken(tmp_path: Path) -> None:
    """Whether the build is public is part of every page's setting (and of every version
    page's, render.versions.version_setting), on top of what the page read: even a library
    with nothing withheld renders every page again when the readers change."""
    templates = REPO / "templates"
    lib = _corpus_library(tmp_path)
    memory = Memory()
    render_pages(lib, templates, memory=memory)
    render_pages(lib, templates, public=True, memory=memory)
    assert memory.pages.kept_last == 0
    render_pages(lib, templates, public=True, memory=memory)
    assert memory.pages.kept_last > 0
    settings = {version_setting(templates, language="en", pdf_links=True, public=public) for public in (False, True)}
    assert len(settings) == 2


# --- Two processes ---------------------------------------------------------------------

def test_two_processes_render_exactly_what_one_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = _corpus_library(tmp_path, briefings=12)
    one = render_pages(lib, REPO / "templates", pdf_links=True)
    monkeypatch.setattr(render_module, "PARALLEL_FROM", 0)
    helpers = []
    real = render_module._render_in_two_processes
    monkeypatch.setattr(render_module, "_render_in_two_processes", lambda *a: helpers.append(1) or real(*a))
    memory = Memory()
    two = render_pages(lib, REPO / "templates", pdf_links=True, memory=memory, workers=2)
    assert helpers, "the second process was not used"
    assert two == one and list(two) == list(one), "the same pages, in the same order"
    assert memory.pages.entries.keys() == one.keys(), "the memo holds the pages of both processes"


@pytest.mark.parametrize("workers", [1, 2])
def test_each_read_is_kept_once_from_the_moment_a_page_is_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  workers: int) -> None:
    """A page's reads are made anew as it renders; many pages read the same things. Each is
    one object in the process that rendered the page as soon as it is rendered (the second
    process's come back sharing theirs): at 5,000 briefings the copies were hundreds of MB."""
    lib = _corpus_library(tmp_path, briefings=12)
    monkeypatch.setattr(render_module, "PARALLEL_FROM", 0)
    handed: list[tuple[Any, ...]] = []
    real = incremental_memory.Render.record
    monkeypatch.setattr(incremental_memory.Render, "record",
                        lambda self, page, read, *rest: (handed.append(read), real(self, page, read, *rest))[1])
    render_pages(lib, REPO / "templates", memory=Memory(), workers=workers)
    reads = [read for page in handed for read in page]
    different = len(set(reads))
    assert len(reads) > 3 * different, "pages read the same things"
    assert len({id(read) for read in reads}) <= workers * different, "one object per read in each process"


def test_a_template_error_in_the_second_process_is_reported_as_in_one(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    lib = _corpus_library(tmp_path, briefings=12)
    jobs = render_module.page_jobs(lib)
    # An actor page the second process renders (it takes every other page), and only that one.
    aid = next(job.page.removeprefix("actors/").removesuffix(".md") for job in jobs[1::2]
               if job.template == "actor.md.j2")
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    actor = templates / "actor.md.j2"
    broken = f'{{% if aid == "{aid}" %}}{{{{ no_such.value }}}}{{% endif %}}\n'
    actor.write_text(actor.read_text(encoding="utf-8") + broken, encoding="utf-8")
    with pytest.raises(RenderError) as alone:
        render_pages(lib, templates)
    monkeypatch.setattr(render_module, "PARALLEL_FROM", 0)
    with pytest.raises(RenderError) as shared:
        render_pages(lib, templates, workers=2)
    assert [p.format() for p in shared.value.problems] == [p.format() for p in alone.value.problems]
    assert "actor.md.j2" in alone.value.problems[0].format()


def test_the_live_preview_memory_gives_full_renders_through_a_series_of_edits(tmp_path: Path) -> None:
    """As the live server renders: remembering fields and pages from one render to the next,
    through edits one after another (and back), every render equals a render from scratch."""
    templates = REPO / "templates"
    lib = _corpus_library(tmp_path)
    series = [*list(_library_variants(lib))[::3], ("none: back to the start", lib)]
    fresh = [render_pages(edited, templates) for _, edited in series]  # first: a render without memory forgets
    memory = Memory.for_preview()
    render_pages(lib, templates, memory=memory)
    remembered_fields = 0
    for (what, edited), expected in zip(series, fresh, strict=True):
        incremental = render_pages(edited, templates, memory=memory)
        stale = [page for page in expected if incremental.get(page) != expected[page]]
        assert not stale, f"after {what}, remembered pages differ from a full render: {stale[:5]}"
        remembered_fields += len(memory.fragments or ())
    assert remembered_fields > 0


# --- Sourcing and assumptions --------------------------------------------------------------

def _sourced_library() -> tuple[m.Library, str]:
    """The example with its first judgment on three sources whose every summarised field is set
    here (two share a publisher, written in another case), and two assumptions naming judgments."""
    library, _ = load_library(EXAMPLE_DATA)
    assert library is not None
    bid, b = next(iter(library.briefings.items()))
    first, second, third, *_ = library.sources
    day = dt.date(2020, 10, 20)
    sources = {**library.sources,
               first: library.sources[first].model_copy(update={
                   "publisher": "Pub A", "reliability": "B", "credibility": 2, "accessed": day,
                   "archive_url": "https://archive.example.org/1"}),
               second: library.sources[second].model_copy(update={
                   "publisher": "pub  a", "reliability": "C", "credibility": 3, "accessed": day - dt.timedelta(2),
                   "archive_url": "https://archive.example.org/2"}),
               third: library.sources[third].model_copy(update={
                   "publisher": "Other", "reliability": "F", "credibility": 6, "accessed": None, "archive_url": None})}
    one, two, *rest = b.key_judgments
    one = one.model_copy(update={"text": f"Baku presses on [@{third}].", "sources": [first, second]})
    assumptions = [m.Assumption(text="Turkey stays out.", status="unsupported", judgments=[two.id, one.id]),
                   m.Assumption(text="Moscow keeps talking.")]
    briefing = b.model_copy(update={"key_judgments": [one, two, *rest], "assumptions": assumptions})
    return dataclasses.replace(library, briefings={**library.briefings, bid: briefing}, sources=sources), bid


def test_each_key_judgment_shows_its_source_summary() -> None:
    library, bid = _sourced_library()
    page = render_pages(library, REPO / "templates")[f"briefings/{bid}.md"]
    judgment = page.split("Baku presses on", 1)[1].split("</li>", 1)[0]
    assert '<p class="kj-sourcing">Sources: 3 from 2 publishers; graded B2, C3, F6; 2 of 3 archived; newest read ' \
        '2020-10-20</p>' in judgment
    assert page.count('<p class="kj-sourcing">') == len(library.briefings[bid].key_judgments)


def test_assumptions_are_a_table_linking_the_judgments_they_support() -> None:
    library, bid = _sourced_library()
    b = library.briefings[bid]
    one, two = b.key_judgments[0].id, b.key_judgments[1].id
    page = render_pages(library, REPO / "templates")[f"briefings/{bid}.md"]
    table = page.split('<table class="assumptions">', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">Assumption</th><th scope="col">Status</th><th scope="col">Supports</th>' in table
    assert (f'<tr><td>Turkey stays out.</td><td class="assumption-status assumption-unsupported">unsupported</td>'
            f'<td><a href="#judgment-{two}">judgment 2</a>, '
            f'<a href="#judgment-{one}">judgment 1</a></td></tr>') in table
    assert '<tr><td>Moscow keeps talking.</td><td class="assumption-status assumption-unrated">not rated</td>' \
        '<td></td></tr>' in table
    assert page.index("## Key judgments") < page.index("## Assumptions") < page.index('<table class="assumptions">')
    assert f'<li class="key-judgment" id="judgment-{two}">' in page


class _Folder:
    """A page writer into a folder, as output.engine.StagedDocs is (without the other files)."""

    def __init__(self, root: Path):
        from briefsite.output.writer import TreeWriter

        self.root, self.tree_writer = root, TreeWriter
        self.tree: Any = None

    def begin(self, pages: Iterable[str]) -> None:
        self.tree = self.tree_writer(self.root, set(pages))

    def write(self, page: str, text: str) -> tuple[str, bool]:
        return self.tree.write(page, text)  # type: ignore[no-any-return]


def test_pages_written_as_they_are_rendered_in_two_processes_are_the_pages(tmp_path: Path) -> None:
    """render_and_write (a build's render): the files are render_pages's texts, written by the
    process that rendered each; no text is kept; a second render writes nothing, and takes a
    page whose file was changed since only after rendering it again."""
    library = _corpus_library(tmp_path, 120)
    templates = [REPO / "templates"]
    expected = render_pages(library, templates, workers=1)
    assert len(expected) >= render_module.PARALLEL_FROM  # the second process takes half the pages
    out = tmp_path / "docs"
    memory = Memory()
    memory.pages.store = out
    first = render_module.render_and_write(library, templates, _Folder(out), memory=memory, workers=2)
    assert sorted(first.pages) == sorted(expected) and sorted(first.written) == sorted(expected)
    assert {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*")
            if p.is_file()} == expected
    assert all(kept.text is None and kept.digest for kept in memory.pages.entries.values())
    again = render_module.render_and_write(library, templates, _Folder(out), memory=memory, workers=2)
    assert again.written == [] and memory.pages.kept_last == len(expected)
    page = "briefings/" + next(iter(library.briefings)) + ".md"
    (out / page).write_text("changed by someone else", encoding="utf-8")
    third = render_module.render_and_write(library, templates, _Folder(out), memory=memory, workers=2)
    assert third.written == [page] and (out / page).read_text(encoding="utf-8") == expected[page]
