"""Versions of a briefing from git: judgments followed by id across three commits, what
changed, the history of each judgment, and a build without git or from a shallow clone."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefsite.app import BuildOptions, build, check
from briefsite.authoring.init import create_project
from briefsite.core import history
from briefsite.core.errors import ValidationError
from briefsite.core.project import Project
from briefsite.output import pdf
from briefsite.render.versions import VersionRenderer, diff_html

BRIEFING = "data/briefings/first-briefing.yaml"
GIT_ENV = {"GIT_AUTHOR_NAME": "Desk", "GIT_AUTHOR_EMAIL": "desk@example.org", "GIT_COMMITTER_NAME": "Desk",
           "GIT_COMMITTER_EMAIL": "desk@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

HEAD = """\
title: A first briefing
date: 2026-01-15
status: final
audience: public
region: Example region
tags: [example]
summary: The example actor keeps its course [@first-source].
actors:
  - actor: example-actor
    role: What it does in this situation.
"""


def judgment(jid: str, text: str, likelihood: str, confidence: str) -> str:
    return (f"  - id: {jid}\n    text: {text}\n    likelihood: {likelihood}\n    confidence: {confidence}\n"
            "    sources: [first-source]\n")


def escalation(likelihood: str, status: str) -> str:
    return (f"scenarios:\n  - id: escalation\n    title: Escalation\n    likelihood: {likelihood}\n"
            f"    description: Troops cross the line.\n    indicators:\n      - text: Troops mass at the border\n"
            f"        status: {status}\n")


def updates(*entries: tuple[str, str, str | None]) -> str:
    return "updates:\n" + "".join(f"  - date: {date}\n    note: {note}\n" + (f"    trend: {trend}\n" if trend else "")
                                   for date, note, trend in entries)


COURSE = "The example actor will keep its course."
TALKS = judgment("talks", "Talks will resume before spring.", "unlikely", "low")
FIRST = ("2026-01-15", "First issue.", None)
SECOND = ("2026-01-22", "Sanctions debated.", "deteriorated")
V1 = (HEAD + "key_judgments:\n" + judgment("course", COURSE, "likely", "moderate") + TALKS
      + escalation("unlikely", "unknown") + updates(FIRST))
V2 = (HEAD + "key_judgments:\n" + judgment("course", COURSE, "likely", "moderate") + TALKS
      + judgment("sanctions", "New sanctions will follow.", "roughly-even-chance", "low")
      + escalation("unlikely", "unknown") + updates(SECOND, FIRST))
V3 = (HEAD + "key_judgments:\n" + judgment("course", COURSE, "very-likely", "high")
      + judgment("sanctions", "New sanctions will follow within a month.", "roughly-even-chance", "low")
      + judgment("ceasefire", "A ceasefire will hold in the north.", "unlikely", "low")
      + escalation("roughly-even-chance", "observed")
      + updates(("2026-02-03", "Troop moves confirmed.", "risk-alert"), SECOND, FIRST))


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


def commit_versions(root: Path, *texts: str) -> None:
    git(root, "init", "-q", "-b", "main")
    for n, text in enumerate(texts, start=1):
        (root / BRIEFING).write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"version {n}")


def committed(tmp_path: Path, *texts: str) -> Project:
    """A new desk (`init`) whose briefing was committed as each of `texts` in turn (the
    `desk` fixture of conftest.py: V1, V2, V3)."""
    root = tmp_path / "desk"
    create_project(root)
    commit_versions(root, *texts)
    return Project.find(root)


def briefing_html(project: Project) -> str:
    return (project.site / "briefings" / "first-briefing.html").read_text(encoding="utf-8")


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def test_versions_come_from_the_commits(desk: Project) -> None:
    library, report = check(desk)
    versions = library.versions["first-briefing"]
    assert [v.date.isoformat() for v in versions] == ["2026-01-15", "2026-01-22", "2026-02-03"]
    assert [len(v.briefing.key_judgments) for v in versions] == [2, 3, 3]
    assert versions[0].commit and versions[1].commit and versions[0].commit != versions[1].commit
    assert not [p for p in report.problems if p.kind == "history-incomplete"]


def test_the_briefing_page_says_how_each_judgment_moved(desk: Project) -> None:
    build(desk, BuildOptions(quiet=True, pdf=False))
    written = briefing_html(desk)
    page = text_of(written)
    assert ("Very likely (80-95%), up from likely (55-80%) on 2026-01-22; confidence raised to high. "
            "Troop moves confirmed.") in page
    assert "New on 2026-02-03." in page
    assert "Reworded since 2026-01-22." in page
    # What changed since the version before
    start = written.index('<div class="what-changed">')
    block = text_of(written[start:written.index("</div>", start)])
    assert "Since the version of 2026-01-22: Troop moves confirmed." in block
    assert "new judgment: A ceasefire will hold in the north." in block
    assert "removed judgment: Talks will resume before spring." in block
    assert "re-graded The example actor will keep its course. — Very likely (80-95%), up from likely" in block
    assert "reworded New sanctions will follow within a month. (was: New sanctions will follow.)" in block
    assert "indicator Troops mass at the border (Escalation): unknown → observed" in block


def test_each_judgment_has_its_history_and_sparkline(desk: Project) -> None:
    build(desk, BuildOptions(quiet=True, pdf=False))
    page = briefing_html(desk)
    judgments = page[page.index('<ol class="key-judgments">'):]
    course = judgments[:judgments.index("New sanctions will follow")]
    assert "History of this judgment" in course
    rows = re.findall(r"<tr><td>.*?(\d{4}-\d\d-\d\d).*?</td><td>([^<]*)</td><td>([^<]*)</td></tr>", course)
    assert rows == [("2026-01-15", "likely", "moderate"), ("2026-01-22", "likely", "moderate"),
                    ("2026-02-03", "very likely", "high")]
    assert re.search(r'<svg class="sparkline" role="img" aria-label="Likelihood over time: likely on 2026-01-15; '
                     r'likely on 2026-01-22; very likely on 2026-02-03"', course)
    # graded the same in both its versions: its line says "reworded since", no history to open
    sanctions = judgments[judgments.index("New sanctions will follow"):judgments.index("A ceasefire will hold")]
    assert "Reworded since 2026-01-22" in text_of(sanctions) and "History of this judgment" not in sanctions


def test_a_folder_without_git_builds_and_says_so_once(desk: Project, tmp_path: Path) -> None:
    shutil.rmtree(desk.root / ".git")
    build(desk, BuildOptions(quiet=True, pdf=False))
    _, report = check(desk)
    missing = [p.format() for p in report.problems if p.kind == "history-incomplete"]
    assert missing == ["warning: data/briefings: 1 briefing with several updates but no git history to read them "
                       "from: each shows its current version only (keep the project in git to show how its "
                       "judgments moved)"] or len(missing) == 1, missing
    assert "What changed" not in briefing_html(desk)


def test_a_shallow_clone_builds_and_says_how_to_fetch_the_rest(desk: Project, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{desk.root}", str(clone)], check=True,
                   env={**os.environ, **GIT_ENV})
    project = Project.find(clone)
    build(project, BuildOptions(quiet=True, pdf=False))
    _, report = check(project)
    missing = [p.message for p in report.problems if p.kind == "history-incomplete"]
    assert len(missing) == 1 and "2 earlier versions not found in git history (first-briefing)" in missing[0]
    assert "fetch-depth: 0" in missing[0]


def test_an_update_never_committed_as_the_newest_is_named_with_how_versions_are_found(tmp_path: Path) -> None:
    """Two updates added at once (the first commit already holds both): the earlier one was
    never the newest entry of a commit, and the warning says which briefing and why."""
    project = committed(tmp_path, V2)
    _, report = check(project)
    missing = [p.message for p in report.problems if p.kind == "history-incomplete"]
    assert missing == ["1 earlier version not found in git history (first-briefing): each shows the versions found "
                       "only; an update counts from the commit where it was the newest entry of updates:, so commit "
                       "the briefing each time you add one (an entry added with a later one, or never committed, is "
                       "not found)"]


def test_ids_and_dated_updates_are_checked(desk: Project) -> None:
    path = desk.root / BRIEFING
    text = V3.replace("  - id: ceasefire\n", "  - id: course\n").replace("date: 2026-01-22", "date: 2026-02-10")
    text = text.replace("  - id: escalation\n    title", "  - title")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        check(desk)
    messages = [p.format() for p in err.value.problems if p.severity == "error"]
    assert any("key_judgments[2].id: the id 'course' is also the id of key_judgments[0]" in m for m in messages)
    assert any("updates[1].date: dated 2026-02-10, after the update above it (2026-02-03)" in m for m in messages)
    warned = [p.format() for p in err.value.problems if p.kind == "judgment-without-id"]
    assert len(warned) == 1 and "scenarios[0]: 1 key judgment or scenario of this briefing has no id" in warned[0]


def test_trends_show_on_the_lists_the_trends_page_and_the_feed(desk: Project) -> None:
    build(desk, BuildOptions(quiet=True, pdf=False))
    home = text_of((desk.site / "index.html").read_text(encoding="utf-8"))
    assert "⚠ Conflict risk alert" in home
    assert "⚠ Conflict risk alert" in text_of(briefing_html(desk))
    trends = text_of((desk.site / "trends.html").read_text(encoding="utf-8"))
    assert trends.index("February 2026") < trends.index("January 2026")
    assert "⚠ Conflict risk alert A first briefing (2026-02-03): Troop moves confirmed." in trends
    assert "↘ Deteriorated A first briefing (2026-01-22): Sanctions debated." in trends
    feed = (desk.site / "feed.xml").read_text(encoding="utf-8")
    assert '<category term="trend:risk-alert" label="Conflict risk alert" />' in feed
    assert "<summary type=\"text\">⚠ Conflict risk alert. The example actor keeps its course." in feed


def test_a_version_that_was_internal_is_not_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://example.org/briefs/")
    root = tmp_path / "desk"
    create_project(root)
    commit_versions(root, V1.replace("audience: public", "audience: internal"), V2, V3)
    project = Project.find(root)
    build(project, BuildOptions(quiet=True, pdf=False, public=True))
    rows = re.findall(r"<tr><td><time[^>]*>([\d-]+)</time>", briefing_html(project))
    assert "2026-01-22" in rows and "2026-01-15" not in rows
    assert sorted(p.name for p in (project.root / VERSIONS).iterdir()) == [
        "2026-01-22.html", "2026-02-03-changes.html", "2026-02-03.html"]
    assert "version of 2026-01-15" not in (project.site / "feed.xml").read_text(encoding="utf-8")
    build(project, BuildOptions(quiet=True, pdf=False))
    assert "2026-01-15" in re.findall(r"<tr><td><time[^>]*>([\d-]+)</time>", briefing_html(project))


def test_judgments_changed_without_a_reason_warn(desk: Project) -> None:
    path = desk.root / BRIEFING
    path.write_text(V3.replace("note: Troop moves confirmed.", 'note: ""'), encoding="utf-8")
    _, report = check(desk)
    assert [p.format().replace(str(desk.root) + "/", "") for p in report.problems
            if p.kind == "change-without-reason"] == [
        "warning: data/briefings/first-briefing.yaml:37:11: updates[0].note: judgments changed since the version "
        "before, and this update's note is empty: say what changed and why (readers see it as the reason beside "
        "each judgment that moved)"]


@pytest.mark.parametrize(("before", "after", "said"), [
    (("likely", "moderate"), ("very-likely", "high"),
     ["Very likely (80-95%), up from likely (55-80%) on 2026-01-22", "confidence raised to high"]),
    (("likely", "high"), ("unlikely", "low"),
     ["Unlikely (20-45%), down from likely (55-80%) on 2026-01-22", "confidence lowered to low"]),
    ((None, None), ("likely", None), ["Likely (55-80%), was not rated on 2026-01-22"]),
    (("likely", "low"), (None, None), ["Not rated, was likely (55-80%) on 2026-01-22", "confidence now not given"]),
    (("likely", "low"), ("likely", "low"), ["unchanged since 2026-01-22"]),
])
def test_how_a_grade_moved_in_words(before: tuple[str | None, str | None], after: tuple[str | None, str | None],
                                    said: list[str]) -> None:
    was, now = (history.Judged("j", "judgment", "Text.", *grades) for grades in (before, after))
    movement = history.Movement(now, was, dt.date(2026, 2, 3), dt.date(2026, 1, 22))
    assert movement.sentences() == said
    assert movement.regraded == (before != after)


# --- Dated versions: their pages, comparisons, PDFs and feed entries ------------------------

VERSIONS = "site/briefings/first-briefing"


def version_html(project: Project, name: str) -> str:
    return (project.root / VERSIONS / f"{name}.html").read_text(encoding="utf-8")


def indexed_urls(project: Project) -> set[str]:
    """The addresses of the pages in the search index (Pagefind's fragments, gzip'd JSON)."""
    found = set()
    for fragment in (project.site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        found.add(json.loads(data)["url"])
    return found


def test_every_version_has_a_page_that_says_whether_it_is_superseded(desk: Project) -> None:
    build(desk, BuildOptions(quiet=True, pdf=False))
    assert sorted(p.name for p in (desk.root / VERSIONS).iterdir()) == [
        "2026-01-15.html", "2026-01-22-changes.html", "2026-01-22.html", "2026-02-03-changes.html", "2026-02-03.html"]
    second = version_html(desk, "2026-01-22")
    said = text_of(second)
    assert "Superseded. This is the version of 2026-01-22, replaced on 2026-02-03. Read the current version." in said
    assert '<a href="../first-briefing.html">Read the current version</a>' in second
    assert '<a href="2026-01-15.html">Previous version' in second and '<a href="2026-02-03.html">Next version' in second
    # the version as issued: its judgments then, how they had moved then, and nothing of later versions
    assert "New sanctions will follow." in said and "within a month" not in said and "ceasefire" not in said
    assert "New on 2026-01-22. Sanctions debated." in said
    assert "Current version, issued on 2026-02-03" in text_of(version_html(desk, "2026-02-03"))
    # the briefing's own page leads to each version and what it changed
    page = briefing_html(desk)
    assert '<a href="first-briefing/2026-01-22.html">this version</a>' in page
    assert '<a href="first-briefing/2026-01-22-changes.html">what changed</a>' in page
    # readers searching find the current text, not the old versions
    urls = indexed_urls(desk)
    assert "/briefings/first-briefing.html" in urls
    assert not [u for u in urls if "/first-briefing/" in u]


def test_the_comparison_shows_judgments_side_by_side_and_prose_word_by_word(desk: Project) -> None:
    build(desk, BuildOptions(quiet=True, pdf=False))
    compare = version_html(desk, "2026-02-03-changes")
    found = re.findall(r'<tr><th scope="row">.*?</tr>', compare, re.S)
    rows = {text_of(row).split(" ")[1]: text_of(row) for row in found}
    assert set(rows) == {"course", "sanctions", "ceasefire", "escalation", "talks"}
    assert rows["course"].endswith("Likely 55-80% Moderate confidence Likelihood: very likely, 80 to 95 "
                                   "percentVery likely 80-95% High confidence")
    assert rows["ceasefire"].startswith("Judgment ceasefire new —")
    assert rows["talks"].startswith("Judgment talks removed") and rows["talks"].endswith("—")
    assert ('New sanctions will follow <ins class="diff-added"><span class="sr-only">[added:]</span>'
            'within a month</ins>.') in compare
    assert "Troops mass at the border (Escalation): unknown → observed" in text_of(compare)


def test_prose_differences_are_escaped() -> None:
    shown = str(diff_html("Talks <b>stall</b> & fail.", "Talks <i>resume</i> & fail."))
    assert "<b>" not in shown and "<i>" not in shown and "&lt;/" in shown and "&amp; fail." in shown


def test_each_version_is_an_entry_of_the_feed(desk: Project) -> None:
    build(desk, BuildOptions(quiet=True, pdf=False))
    feed = ET.parse(desk.site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = [(e.findtext("a:title", namespaces=ns), e.find("a:link", ns).get("href"),  # type: ignore[union-attr]
                e.findtext("a:summary", namespaces=ns)) for e in feed.findall("a:entry", ns)]
    assert [(title, href) for title, href, _ in entries] == [
        ("A first briefing", "briefings/first-briefing.html"),
        ("A first briefing (version of 2026-01-22, superseded)", "briefings/first-briefing/2026-01-22.html"),
        ("A first briefing (version of 2026-01-15, superseded)", "briefings/first-briefing/2026-01-15.html")]
    assert "What changed since 2026-01-22: new judgment: A ceasefire will hold in the north; removed judgment" in (
        entries[0][2] or "")
    assert entries[1][2] == ("↘ Deteriorated. Sanctions debated. What changed since 2026-01-15: new judgment: "
                             "New sanctions will follow.")


def test_each_version_has_its_pdf(desk: Project) -> None:
    build(desk, BuildOptions(quiet=True, pdf=True))
    folder = desk.site / "pdf" / "first-briefing"
    assert sorted(p.name for p in folder.iterdir()) == ["2026-01-15.pdf", "2026-01-22.pdf", "2026-02-03.pdf"]
    text = " ".join(subprocess.run(["pdftotext", str(folder / "2026-01-22.pdf"), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Superseded by the version of 2026-02-03: this is the briefing as issued on 2026-01-22." in text
    assert "New sanctions will follow." in text and "ceasefire" not in text
    assert '<a href="../../pdf/first-briefing/2026-01-22.pdf">PDF of this version</a>' in version_html(
        desk, "2026-01-22")


def test_a_versions_print_document_is_made_as_its_pdf_is_typeset(desk: Project,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """As the briefings' (see test_pdf): a desk with long histories would otherwise hold
    every version's print HTML at once before the first PDF."""
    made: list[str] = []
    handed: list[tuple[str, int]] = []
    print_job, typeset = VersionRenderer.print_job, pdf._typeset

    def making(self, dated):  # type: ignore[no-untyped-def]
        made.append(dated.pdf_name)
        return print_job(self, dated)

    def watching(todo, *args):  # type: ignore[no-untyped-def]
        def handing():  # type: ignore[no-untyped-def]
            for job, key in todo:
                handed.append((job.name, len(made)))
                yield job, key
        return typeset(handing(), *args)

    monkeypatch.setattr(VersionRenderer, "print_job", making)
    monkeypatch.setattr(pdf, "_typeset", watching)
    build(desk, BuildOptions(quiet=True, pdf=True))
    versions = [(name, made_then) for name, made_then in handed if "/" in name]
    assert [name for name, _ in versions] == made and len(made) == 3
    assert [made_then for _, made_then in versions] == [1, 2, 3]  # each made only when its turn came
    assert len(list((desk.site / "pdf" / "first-briefing").iterdir())) == 3


