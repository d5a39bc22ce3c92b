"""What a build keeps for the next (build/cache): used when valid, ignored when not,
and never a reason for a page to differ from a build from scratch."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import io
import json
import pickle
from pathlib import Path

import pytest

from briefsite import app
from briefsite.app import BuildOptions, build
from briefsite.cli import main
from briefsite.core.project import Project
from briefsite.incremental import store
from briefsite.incremental.pages import PageMemo
from briefsite.output.engine import PREVIEW_STATE
from briefsite.output.writer import read_tree
from briefsite.read import files as read_files
from briefsite.render import helper as render_helper
from tests.conftest import copy_project


def _fail_if_called(*args: object, **kwargs: object) -> None:
    raise AssertionError("a field was converted again")


def test_a_second_build_of_unchanged_data_renders_nothing(project: Project,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    build(project, BuildOptions(quiet=True, pdf=False))
    assert store.cache_file(project).is_file()
    first = read_tree(project.site)
    monkeypatch.setattr(render_helper, "to_html", _fail_if_called)
    build(project, BuildOptions(quiet=True, pdf=False))
    assert read_tree(project.site) == first


def test_a_build_lets_go_of_the_pages_it_wrote_before_the_engine_runs(project: Project,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """At thousands of briefings the rendered pages were a fifth of the build's memory, held
    while the engine and the search indexer ran: the memory keeps their digests instead."""
    saved: list[PageMemo] = []
    real_save = store.save
    monkeypatch.setattr(store, "save", lambda project, memory: (saved.append(memory.pages), real_save(project, memory)))
    build(project, BuildOptions(quiet=True, pdf=False))
    (pages,) = saved
    assert len(pages.entries) > 20
    assert all(e.text is None and e.digest for e in pages.entries.values())
    index = pages.entries["index.md"]
    assert index.digest == hashlib.sha256((project.generated_docs / "index.md").read_bytes()).hexdigest()


def test_a_build_after_an_edit_equals_a_build_from_scratch(project: Project, tmp_path: Path) -> None:
    build(project, BuildOptions(quiet=True, pdf=False))
    briefing = project.data / "briefings" / "russia-options-nagorno-karabakh.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert "\nsummary: |\n" in text
    briefing.write_text(text.replace("\nsummary: |\n", "\nsummary: |\n  An added first line, [[putin]].\n\n", 1),
                        encoding="utf-8")
    actor = project.data / "actors" / "svr.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("name: ", "name: The ", 1), encoding="utf-8")
    build(project, BuildOptions(quiet=True, pdf=False))

    scratch = copy_project(tmp_path / "scratch", project.data)
    build(scratch, BuildOptions(quiet=True, pdf=False))
    assert read_tree(project.generated_docs) == read_tree(scratch.generated_docs)
    assert "An added first line" in (project.generated_docs / "index.md").read_text(encoding="utf-8")


def test_a_damaged_cache_is_an_empty_one(project: Project) -> None:
    build(project, BuildOptions(quiet=True, pdf=False))
    first = read_tree(project.generated_docs)
    path = store.cache_file(project)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # cut off, as by a full disk
    build(project, BuildOptions(quiet=True, pdf=False))
    assert read_tree(project.generated_docs) == first
    assert isinstance(store.load(project).pages, PageMemo) and store.load(project).pages.entries


def test_a_cache_from_other_code_is_not_used(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page kept under the right key but by another version of the code is not taken."""
    build(project, BuildOptions(quiet=True, pdf=False))
    memory = store.load(project)
    kept = memory.pages.entries["index.md"]
    memory.pages.entries["index.md"] = dataclasses.replace(kept, text="STALE PAGE", digest=None)
    memory.pages.changed_last = True
    with monkeypatch.context() as other_code:
        other_code.setattr(store, "stamp", lambda: "a stamp of other code")
        store.save(project, memory)
    (project.generated_docs / "index.md").write_text("STALE PAGE", encoding="utf-8")
    build(project, BuildOptions(quiet=True, pdf=False))
    assert "STALE PAGE" not in (project.generated_docs / "index.md").read_text(encoding="utf-8")

    store.save(project, memory)  # the same memory under the right stamp is used: the test can fail
    (project.generated_docs / "index.md").write_text("STALE PAGE", encoding="utf-8")
    build(project, BuildOptions(quiet=True, pdf=False))
    assert (project.generated_docs / "index.md").read_text(encoding="utf-8") == "STALE PAGE"


