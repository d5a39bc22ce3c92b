"""Builds are atomic: a build that fails at any stage leaves the previous site/ byte for
byte as it was, and writes or deletes nothing outside build/ and site/."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_project

from briefsite import app as pipeline
from briefsite.app import BuildOptions
from briefsite.cli import main
from briefsite.core.errors import BriefError, RenderError, SiteError, ValidationError, display_path
from briefsite.core.lock import project_lock
from briefsite.core.project import Project
from tests.conftest import add_site_page
from tests.test_cli import edit, fetch, free_port, wait_for

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
GENERATED = {"build", "site"}


def tree_digest(root: Path) -> dict[str, str]:
    """Every file and folder under root: relative path -> sha256 of its bytes ('dir' for folders)."""
    return {p.relative_to(root).as_posix(): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))}


def project_snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Everything in the project folder but build/ and site/: content, size and time of change."""
    snapshot = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if rel.parts[0] in GENERATED:
            continue
        st = p.lstat()
        digest = "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        snapshot[rel.as_posix()] = (digest, st.st_size if not p.is_dir() else 0, st.st_mtime_ns)
    return snapshot


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, built once; each test works on its own copy of it."""
    project = copy_project(tmp_path_factory.mktemp("atomic") / "project")
    pipeline.build(project, BuildOptions(quiet=True))
    return project.root


@pytest.fixture
def built(built_template: Path, tmp_path: Path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(built_template, root, symlinks=True)  # copy2 keeps the times
    return Project.at(root / "mkdocs.yml")


# Each breaks one stage; the project is changed before the snapshots are taken.

def bad_data(project: Project) -> None:
    briefing = next((project.data / "briefings").glob("*.yaml"))
    text = briefing.read_text(encoding="utf-8").replace("likelihood: likely", "likelihood: probable", 1)
    briefing.write_text(text, encoding="utf-8")


def template_syntax_error(project: Project) -> None:
    template = project.templates / "briefing.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")


def template_runtime_error(project: Project) -> None:
    template = project.templates / "actor.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n{{ no_such_value.attribute }}\n", encoding="utf-8")


def broken_engine_settings(project: Project) -> None:
    project.config.write_text(project.config.read_text(encoding="utf-8") + "\nplugins:\n  - no-such-plugin\n",
                              encoding="utf-8")


def unreadable_engine_settings(project: Project) -> None:
    project.config.write_text("site_name: [unclosed\n", encoding="utf-8")


def strict_engine_warning(project: Project) -> None:
    add_site_page(project, "broken-link.md", "# Page\n\n[missing](no-such-page.md)\n")


BREAKERS: dict[str, tuple[Callable[[Project], None], type[BaseException]]] = {
    "bad data": (bad_data, ValidationError),
    "template syntax error": (template_syntax_error, RenderError),
    "template runtime error": (template_runtime_error, RenderError),
    "engine: unknown plugin": (broken_engine_settings, SiteError),
    "engine: unreadable settings": (unreadable_engine_settings, BriefError),
    "engine: strict warning": (strict_engine_warning, SiteError),
}


@pytest.mark.parametrize("name", list(BREAKERS))
def test_failed_build_changes_nothing_outside_build(built: Project, name: str) -> None:
    breaker, error = BREAKERS[name]
    breaker(built)
    site_before, project_before = tree_digest(built.site), project_snapshot(built.root)
    assert "index.html" in site_before
    with pytest.raises(error):
        pipeline.build(built, BuildOptions(quiet=True))
    assert tree_digest(built.site) == site_before
    assert project_snapshot(built.root) == project_before
    assert sorted(p.name for p in built.root.iterdir()) == sorted(["build", "data", "docs", "mkdocs.yml", "site",
                                                                    "templates"])


def test_failed_swap_puts_the_old_site_back(built: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last step fails (the new site cannot be moved into place): the old one returns."""
    site_before, project_before = tree_digest(built.site), project_snapshot(built.root)
    real_rename = Path.rename

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if self.name.startswith("site-new") and Path(target) == built.site:
            raise OSError("simulated: the disk is full")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="simulated"):
        pipeline.build(built, BuildOptions(quiet=True))
    assert tree_digest(built.site) == site_before
    assert project_snapshot(built.root) == project_before


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EACCES])
def test_an_error_of_the_system_is_one_line_and_leaves_nothing_behind(built: Project, failure: int,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A full disk at the last moment, or a site/ that may not be written: one line saying what and
    what to do, no traceback, the old site kept, no half-made site left in build/."""
    site_before = tree_digest(built.site)

    def refuse(project: Project, new_site: Path) -> None:
        raise OSError(failure, os.strerror(failure), str(project.site))

    monkeypatch.setattr(pipeline, "swap_in", refuse)
    assert main(["build", "--config", str(built.config), "--quiet"]) == 1
    err = capsys.readouterr().err
    hint = "free some space on the disk" if failure == errno.ENOSPC else "check who may write there"
    assert err.strip().splitlines()[-1] == (f"error: {display_path(built.site)}: {os.strerror(failure).lower()}; "
                                            f"{hint}. The last good site is kept as it was.")
    assert "Traceback" not in err
    assert tree_digest(built.site) == site_before
    assert not list(built.build.glob("site-new*"))


def test_failure_after_the_engine_leaves_the_site(built: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash between the engine and the swap (here: writing the headers file)."""
    site_before = tree_digest(built.site)

    def crash(site: Path) -> Path:
        raise OSError("simulated crash after the engine")

    monkeypatch.setattr(pipeline, "write_headers_file", crash)
    with pytest.raises(OSError, match="simulated"):
        pipeline.build(built, BuildOptions(quiet=True))
    assert tree_digest(built.site) == site_before


def test_command_line_reports_failure_and_keeps_the_site(built: Project) -> None:
    template_syntax_error(built)
    site_before, project_before = tree_digest(built.site), project_snapshot(built.root)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, str(REPO / "build_brief.py"), "build", "--config", str(built.config)],
                            cwd=built.root, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "briefing.md.j2" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(built.site) == site_before
    assert project_snapshot(built.root) == project_before


