"""What a build keeps for the next (build/cache): used when valid, ignored when not,
and never a reason for a page to differ from a build from scratch."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import pytest

from briefsite import cache, pipeline, render, validate
from briefsite.cli import main
from briefsite.pipeline import build
from briefsite.project import Project
from briefsite.writer import read_tree
from tests.conftest import copy_project


def _fail_if_called(*args: object, **kwargs: object) -> None:
    raise AssertionError("a field was converted again")


def test_a_second_build_of_unchanged_data_renders_nothing(project: Project,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    build(project, quiet=True, pdf=False)
    assert cache.cache_file(project).is_file()
    first = read_tree(project.site)
    monkeypatch.setattr(render, "to_html", _fail_if_called)
    build(project, quiet=True, pdf=False)
    assert read_tree(project.site) == first


def test_a_build_after_an_edit_equals_a_build_from_scratch(project: Project, tmp_path: Path) -> None:
    build(project, quiet=True, pdf=False)
    briefing = project.data / "briefings" / "russia-options-nagorno-karabakh.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert "\nsummary: |\n" in text
    briefing.write_text(text.replace("\nsummary: |\n", "\nsummary: |\n  An added first line, [[putin]].\n\n", 1),
                        encoding="utf-8")
    actor = project.data / "actors" / "svr.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("name: ", "name: The ", 1), encoding="utf-8")
    build(project, quiet=True, pdf=False)

    scratch = copy_project(tmp_path / "scratch", project.data)
    build(scratch, quiet=True, pdf=False)
    assert read_tree(project.generated_docs) == read_tree(scratch.generated_docs)
    assert "An added first line" in (project.generated_docs / "index.md").read_text(encoding="utf-8")


def test_a_damaged_cache_is_an_empty_one(project: Project) -> None:
    build(project, quiet=True, pdf=False)
    first = read_tree(project.generated_docs)
    path = cache.cache_file(project)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # cut off, as by a full disk
    build(project, quiet=True, pdf=False)
    assert read_tree(project.generated_docs) == first
    assert isinstance(cache.load(project).pages, render.PageMemo) and cache.load(project).pages.entries


def test_a_cache_from_other_code_is_not_used(project: Project) -> None:
    """A page kept under the right key but by another version of the code is not taken."""
    build(project, quiet=True, pdf=False)
    memory = cache.load(project)
    key = memory.pages.entries["index.md"][0]
    memory.pages.entries["index.md"] = (key, "STALE PAGE", None)
    path = cache.cache_file(project)
    with path.open("wb") as stream:
        pickle.dump(("a stamp of other code", memory.files, memory.pages), stream)
    (project.generated_docs / "index.md").write_text("STALE PAGE", encoding="utf-8")
    build(project, quiet=True, pdf=False)
    assert "STALE PAGE" not in (project.generated_docs / "index.md").read_text(encoding="utf-8")

    with path.open("wb") as stream:  # the same memory under the right stamp is used: the test can fail
        pickle.dump((cache.stamp(), memory.files, memory.pages), stream)
    (project.generated_docs / "index.md").write_text("STALE PAGE", encoding="utf-8")
    build(project, quiet=True, pdf=False)
    assert (project.generated_docs / "index.md").read_text(encoding="utf-8") == "STALE PAGE"


def test_a_page_changed_since_it_was_written_is_rendered_again(project: Project) -> None:
    """The cache keeps digests, not pages: a generated page that is no longer what was
    rendered (changed by hand, cut off) is rendered again, not trusted."""
    build(project, quiet=True, pdf=False)
    page = project.generated_docs / "actors" / "putin.md"
    rendered = page.read_text(encoding="utf-8")
    page.write_text(rendered.replace("Putin", "Someone else"), encoding="utf-8")
    build(project, quiet=True, pdf=False)
    assert page.read_text(encoding="utf-8") == rendered
    assert "Someone else" not in (project.site / "actors" / "putin.html").read_text(encoding="utf-8")


def test_the_live_preview_starts_from_the_cache_its_first_render_leaves(project: Project,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` renders once before its engine starts; the engine's hooks, in another process,
    start from the cache that render wrote, and convert nothing again."""
    pipeline.render_preview(project)
    first = read_tree(project.generated_docs)
    monkeypatch.setattr(pipeline, "_PREVIEW_MEMORY", {})  # as in the engine's process
    monkeypatch.setattr(render, "to_html", _fail_if_called)
    assert pipeline.render_docs(project, out=io.StringIO())
    assert read_tree(project.generated_docs) == first


def test_validate_reads_only_what_changed_since_the_last_build(project: Project,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    build(project, quiet=True, pdf=False)
    parsed: list[str] = []
    real_parse = validate.parse_text
    monkeypatch.setattr(validate, "parse_text", lambda file, text: parsed.append(file.name) or real_parse(file, text))
    assert main(["validate", "--config", str(project.config)]) == 0
    assert parsed == []
    actor = project.data / "actors" / "svr.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("kind: ", "kind: stat", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--config", str(project.config)]) == 1
    assert parsed == ["svr.yaml"]
    assert "svr.yaml" in capsys.readouterr().err
