"""Files a build keeps in build/ (incremental/outputs.py, core/folders.py): nothing there is
used or published without being checked against the signed cache, a link put anywhere in
build/ is never followed, and `pdf` writes for the readers the site was built for."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from briefsite.app import BuildOptions, build, build_pdfs
from briefsite.cli import main
from briefsite.core.errors import PdfError
from briefsite.core.project import Project
from briefsite.incremental import store
from briefsite.incremental.outputs import KeptFiles
from briefsite.output.writer import read_tree
from tests.test_history import BRIEFING, V3
from tests.test_rebuild import SECRET, SECRET_SOURCE

VERSIONS = Path("build/version-cache/briefings/first-briefing")
MARK = "PLANTED-9f3c"
OUTSIDE_TEXT = "a file outside the project, which no build may read or change\n"


def links_in(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_symlink()]


def marked_files(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and not p.is_symlink() and MARK.encode() in p.read_bytes()]


def test_a_version_page_changed_in_the_cache_is_made_again_and_said(desk: Project,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--project", str(desk.root), "--no-pdf", "--quiet"]) == 0
    cached = desk.root / VERSIONS / "2026-01-22.html"
    site_page = desk.site / "briefings" / "first-briefing" / "2026-01-22.html"
    clean = site_page.read_bytes()
    os.unlink(cached)  # the site links the same file: appending in place would change the live site too
    cached.write_bytes(clean + f'<script>alert("{MARK}")</script><meta http-equiv=refresh content="0;url=https://evil.example/">'.encode())
    capsys.readouterr()
    assert main(["build", "--project", str(desk.root), "--no-pdf", "--quiet"]) == 0
    assert site_page.read_bytes() == clean
    assert "note: 1 file kept in build/ had changed since this tool made it" in capsys.readouterr().err
    assert not marked_files(desk.site)


def test_a_build_that_stopped_leaves_no_false_alarm(desk: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a failed build rewrote in build/ is not taken for a file changed by someone else."""
    build(desk, BuildOptions(quiet=True))
    actor = desk.data / "actors" / "example-actor.yaml"
    before = actor.read_text(encoding="utf-8")
    actor.write_text(before.replace("name: ", "name: Renamed ", 1), encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> None:
        raise PdfError("typesetting failed")

    with monkeypatch.context() as failing:
        failing.setattr("briefsite.output.pdf._typeset", fail)
        with pytest.raises(PdfError):
            build(desk, BuildOptions(quiet=True))  # the version pages were made again, then it stopped
    actor.write_text(before, encoding="utf-8")  # and the edit taken back: the last good build's record fits again
    assert build(desk, BuildOptions(quiet=True)).notes == []
    assert "Renamed" not in (desk.site / "briefings" / "first-briefing" / "2026-01-15.html").read_text(encoding="utf-8")


def test_a_pdf_changed_or_linked_in_the_cache_is_made_again(desk: Project, tmp_path: Path) -> None:
    build(desk, BuildOptions(quiet=True))
    outside = tmp_path / "outside.pdf"
    outside.write_text(OUTSIDE_TEXT, encoding="utf-8")
    cache = desk.build / "pdf-cache"
    book = cache / "briefing-book.pdf"
    book.unlink()
    book.write_bytes(b"%PDF-1.7 " + MARK.encode())
    briefing = cache / "first-briefing.pdf"
    briefing.unlink()
    briefing.symlink_to(outside)
    version = cache / "first-briefing" / "2026-01-15.pdf"
    version.unlink()
    version.symlink_to(outside)
    build(desk, BuildOptions(quiet=True))
    assert not links_in(desk.site) and not marked_files(desk.site)
    for name in ("briefing-book.pdf", "first-briefing.pdf", "first-briefing/2026-01-15.pdf"):
        assert (desk.site / "pdf" / name).read_bytes().startswith(b"%PDF-")
        assert OUTSIDE_TEXT.encode() not in (desk.site / "pdf" / name).read_bytes()
    assert outside.read_text(encoding="utf-8") == OUTSIDE_TEXT


FOLDERS = ["build", "build/cache", "build/docs", "build/docs/briefings", "build/docs/actors", "build/version-cache",
           str(VERSIONS), "build/pdf-cache", "build/pdf-cache/first-briefing"]
"""Every folder a build of the desk leaves in build/."""


def test_nothing_planted_in_any_folder_of_build_is_published_or_followed(desk: Project, tmp_path: Path) -> None:
    build(desk, BuildOptions(quiet=True))
    expected = sorted(read_tree(desk.site))
    assert {str(p.relative_to(desk.root)) for p in desk.build.rglob("*") if p.is_dir()} >= set(FOLDERS) - {"build"}
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text(f"<p>{MARK}</p>\n", encoding="utf-8")
    (outside / "secret.txt").write_text(OUTSIDE_TEXT, encoding="utf-8")
    for folder in FOLDERS:
        where = desk.root / folder
        (where / f"{MARK}.html").write_text(f"<script>{MARK}</script>", encoding="utf-8")
        (where / f"{MARK}.md").write_text(f"# {MARK}\n", encoding="utf-8")
        (where / f"{MARK}.pdf").write_bytes(f"%PDF-1.7 {MARK}".encode())
        (where / "linked-folder").symlink_to(outside)
        (where / "linked-file.html").symlink_to(outside / "secret.html")
        (where / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    build(desk, BuildOptions(quiet=True))
    assert not links_in(desk.site)
    assert not marked_files(desk.site)
    assert sorted(read_tree(desk.site)) == expected
    assert (outside / "secret.txt").read_text(encoding="utf-8") == OUTSIDE_TEXT


def test_a_link_in_place_of_a_file_the_build_writes_is_replaced_not_written_through(
        desk: Project, tmp_path: Path) -> None:
    build(desk, BuildOptions(quiet=True, pdf=False))
    names = [".lock", "mkdocs.yml", "cache/memory.pickle", "cache/outputs.pickle"]
    for n, name in enumerate(names):
        outside = tmp_path / f"outside-{n}.txt"
        outside.write_text(OUTSIDE_TEXT, encoding="utf-8")
        (desk.build / name).unlink()
        (desk.build / name).symlink_to(outside)
    (desk.root / BRIEFING).write_text(V3.replace("Troop moves confirmed.", "Troop moves seen."), encoding="utf-8")
    build(desk, BuildOptions(quiet=True, pdf=False))
    for n, name in enumerate(names):
        assert (tmp_path / f"outside-{n}.txt").read_text(encoding="utf-8") == OUTSIDE_TEXT, name
    assert not (desk.build / ".lock").is_symlink() and not (desk.build / "mkdocs.yml").is_symlink()
    assert (desk.site / "briefings" / "first-briefing.html").is_file()


def test_a_folder_of_build_replaced_by_a_link_is_never_written_through(desk: Project, tmp_path: Path) -> None:
    build(desk, BuildOptions(quiet=True))
    for name in ("docs", "version-cache", "pdf-cache", "cache"):
        outside = tmp_path / f"outside-{name}"
        outside.mkdir()
        (outside / "keep.txt").write_text(OUTSIDE_TEXT, encoding="utf-8")
        os.rename(desk.build / name, tmp_path / f"old-{name}")
        (desk.build / name).symlink_to(outside)
    build(desk, BuildOptions(quiet=True))
    for name in ("docs", "version-cache", "pdf-cache", "cache"):
        assert sorted(p.name for p in (tmp_path / f"outside-{name}").iterdir()) == ["keep.txt"]
    assert not links_in(desk.site)
    assert (desk.site / "briefings" / "first-briefing" / "2026-01-15.html").is_file()


# --- `pdf` writes for the readers the site was built for ---------------------------------

def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_after_a_public_build_writes_only_public_pdfs(desk: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    (desk.data / "briefings" / "secret.yaml").write_text(SECRET, encoding="utf-8")
    (desk.data / "sources" / "secret.yaml").write_text(SECRET_SOURCE, encoding="utf-8")
    build(desk, BuildOptions(quiet=True))
    assert (desk.site / "pdf" / "secret.pdf").is_file()
    monkeypatch.setenv("SITE_URL", "https://example.org/briefs/")
    build(desk, BuildOptions(quiet=True, public=True))
    assert not (desk.site / "pdf" / "secret.pdf").exists()
    build_pdfs(desk)  # without --public: the site says who reads it
    assert not (desk.site / "pdf" / "secret.pdf").exists()
    assert "secret assessment" not in pdf_text(desk.site / "pdf" / "briefing-book.pdf")
    with pytest.raises(PdfError, match="no briefing has the id 'secret'"):
        build_pdfs(desk, ["secret"])

    build(desk, BuildOptions(quiet=True, pdf=False))  # an internal site again
    with pytest.raises(PdfError, match="built for internal readers"):
        build_pdfs(desk, public=True)
    build_pdfs(desk)
    assert "secret assessment" in pdf_text(desk.site / "pdf" / "briefing-book.pdf")


def test_pdf_into_a_site_this_project_did_not_build_is_refused(desk: Project) -> None:
    build(desk, BuildOptions(quiet=True, pdf=False))
    (desk.site / "index.html").write_text("<p>another site</p>", encoding="utf-8")
    with pytest.raises(PdfError, match="was not made by this project's last build"):
        build_pdfs(desk)
    assert not (desk.site / "pdf").exists()


def test_pdf_after_the_tool_was_upgraded_asks_for_a_build_and_says_why(desk: Project,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """What a build kept is not trusted by other code: a desk that upgraded is told so."""
    build(desk, BuildOptions(quiet=True, pdf=False))
    monkeypatch.setattr(store, "stamp", lambda: "the tool of a later release")
    with pytest.raises(PdfError, match=r"or this tool or its libraries were upgraded since.*run 'build'"):
        build_pdfs(desk)
    assert not (desk.site / "pdf").exists()


def test_the_kept_record_is_signed_like_the_cache(desk: Project) -> None:
    build(desk, BuildOptions(quiet=True))
    kept = store.load_outputs(desk)
    assert kept.site is not None and not kept.site.public
    assert any(name.startswith("pdf-cache/") for name in kept.entries)
    assert any(name.startswith("version-cache/") for name in kept.entries)
    path = store.outputs_file(desk)
    data = bytearray(path.read_bytes())
    data[-5] ^= 1  # one bit of the record flipped: not signed by us, so an empty record
    path.write_bytes(bytes(data))
    assert store.load_outputs(desk) == KeptFiles()
