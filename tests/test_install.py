"""The tool apart from its content: `init` creates a desk's project, every command finds the
project it runs in, a project overrides a template or a stylesheet by a file of the same
name, and `pip install .` gives the `briefsite` command with everything it needs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from briefsite.cli import main
from briefsite.core.project import DEFAULT_TEMPLATES
from tests.conftest import REPO

BRIEFING = "briefings/first-briefing.html"


def in_folder(folder: Path, *args: str) -> int:
    """The command line, run as a user would in `folder`."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        return main(list(args))
    finally:
        os.chdir(here)


def test_init_writes_a_valid_project_and_refuses_a_folder_in_use(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert in_folder(tmp_path, "init", "desk") == 0
    desk = tmp_path / "desk"
    names = sorted(p.relative_to(desk).as_posix() for p in desk.rglob("*") if p.is_file())
    assert [n for n in names if not n.startswith(("manual/", "schema/"))] == [
        ".github/workflows/publish.yml", ".gitignore", "README.md", "data/actors/example-actor.yaml",
        "data/briefings/first-briefing.yaml", "data/glossary.yaml", "data/site.yaml", "data/sources/sources.yaml",
        "mkdocs.yml"]
    assert "manual/format.md" in names and "schema/briefing.schema.json" in names
    assert_desk_has_what_it_is_told_about(desk)
    assert "fetch-depth: 0" in (desk / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    assert "build/\nsite/\n" in (desk / ".gitignore").read_text(encoding="utf-8")
    capsys.readouterr()
    # every command finds the project from any folder inside it, as git does
    assert in_folder(desk / "data" / "briefings", "validate") == 0
    assert capsys.readouterr().out.strip().endswith("desk/data: valid (0 warnings).")
    assert in_folder(tmp_path, "init", "desk") == 1
    assert "desk: already exists and is not an empty folder" in capsys.readouterr().err


def test_a_command_outside_any_project_says_how_to_get_one(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert in_folder(tmp_path, "validate") == 1
    err = capsys.readouterr().err
    assert f"no project here: no mkdocs.yml in {tmp_path.resolve()} or any folder above it" in err
    assert "give --project DIR, or create one with:" in err and " init DIR" in err


def test_hints_repeat_the_options_they_need(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert in_folder(tmp_path, "init", "desk") == 0
    capsys.readouterr()
    assert in_folder(tmp_path, "new", "briefing", "second", "--project", "desk") == 0
    assert "then check with: python build_brief.py validate --project desk" in capsys.readouterr().out


@pytest.mark.slow
def test_a_desk_overrides_one_template_and_one_stylesheet(tmp_path: Path) -> None:
    assert in_folder(tmp_path, "init", "desk") == 0
    desk = tmp_path / "desk"
    (desk / "templates").mkdir()
    briefing = (DEFAULT_TEMPLATES / "briefing.md.j2").read_text(encoding="utf-8")
    (desk / "templates" / "briefing.md.j2").write_text(briefing + "\n<p>Our desk's own footer</p>\n",
                                                       encoding="utf-8")
    (desk / "docs" / "stylesheets").mkdir(parents=True)
    (desk / "docs" / "stylesheets" / "brief.css").write_text("/* the desk's own */\n", encoding="utf-8")
    assert in_folder(desk, "build", "--quiet") == 0
    site = desk / "site"
    assert "<p>Our desk's own footer</p>" in (site / BRIEFING).read_text(encoding="utf-8")
    assert "own footer" not in (site / "actors" / "example-actor.html").read_text(encoding="utf-8")
    assert "Key judgments" in (site / BRIEFING).read_text(encoding="utf-8")  # the rest as the tool has it
    assert (site / "stylesheets" / "brief.css").read_text(encoding="utf-8") == "/* the desk's own */\n"
    assert (site / "stylesheets" / "views.css").read_bytes() == (REPO / "docs/stylesheets/views.css").read_bytes()
    assert sorted(p.name for p in (site / "pdf").iterdir()) == ["briefing-book.pdf", "first-briefing.pdf"]


def test_a_desk_override_of_the_briefing_body_reaches_page_and_pdf(tmp_path: Path) -> None:
    """The README's promise: `_briefing_body.j2` is the content of both media."""
    assert in_folder(tmp_path, "init", "desk") == 0
    desk = tmp_path / "desk"
    (desk / "templates").mkdir()
    body = (DEFAULT_TEMPLATES / "_briefing_body.j2").read_text(encoding="utf-8")
    (desk / "templates" / "_briefing_body.j2").write_text(
        body.replace('<div class="bluf">', "<p>Handling note of our desk</p>\n<div class=\"bluf\">", 1),
        encoding="utf-8")
    assert in_folder(desk, "build", "--quiet") == 0
    assert "Handling note of our desk" in (desk / "site" / BRIEFING).read_text(encoding="utf-8")
    pdf = subprocess.run(["pdftotext", str(desk / "site" / "pdf" / "first-briefing.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "Handling note of our desk" in pdf


@pytest.mark.slow
def test_pip_install_gives_the_briefsite_command(tmp_path: Path) -> None:
    """A wheel of this repository in a new virtualenv: the `briefsite` command, with the
    templates and stylesheets inside the package, creates and builds a desk."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # the dependencies are those of this environment (already installed and pinned); the
    # package itself is built from the repository and installed as a user would
    site_packages = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    ours = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "mkdocs").is_dir())
    Path(site_packages, "dependencies.pth").write_text(f"{ours}\n", encoding="utf-8")
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv", "build", "site", "node_modules", ".git",
                                                               "*.egg-info", "test-artifacts", ".*_cache"))
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(source)], check=True,
                   capture_output=True, timeout=300)
    shutil.rmtree(source)  # nothing may come from the repository any more
    installed = Path(site_packages) / "briefsite" / "defaults"
    assert (installed / "templates" / "briefing.md.j2").is_file()
    assert not (installed / "templates").is_symlink() and (installed / "stylesheets" / "brief.css").is_file()
    command = env_dir / "bin" / "briefsite"
    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([str(command), "init", "my-desk"], cwd=tmp_path, capture_output=True, text=True,
                         env=clean_env, check=True)
    assert "Next: cd my-desk && briefsite build" in run.stdout
    desk = tmp_path / "my-desk"
    assert_desk_has_what_it_is_told_about(desk)
    (desk / "docs" / "stylesheets").mkdir(parents=True)
    (desk / "docs" / "stylesheets" / "extra.css").write_text(EXTRA, encoding="utf-8")
    built = subprocess.run([str(command), "build"], cwd=desk, capture_output=True, text=True,
                           env=clean_env, check=False)
    assert built.returncode == 0, built.stderr
    site = desk / "site"
    assert (site / BRIEFING).is_file() and (site / "pdf" / "first-briefing.pdf").is_file()
    assert (site / "stylesheets" / "brief.css").is_file() and (site / "pagefind").is_dir()
    assert 'stylesheets/extra.css"' in (site / "index.html").read_text(encoding="utf-8")
    assert (0.48, 0.12, 0.64) in fill_colours(site / "pdf" / "first-briefing.pdf")  # the headings, purple


EXTRA = ":root, [data-md-color-primary] { --md-primary-fg-color: #7b1fa2; }\n"


def fill_colours(path: Path) -> set[tuple[float, ...]]:
    import pikepdf

    with pikepdf.open(path) as doc:
        return {tuple(round(float(x), 2) for x in operands) for page in doc.pages
                for operands, op in pikepdf.parse_content_stream(page) if str(op) == "rg"}


def assert_desk_has_what_it_is_told_about(desk: Path) -> None:
    """Every content file names a schema that is there, and every page of the manual that the
    desk's README links is there."""
    for file in (desk / "data").rglob("*.yaml"):
        first = file.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), file
        assert (file.parent / first.split("=", 1)[1]).resolve().is_file(), first
    linked = re.findall(r"\]\((manual/[\w.-]+\.md)\)", (desk / "README.md").read_text(encoding="utf-8"))
    assert linked and all((desk / page).is_file() for page in linked), linked
