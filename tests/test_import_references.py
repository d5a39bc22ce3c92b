"""`sources import` of reference managers' exports: CSL JSON and BibTeX mapped to sources,
the references skipped, de-duplication, and what the command prints."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from briefsite import cli
from briefsite.authoring import bibtex, references, sources
from briefsite.core.errors import BriefError
from briefsite.core.project import Project
from briefsite.read.library import load_library
from tests.catalogue import IMPORT_CASES, ImportCase, import_problems_of

FIXTURES = Path(__file__).parent / "fixtures" / "references"
ZOTERO, BIB = FIXTURES / "zotero.json", FIXTURES / "library.bib"
KREMLIN = "https://en.kremlin.ru/events/president/news/64384"
MT_OPTIONS = ("https://www.themoscowtimes.com/2020/10/15/russias-options-in-nagorno-karabakh-range-from-bad-to-worse"
              "-a71760/")


def imported(project: Project, name: str = "imported.yaml") -> dict[str, dict[str, object]]:
    entries = yaml.safe_load((project.data / "sources" / name).read_text(encoding="utf-8"))
    return {e["id"]: e for e in entries}


def errors_of(project: Project) -> list[str]:
    _, report = load_library(project.data)
    return [p.format() for p in report.errors]


def import_here(project: Project, fixture: Path, monkeypatch: pytest.MonkeyPatch) -> sources.Imported:
    """Import a copy of the fixture from the project's folder, so messages name it as 'zotero.json'."""
    shutil.copy(fixture, project.root / fixture.name)
    monkeypatch.chdir(project.root)
    return sources.import_sources(project, Path(fixture.name))


def messages(result: sources.Imported) -> list[str]:
    return [s.problem.format() for s in result.skipped]


# --- the catalogue's bad exports (docs/errors.md) ----------------------------------------------

@pytest.mark.parametrize("case", IMPORT_CASES, ids=[c.key for c in IMPORT_CASES])
def test_a_bad_export_gives_exactly_its_messages(case: ImportCase, tmp_path: Path) -> None:
    assert import_problems_of(tmp_path, case) == list(case.expected)
    assert case.fix and case.key.startswith("import-")