def test_failed_first_build_leaves_no_site(project: Project) -> None:
    broken_engine_settings(project)
    before = project_snapshot(project.root)
    with pytest.raises(SiteError):
        pipeline.build(project, BuildOptions(quiet=True))
    assert not project.site.exists()
    assert project_snapshot(project.root) == before


def test_a_good_build_after_failures_replaces_the_site(built: Project) -> None:
    before = tree_digest(built.site)
    add_site_page(built, "extra.md", "# Extra page\n")
    pipeline.build(built, BuildOptions(quiet=True))
    after = tree_digest(built.site)
    assert "extra.html" in after and "extra.html" not in before
    assert not list(built.build.glob("site-new*")) and not (built.build / "site-old").exists()


# --- one build at a time --------------------------------------------------------------------

def start_build(project: Project, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(REPO / "build_brief.py"), "build", "--no-pdf", "--quiet",
                             "--project", str(project.root), *options],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def site_pages(project: Project) -> list[str]:
    return sorted(p.relative_to(project.site).as_posix() for p in project.site.rglob("*.html"))


@pytest.mark.slow
def test_two_builds_at_once_give_one_whole_site(built: Project) -> None:
    """Started together, the second waits for the first (and says so): each leaves the whole site."""
    expected = site_pages(built)
    assert len(expected) >= 30
    waited = 0
    for _ in range(6):  # on a busy machine the first may be done before the second starts: try again
        first, second = start_build(built), start_build(built)
        outputs = [p.communicate(timeout=120) for p in (first, second)]
        assert [p.returncode for p in (first, second)] == [0, 0], outputs
        said = sum("another build of this project is running (pid " in err for _, err in outputs)
        assert said <= 1, outputs
        assert site_pages(built) == expected
        waited += said
        if waited == 2:
            break
    assert waited >= 1, "the two builds never ran at the same time"


def test_no_wait_fails_at_once_while_a_build_runs(built: Project) -> None:
    with project_lock(built):
        result = subprocess.run([sys.executable, str(REPO / "build_brief.py"), "build", "--no-wait", "--no-pdf",
                                 "--project", str(built.root)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"another build of this project is running (pid {os.getpid()}); run again when it has finished" \
        in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("after", [0.3, 1.0, 2.0, 3.0])
def test_a_build_killed_at_any_moment_leaves_the_last_site_whole(built: Project, after: float) -> None:
    expected = site_pages(built)
    briefing = built.data / "briefings" / "russia-options-nagorno-karabakh.yaml"
    briefing.write_text(briefing.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Changed, ", 1),
                        encoding="utf-8")
    process = start_build(built)
    time.sleep(after)
    process.kill()  # SIGKILL: no clean-up of any kind
    process.communicate()
    assert site_pages(built) == expected, f"killed after {after} s"
    pipeline.build(built, BuildOptions(quiet=True, pdf=False, wait=False))  # the next build takes the lock over
    assert "Changed, " in (built.site / "briefings" / "russia-options-nagorno-karabakh.html").read_text(
        encoding="utf-8")
    assert site_pages(built) == expected


def test_a_site_caught_between_two_renames_comes_back(built: Project) -> None:
    """A build killed between moving the old site aside and moving the new one in."""
    expected = site_pages(built)
    built.site.rename(built.build / "site-old")
    pipeline.build_pdfs(built, ["briefing-book"])  # any command that takes the lock puts it back first
    assert site_pages(built) == expected


def test_a_build_while_the_live_preview_runs(built: Project) -> None:
    """The preview keeps serving and following edits; the build leaves the whole site."""
    expected = site_pages(built)
    port = free_port()
    url = f"http://127.0.0.1:{port}/briefings/russia-options-nagorno-karabakh.html"
    serve = subprocess.Popen([sys.executable, str(REPO / "build_brief.py"), "serve", "--dev-addr", f"127.0.0.1:{port}",
                              "--project", str(built.root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: "range from bad to worse" in fetch(url), 60), "the preview did not start"
        edit(built, "briefings/russia-options-nagorno-karabakh.yaml", "range from bad to worse",
             "range from bad to terrible")
        build = start_build(built)
        try:
            _, err = build.communicate(timeout=300)
        finally:
            build.kill()
        assert build.returncode == 0, err
        # the preview's re-render waited for the build's lock, or the build for the preview's
        assert wait_for(lambda: "range from bad to terrible" in fetch(url), 120), "the preview stopped following edits"
        assert site_pages(built) == expected
        assert "range from bad to terrible" in (built.site / "briefings" / "russia-options-nagorno-karabakh.html"
                                                ).read_text(encoding="utf-8")
        edit(built, "briefings/russia-options-nagorno-karabakh.yaml", "range from bad to terrible",
             "range from bad to dreadful")
        assert wait_for(lambda: "range from bad to dreadful" in fetch(url), 60), "the preview stopped after the build"
    finally:
        serve.terminate()
        serve.wait(timeout=15)