def test_a_version_page_is_kept_while_nothing_it_shows_changes(desk: Project) -> None:
    """A later version changes nothing an earlier one shows (see tests/test_rebuild.py for what does)."""
    build(desk, BuildOptions(quiet=True, pdf=False))
    first = desk.root / VERSIONS / "2026-01-15.html"
    before = (first.stat().st_ino, first.read_bytes())
    current = version_html(desk, "2026-02-03")
    # a fourth version: the third is superseded now; the first stays as it was, byte for byte
    fourth = V3.replace("updates:\n", "updates:\n  - date: 2026-02-10\n    note: Quiet week.\n")
    (desk.root / BRIEFING).write_text(fourth, encoding="utf-8")
    git(desk.root, "commit", "-qam", "version 4")
    build(desk, BuildOptions(quiet=True, pdf=False))
    assert (first.stat().st_ino, first.read_bytes()) == before
    assert version_html(desk, "2026-02-03") != current
    assert "Superseded." in text_of(version_html(desk, "2026-02-03"))


def test_an_earlier_version_naming_what_is_gone_shows_it_as_text(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    create_project(root)
    gone = V1.replace("role: What it does in this situation.", "role: What it does.\n  - actor: gone-actor") \
             .replace("[@first-source]", "[@first-source; @gone-source] beside [[gone-actor]]")
    (root / "data" / "actors" / "gone-actor.yaml").write_text("name: Gone Actor\nkind: person\n", encoding="utf-8")
    (root / "data" / "sources" / "gone.yaml").write_text(
        "- id: gone-source\n  title: Gone\n  url: https://example.org/gone\n", encoding="utf-8")
    commit_versions(root, gone)
    (root / "data" / "actors" / "gone-actor.yaml").unlink()
    (root / "data" / "sources" / "gone.yaml").unlink()
    (root / BRIEFING).write_text(V2, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "version 2")
    project = Project.find(root)
    build(project, BuildOptions(quiet=True, pdf=False))
    first = text_of(version_html(project, "2026-01-15"))
    assert "The example actor keeps its course [1] beside Gone Actor." not in first
    assert "beside (unpublished)" in first and "Gone Actor" not in first and "gone-source" not in first


def test_a_briefings_versions_are_in_its_language_and_in_the_sites_new_one(tmp_path: Path) -> None:
    """A version page speaks its briefing's language (`lang:`); and when the site's language
    changes, a version page kept from the build before is made again in the new one."""
    from briefsite.render.words import words_for

    russian = [v.replace("status: final\n", "status: final\nlang: ru\n", 1) for v in (V1, V2)]
    project = committed(tmp_path / "ru", *russian)
    build(project, BuildOptions(quiet=True, pdf=False))
    page = version_html(project, "2026-01-15")
    assert '<html lang="ru"' in page and words_for("ru")._("Bottom line") in page

    project = committed(tmp_path / "en", V1, V2)
    build(project, BuildOptions(quiet=True, pdf=False))
    assert '<html lang="en"' in version_html(project, "2026-01-15")
    site = project.data / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: en", "language: fr"), encoding="utf-8")
    build(project, BuildOptions(quiet=True, pdf=False))
    page = version_html(project, "2026-01-15")
    assert '<html lang="fr"' in page and words_for("fr")._("Bottom line") in page