def test_a_title_that_reads_as_an_impossible_date_is_quoted(project: Project,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML raises a bare ValueError for '2020-13-45': the value is written quoted, as text."""
    monkeypatch.chdir(project.root)
    Path("dates.json").write_text('[{"id": "a", "type": "webpage", "title": "2020-13-45", "author": "2020-02-30", '
                                  '"URL": "https://example.org/dates"}]', encoding="utf-8")
    sources.import_sources(project, Path("dates.json"))
    assert imported(project)["example-dates"]["title"] == "2020-13-45"
    assert errors_of(project) == []


def test_addresses_as_reference_managers_escape_them() -> None:
    refs, _ = bibtex.read_bibtex(
        "@misc{a, url = {https://example.org/a{\\_}b?x=1{\\&}y=50{\\%}}}\n"  # Mendeley
        "@misc{b, url = {https://example.org/a\\_b}, doi = {10.1000/x\\_y}}\n"
        "@misc{c, doi = {https://doi.org/10.1000/z}, note = {Archived: https://web.archive.org/web/2020/https://e.org/c.}}\n")
    assert [(r.url, r.values.get("archive_url")) for r in refs] == [
        ("https://example.org/a_b?x=1&y=50%", None),
        ("https://example.org/a_b", None),
        ("https://doi.org/10.1000/z", "https://web.archive.org/web/2020/https://e.org/c"),
    ]


def test_dates_as_reference_managers_write_them() -> None:
    refs, _ = bibtex.read_bibtex(
        "@misc{a, url = {https://example.org/a}, year = {2021}, month = {13}}\n"
        "@misc{b, url = {https://example.org/b}, year = 2021, month = sep, day = {5}}\n"
        "@misc{c, url = {https://example.org/c}, date = {2020-03-11T10:00:00/2020-03-12}, urldate = {2026-01-02}}\n")
    assert [(r.values.get("published"), r.partial, r.notes) for r in refs] == [
        (None, {}, ["published: '2021-13' is not a real date: there is no month 13; left out"]),
        ("2021-09-05", {}, []),
        ("2020-03-11", {}, []),
    ]
    csl, _ = references.read_csl('[{"issued": "2020-10-15", "accessed": {"raw": "2026-11"}},'
                                 ' {"issued": {"date-parts": [["2020", "x"]]}}]')
    assert [(r.values.get("published"), r.partial, r.notes) for r in csl] == [
        ("2020-10-15", {"accessed": "2026-11"}, []),
        (None, {}, ['published: ["2020", "x"] is not a date; left out']),
    ]


# --- detection ------------------------------------------------------------------------------------

def test_the_format_comes_from_the_extension_then_the_content() -> None:
    csl, bib = ZOTERO.read_text(encoding="utf-8"), BIB.read_text(encoding="utf-8")
    assert references.detect("zotero.json", csl) == references.CSL_JSON
    assert references.detect("broken.json", "not json") == references.CSL_JSON  # and refused as such
    assert references.detect("library.bib", bib) == references.BIBTEX
    assert references.detect("export.txt", csl) == references.CSL_JSON
    assert references.detect("export.txt", bib) == references.BIBTEX
    assert references.detect("links.txt", "See https://example.org/a and [1] https://example.org/b") == \
        references.TEXT
    assert references.detect("mail.txt", "Write to someone@example.org{x} or see @home") == references.TEXT
    assert references.detect("list.txt", '["https://example.org/a"]') == references.TEXT


# --- CSL JSON ---------------------------------------------------------------------------------------

def test_a_zotero_export_becomes_valid_sources(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (project.data / "sources" / "sources.yaml").read_text(encoding="utf-8")
    result = import_here(project, ZOTERO, monkeypatch)
    assert result.form == references.CSL_JSON and result.items == 8 and result.not_added == 1
    assert result.known == {KREMLIN: "kremlin-trilateral-statement"}
    entries = imported(project)
    assert list(entries) == ["tass-politika-9718123", "crisisgroup-264-improving-prospects-peace-after-nagorno",
                             "arlis-documentview", "acleddata-data-export-tool",
                             "blogs-aljazeera-nagorno-karabakh-proxy-war", "president-view-45923"]
    assert entries["tass-politika-9718123"] == {
        "id": "tass-politika-9718123", "title": "Путин и Эрдоган обсудили по телефону ситуацию в Нагорном Карабахе",
        "url": "https://tass.ru/politika/9718123", "publisher": "ТАСС", "author": "Сергей Иванов",
        "published": dt.date(2020, 10, 14), "accessed": dt.date(2026, 11, 24),
        "archive_url": "https://web.archive.org/web/20201015083000/https://tass.ru/politika/9718123",
        "kind": "news", "language": "ru"}
    # a literal author, a year alone (kept as a comment), a region subtag kept
    report = entries["crisisgroup-264-improving-prospects-peace-after-nagorno"]
    assert (report["author"], report["publisher"], report["kind"], report["language"]) == (
        "International Crisis Group", "International Crisis Group", "analysis", "en-US")
    assert "published" not in report
    text = (project.data / "sources" / "imported.yaml").read_text(encoding="utf-8")
    assert "  # published: 2020  # the reference gives the year alone: published takes a whole date, YYYY-MM-DD\n" \
        in text
    assert "  # published: 2021-03  # the reference gives no day: published takes a whole date, YYYY-MM-DD\n" in text
    assert entries["arlis-documentview"]["publisher"] == "Ազգային ժողով"
    assert entries["arlis-documentview"]["kind"] == "official"
    assert entries["blogs-aljazeera-nagorno-karabakh-proxy-war"] == {
        "id": "blogs-aljazeera-nagorno-karabakh-proxy-war", "title": "ناغورنو كاراباخ: حرب بالوكالة؟",
        "url": "https://blogs.aljazeera.net/blogs/2020/10/20/nagorno-karabakh-proxy-war",
        "publisher": "مدونات الجزيرة", "author": "أحمد الخطيب", "published": dt.date(2020, 10, 20),
        "kind": "opinion", "language": "ar"}
    # a URL on web.archive.org: the page it archived is the address, the copy the archive_url
    aliyev = entries["president-view-45923"]
    assert (aliyev["url"], aliyev["archive_url"]) == (
        "https://president.az/en/articles/view/45923",
        "https://web.archive.org/web/20201110093000/https://president.az/en/articles/view/45923")
    assert "kind" not in aliyev  # a webpage is 'other': left as the commented hint
    assert messages(result) == [
        "warning: zotero.json:91:2: item 'http://zotero.org/users/local/kQ3pzXwL/items/ZB9K3MTU': language: "
        "'Multiple languages' is not a language code or a language we know by name; left out",
        "warning: zotero.json:144:2: item 'http://zotero.org/users/local/kQ3pzXwL/items/R7CW2KXF' (\"The Caucasus: "
        "An Introduction\") has no URL (nor DOI), which a source needs; skipped",
    ]
    assert result.untitled == []
    assert errors_of(project) == []
    assert (project.data / "sources" / "sources.yaml").read_text(encoding="utf-8") == before

    again = sources.import_sources(project, Path(ZOTERO.name))
    assert again.written is None and len(again.known) == 7
    assert again.known["https://tass.ru/politika/9718123"] == "tass-politika-9718123"


def test_malformed_json_is_one_error_with_its_place(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    cases = {
        "bad.json": ('[\n  {"type": "webpage", "title": "A"}\n  {"type": "webpage"}\n]\n',
                     "error: bad.json:3:3: not valid JSON: Expecting ',' delimiter (read as CSL JSON)"),
        "object.json": ('{"items": []}\n', "error: object.json: expected CSL JSON: a list of items ([{...}, ...]), "
                        "as Zotero and Mendeley export it; found an object (read as CSL JSON)"),
    }
    for name, (text, expected) in cases.items():
        Path(name).write_text(text, encoding="utf-8")
        with pytest.raises(BriefError) as refused:
            sources.import_sources(project, Path(name))
        assert [p.format() for p in refused.value.problems] == [expected]
    assert not (project.data / "sources" / "imported.yaml").exists()


def test_items_that_are_not_objects_or_repeat_a_url_are_skipped(project: Project,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    Path("odd.json").write_text(
        '[\n  {"id": "a", "type": "webpage", "title": "A", "URL": "https://example.org/a",\n'
        '   "issued": {"date-parts": [[2021, 2, 30]]}, "language": "EN_gb"},\n'
        '  "just text",\n  42,\n'
        '  {"id": "b", "type": "webpage", "title": "B", "URL": "HTTPS://Example.org/a/?utm_source=x"},\n'
        '  {"id": "c", "type": "webpage", "URL": "ftp://example.org/c"},\n'
        '  {"id": "d", "type": "article-journal", "DOI": "10.1000/xyz-1", "accessed": {"raw": "2026-11-02"}}\n]\n',
        encoding="utf-8")
    result = sources.import_sources(project, Path("odd.json"))
    assert messages(result) == [
        "warning: odd.json:2:3: item 'a': published: '2021-02-30' is not a real date: February 2021 has 28 days; "
        "left out",
        "warning: odd.json:4:3: item 2 is text, not an object; skipped",
        "warning: odd.json:5:3: item 3 is a number, not an object; skipped",
        "warning: odd.json:6:3: item 'b' (\"B\") has the URL of item 'a' above; skipped",
        "warning: odd.json:7:3: item 'c': 'ftp://example.org/c' is not an http(s) address; skipped",
    ]
    entries = imported(project)
    assert entries["example-a"]["language"] == "en-GB" and "published" not in entries["example-a"]
    # no URL but a DOI: the DOI's address; no title: the placeholder, and a warning for it
    assert entries["doi-xyz-1"]["url"] == "https://doi.org/10.1000/xyz-1"
    assert entries["doi-xyz-1"]["accessed"] == dt.date(2026, 11, 2)
    assert result.untitled == ["doi-xyz-1"] and result.written is not None
    assert [w.message for w in sources.title_warnings(result.written, result.untitled)] == [
        "source 'doi-xyz-1' needs a title: replace the placeholder with the title as the source gives it"]
    assert errors_of(project) == []


# --- BibTeX -------------------------------------------------------------------------------------------

def test_a_bibtex_library_becomes_valid_sources(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    result = import_here(project, BIB, monkeypatch)
    assert result.form == references.BIBTEX and result.items == 7 and result.not_added == 1
    assert result.known == {MT_OPTIONS: "mt-options"}
    entries = imported(project)
    assert entries["dw-waffenstillstand-in-berg-karabach-was-nun-a-55548123"] == {
        "id": "dw-waffenstillstand-in-berg-karabach-was-nun-a-55548123",
        "title": "Waffenstillstand in Berg-Karabach: Was nun?",
        "url": "https://www.dw.com/de/waffenstillstand-in-berg-karabach-was-nun/a-55548123",
        "publisher": "Deutsche Welle", "author": "Jörg Müller, Anna Groß", "published": dt.date(2020, 11, 10),
        "accessed": dt.date(2026, 11, 20), "language": "de"}
    crisis = entries["crisisgroup-264-post-war-prospects-nagorno-karabakh"]
    assert (crisis["author"], crisis["publisher"], crisis["kind"], crisis["language"]) == (
        "International Crisis Group", "International Crisis Group", "analysis", "en")
    text = (project.data / "sources" / "imported.yaml").read_text(encoding="utf-8")
    assert "  # published: 2021-06  # the reference gives no day" in text  # year and month = jun
    assert entries["kommersant-doc-4535871"] == {
        "id": "kommersant-doc-4535871", "title": "Москва предложила разместить наблюдателей в Карабахе",
        "url": "https://www.kommersant.ru/doc/4535871", "publisher": "Коммерсантъ", "author": "Анна Петрова",
        "published": dt.date(2020, 10, 16), "accessed": dt.date(2026, 11, 22), "kind": "news", "language": "ru"}
    # the address from howpublished = {\url{...}}, the archived copy from the note; year, month and day
    armenpress = entries["armenpress-news-1031577"]
    assert (armenpress["url"], armenpress["published"], armenpress["archive_url"]) == (
        "https://armenpress.am/eng/news/1031577.html", dt.date(2020, 10, 30),
        "https://web.archive.org/web/20201031120000/https://armenpress.am/eng/news/1031577.html")
    hale = entries["doi-10-1080-23761199-2021-1965012"]
    assert (hale["url"], hale["author"], hale["publisher"], hale["title"]) == (
        "https://doi.org/10.1080/23761199.2021.1965012", "Robert Hale Jr., Siobhán O'Brien", "Caucasus Survey",
        "The Nagorno-Karabakh War of 2020: A Review")
    assert messages(result) == [
        "warning: library.bib:45:1: entry 'deWaal2019' (\"The Caucasus: An Introduction\") has no URL (nor DOI), "
        "which a source needs; skipped"]
    assert errors_of(project) == []
    assert sources.import_sources(project, Path(BIB.name)).written is None


def test_unreadable_bibtex_blocks_are_named_and_the_rest_imported(project: Project,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    Path("refs.txt").write_text(
        "@online{a,\n  title = {A},\n  url = {https://example.org/bib-a?x=1&y=a~b--c},\n}\n\n"
        "@article{b,\n  title = {B\n  url = {https://example.org/bib-b},\n\n"
        "@online{a,\n  title = {Again},\n  url = {https://example.org/bib-c},\n}\n"
        "@online{c,\n  title = {C},\n  url = {https://example.org/bib-d},\n  langid = {klingon},\n}\n",
        encoding="utf-8")
    result = sources.import_sources(project, Path("refs.txt"))  # BibTeX by its content
    assert messages(result) == [
        "warning: refs.txt:6:1: entry 'b' could not be read (Unexpected block start: `@online`. Was still looking "
        "for field-value closing `}`); skipped",
        "warning: refs.txt:10:1: entry 'a' has the key of an entry above; skipped",
        "warning: refs.txt:14:1: entry 'c': language: 'klingon' is not a language code or a language we know by "
        "name; left out",
    ]
    entries = imported(project)
    assert entries["example-bib-a"]["url"] == "https://example.org/bib-a?x=1&y=a~b--c"  # not LaTeX decoded
    assert list(entries) == ["example-bib-a", "example-bib-d"] and errors_of(project) == []


# --- the command line ------------------------------------------------------------------------------

def test_the_command_reports_in_a_few_lines(project: Project, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(ZOTERO, project.root / ZOTERO.name)
    monkeypatch.chdir(project.root)
    assert cli.main(["sources", "import", "zotero.json"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"already a source: {KREMLIN} ('kremlin-trilateral-statement')",
        "8 references (CSL JSON), 1 already sources, 1 skipped; added 6 to data/sources/imported.yaml."]
    assert len(err.splitlines()) == 2 and "zotero.json:144:2: item" in err

    assert cli.main(["sources", "import", "zotero.json", "--to", "imported.yaml"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[3:] == ["... and 4 more already sources (`--warnings all` lists them)",
                                    "8 references (CSL JSON), 7 already sources, 1 skipped; nothing to add."]

    many = "".join(f"@book{{b{n},\n  title = {{Book {n}}},\n  year = {{2019}},\n}}\n" for n in range(5))
    (project.root / "books.bib").write_text(many, encoding="utf-8")
    assert cli.main(["sources", "import", "books.bib"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "warning: 5 references skipped without a URL, e.g. books.bib:1, books.bib:5, books.bib:9 ... "
        "(`--warnings all` lists them)"]
    assert out.splitlines() == ["5 references (BibTeX), 0 already sources, 5 skipped; nothing to add."]
    assert cli.main(["sources", "import", "books.bib", "--warnings", "all"]) == 0
    assert len(capsys.readouterr().err.splitlines()) == 5

    (project.root / "bad.json").write_text("[{]", encoding="utf-8")
    assert cli.main(["sources", "import", "bad.json"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "error: bad.json:1:3: not valid JSON: Expecting property name enclosed in double quotes (read as CSL JSON)"]
