"""The synthetic corpus of the benchmark: valid, deterministic, renderable."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from markdown import treeprocessors

from bench.corpus import commit_history, generate, main, sizes
from briefsite.incremental.memory import Memory
from briefsite.incremental.pages import PageMemo
from briefsite.read.library import load_library
from briefsite.render import helper as render
from briefsite.render import markup
from briefsite.render.markup import Link, PageContext
from briefsite.render.pages import render_pages
from tests.conftest import REPO


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, briefings=5, seed=7)
    return out


def test_a_corpus_with_a_git_history_has_each_version(tmp_path: Path) -> None:
    data = tmp_path / "project" / "data"
    generate(data, briefings=5, seed=7)
    commit_history(data, versions=3)
    library, report = load_library(data)
    assert library is not None, [p.format() for p in report.errors]
    assert not [p for p in report.warnings if p.kind == "history-incomplete"]
    assert {len(v) for v in library.versions.values()} == {3}
    regraded = [(first.id, first.likelihood, last.likelihood) for versions in library.versions.values()
                for first, last in zip(versions[0].briefing.key_judgments, versions[-1].briefing.key_judgments,
                                       strict=True) if first.likelihood != last.likelihood]
    assert regraded, "no key judgment was graded otherwise in the first version than in the last"


def test_five_briefings_validate_without_problems(corpus: Path) -> None:
    library, report = load_library(corpus)
    assert library is not None, [p.format() for p in report.errors]
    assert report.errors == []
    # the corpus folder holds no git history: its briefings with several updates show their current version
    assert all("still a draft" in p.message or p.kind == "history-incomplete" for p in report.warnings), \
        [p.format() for p in report.warnings]
    actors, sources, terms = sizes(5)
    assert (len(library.briefings), len(library.actors), len(library.sources), len(library.terms)) == \
        (5, actors, sources, terms)


def test_the_corpus_uses_every_part_of_the_format(corpus: Path) -> None:
    library, _ = load_library(corpus)
    assert library is not None
    briefings = list(library.briefings.values())
    texts = " ".join(text for b in briefings for _, text in b.markdown_texts())
    assert "[@" in texts and "[[" in texts
    assert all(b.key_judgments and b.timeline and b.scenarios and b.sections and b.actors for b in briefings)
    assert any(len(e.date) < 10 for b in briefings for e in b.timeline), "no partial timeline date"
    assert any(ind.status != "unknown" for b in briefings for sc in b.scenarios for ind in sc.indicators)
    assert any(b.related for b in briefings)
    assert any(a.native_name for a in library.actors.values())
    assert any(a.relations for a in library.actors.values())


def test_renders_every_page(corpus: Path) -> None:
    library, _ = load_library(corpus)
    assert library is not None
    pages = render_pages(library, REPO / "templates")
    for bid in library.briefings:
        assert '<sup class="cite">' in pages[f"briefings/{bid}.md"]
    assert all(f"actors/{aid}.md" in pages for aid in library.actors)
    assert 'class="xref"' in "".join(pages.values())


def test_same_seed_same_bytes_other_seed_other_bytes(corpus: Path, tmp_path: Path) -> None:
    main(["--briefings", "5", "--out", str(tmp_path / "again"), "--seed", "7"])
    generate(tmp_path / "other", briefings=5, seed=8)
    files = sorted(p.relative_to(corpus) for p in corpus.rglob("*.yaml"))
    assert files == sorted(p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*.yaml"))
    assert all((corpus / f).read_bytes() == (tmp_path / "again" / f).read_bytes() for f in files)
    assert (corpus / "glossary.yaml").read_bytes() != (tmp_path / "other" / "glossary.yaml").read_bytes()


def test_refuses_to_overwrite_a_folder_unless_told(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError):
        generate(tmp_path, briefings=2)
    generate(tmp_path, briefings=2, overwrite=True)
    assert (tmp_path / "keep.txt").exists() and len(list((tmp_path / "briefings").glob("*.yaml"))) == 2


def test_rendering_again_after_an_edit_equals_a_fresh_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fields remembered from the previous render (the live preview) never leak stale text
    or numbering, and only the changed ones are converted again."""
    conversions: list[str] = []
    convert = render.to_html

    def counting(text: str, *args: Any, **kwargs: Any) -> Any:
        conversions.append(text)
        return convert(text, *args, **kwargs)

    monkeypatch.setattr(render, "to_html", counting)
    data = tmp_path / "data"
    generate(data, briefings=5, seed=7)
    library, _ = load_library(data)
    assert library is not None
    memory = Memory.for_preview()
    before = render_pages(library, REPO / "templates", memory=memory)
    edited = sorted((data / "briefings").glob("*.yaml"))[2]
    actor = sorted((data / "actors").glob("*.yaml"))[0].stem
    source = next(iter(library.sources))
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "summary: |\n", f"summary: |\n  A new first sentence on [[{actor}]] [@{source}].\n\n", 1), encoding="utf-8")
    library, report = load_library(data)
    assert library is not None, [p.format() for p in report.errors]
    conversions.clear()
    memory.pages = PageMemo()  # the fields alone: every page is rendered again
    again = render_pages(library, REPO / "templates", memory=memory)
    converted_again = len(conversions)
    conversions.clear()
    fresh = render_pages(library, REPO / "templates")
    assert again == fresh
    assert 0 < converted_again < len(conversions) / 5, "the remembered fields were converted again"
    assert again[f"briefings/{edited.stem}.md"] != before[f"briefings/{edited.stem}.md"]


_PIECES = ["word", " ", "  ", "\n", "\n\n", "\t", "*", "**", "_", "`", "\\", "[", "]", "(", ")", "!", "<", ">", "&",
           "&amp;", "<http://x.org/a>", "<me@x.org>", "[@s1]", "[@s1; @s2]", "[[a]]", "[[b|shown]]", "[[c]]", "[[zz]]",
           "[t](http://e.org)", "![alt](http://e.org/i.png)", "[ref]", "[ref]: http://r.org", "## H", "- ", "1. ", "> ",
           "    code", "| a | b |\n|---|---|\n| 1 | 2 |", "kazan formula", "é", "---"]
_TITLES = {"a": "A *bold* & <odd> `title` \\ _x_", "b": "Plain", "c": "With [brackets] and ![img]"}


def _convert(converter: tuple[object, markup._SafeExtension], text: str) -> tuple[str, tuple[str, ...], frozenset[str]]:
    md, ext = converter
    page = PageContext(link_to=lambda i: Link(f"{i}.html", _TITLES[i], _TITLES[i]) if i in _TITLES else None,
                       source_href=lambda s: f"#source-{s}", source_hint=lambda s: f"hint {s}",
                       glossary={"kazan formula": ("kazan", "The *def*")})
    ext.page, ext.text = page, text
    try:
        out = md.reset().convert(text)  # type: ignore[attr-defined]
    except ValueError as exc:  # what urlsplit thinks of some hosts; the same either way
        out = f"ValueError: {exc}"
    finally:
        ext.page, ext.text = None, ""
    return out, tuple(page.cited), frozenset(page.terms_seen)


def test_the_inline_pass_that_skips_patterns_renders_like_the_stock_one() -> None:
    """Leaving out the inline patterns that cannot match in a field (markup._FieldInline) is
    only faster: random Markdown of every kind renders the same as with every pattern."""
    lean = markup._new_converter()
    stock = markup._new_converter()
    stock[0].treeprocessors.register(treeprocessors.InlineProcessor(stock[0]), "inline", 20)
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 20)))
        assert _convert(lean, text) == _convert(stock, text), text