def test_a_page_changed_since_it_was_written_is_rendered_again(project: Project) -> None:
    """The cache keeps digests, not pages: a generated page that is no longer what was
    rendered (changed by hand, cut off) is rendered again, not trusted."""
    build(project, BuildOptions(quiet=True, pdf=False))
    page = project.generated_docs / "actors" / "putin.md"
    rendered = page.read_text(encoding="utf-8")
    page.write_text(rendered.replace("Putin", "Someone else"), encoding="utf-8")
    build(project, BuildOptions(quiet=True, pdf=False))
    assert page.read_text(encoding="utf-8") == rendered
    assert "Someone else" not in (project.site / "actors" / "putin.html").read_text(encoding="utf-8")


def test_the_live_preview_starts_from_the_cache_its_first_render_leaves(project: Project,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` renders once before its engine starts; the engine's hooks, in another process,
    start from the cache that render wrote, and convert nothing again."""
    app.render_preview(project)
    first = read_tree(project.generated_docs)
    monkeypatch.setattr(render_helper, "to_html", _fail_if_called)
    assert app.render_docs(project, io.StringIO(), app.preview_memory(project))  # as in the engine's process
    assert read_tree(project.generated_docs) == first


def test_a_fault_of_the_tool_shows_in_the_live_preview_and_it_goes_on(project: Project,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview's pages say what failed, and the next edit renders again (the hook returns)."""
    memory = app.preview_memory(project)
    assert app.render_docs(project, io.StringIO(), memory)

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("relations")

    out = io.StringIO()
    with monkeypatch.context() as faulty:
        faulty.setattr(app, "render_pages", broken)
        assert not app.render_docs(project, out, memory)
    state = json.loads((project.generated_docs / PREVIEW_STATE).read_text(encoding="utf-8"))
    assert state["errors"] == ["error: the tool failed on this data (KeyError: 'relations'); the preview shows the "
                               "last good pages. This is a fault of the tool, not of your files: please report it "
                               "with the file you last changed, and undo that change to go on"]
    assert "Traceback" in out.getvalue()
    assert app.render_docs(project, io.StringIO(), memory)  # and the preview goes on


def test_validate_reads_only_what_changed_since_the_last_build(project: Project,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    build(project, BuildOptions(quiet=True, pdf=False))
    parsed: list[str] = []
    real_parse = read_files.parse_text
    monkeypatch.setattr(read_files, "parse_text", lambda file, text: parsed.append(file.name) or real_parse(file, text))
    assert main(["validate", "--config", str(project.config)]) == 0
    assert parsed == []
    actor = project.data / "actors" / "svr.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("kind: ", "kind: stat", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--config", str(project.config)]) == 1
    assert parsed == ["svr.yaml"]
    assert "svr.yaml" in capsys.readouterr().err


class _Planted:
    """A pickle that writes a file when it is loaded: what a crafted cache could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return Path.write_text, (self.marker, "this ran")


def test_a_planted_cache_is_never_unpickled(project: Project, tmp_path: Path) -> None:
    """A cache file someone else wrote (a shared drive, a zip, a restored CI cache) is ignored
    unread: it is signed with this user's key, checked before anything is unpickled."""
    build(project, BuildOptions(quiet=True, pdf=False))
    first = read_tree(project.site)
    marker = tmp_path / "marker"
    payload = pickle.dumps(_Planted(marker))
    pickle.loads(payload)  # the payload does run when unpickled: the test can fail
    assert marker.read_text(encoding="utf-8") == "this ran"
    marker.unlink()
    path = store.cache_file(project)
    forged = hmac.new(b"another key", payload, hashlib.sha256).digest()
    for planted in (payload, path.read_bytes()[:len(store.MAGIC)] + forged + payload):
        path.write_bytes(planted)
        build(project, BuildOptions(quiet=True, pdf=False))
        assert not marker.exists()
        assert read_tree(project.site) == first


def test_the_key_is_kept_outside_the_project_for_this_user_only(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path, project: Project) -> None:
    monkeypatch.delenv(store.KEY_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    key = store.cache_key()
    assert key is not None and len(key) == 32 and store.cache_key() == key
    assert store.key_file() == tmp_path / "state" / "briefsite" / "cache.key"
    assert store.key_file().stat().st_mode & 0o777 == 0o600
    build(project, BuildOptions(quiet=True, pdf=False))
    assert store.load(project).pages.entries, "kept under this key"
    monkeypatch.setenv(store.KEY_VARIABLE, "a key from the environment, as CI gives it")
    assert store.cache_key() != key
    assert not store.load(project).pages.entries, "not kept under another key"
