"""PDF export: the real PDFs of the example and of synthetic copies, read back with pypdf.

Each PDF is made once per session; the tests only read them.
"""

from __future__ import annotations

import dataclasses
import html
import itertools
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from briefsite.app import BuildOptions, build, check
from briefsite.cli import main
from briefsite.core import model as m
from briefsite.core import sourcing
from briefsite.core.errors import PdfError
from briefsite.core.project import Project
from briefsite.incremental.outputs import KeptFiles
from briefsite.output import pdf, pdf_tags
from briefsite.render import graphs, print_html
from briefsite.render.markup import plain_text
from tests.conftest import copy_built, copy_project

pytestmark = pytest.mark.slow

EXAMPLE = "russia-options-nagorno-karabakh"
LONG = "zz-long-timeline"
SHORT = "zz-short-note"
ROWS = 200
ARABIC = "محمد بن سلمان"
CHINESE = "习近平"


# --- Reading PDFs ------------------------------------------------------------------------

def squash(text: str) -> str:
    """Whitespace collapsed, and a line break after a hyphen undone, for matching."""
    return re.sub(r"(?<=\w)-\s+(?=\w)", "-", " ".join(text.split()))


@cache
def pages_text(path: Path) -> tuple[str, ...]:
    return tuple(squash(page.extract_text() or "") for page in PdfReader(path).pages)


def text(path: Path) -> str:
    return " ".join(pages_text(path))


def link_annotations(path: Path) -> list[dict[str, object]]:
    links = []
    for page in PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                links.append(dict(annot))
    return links


def uris(path: Path) -> set[str]:
    return {str(a["/A"]["/URI"]) for a in link_annotations(path) if "/A" in a and "/URI" in a["/A"]}  # type: ignore[index, operator]


def destinations(path: Path, page: int | None = None) -> set[str]:
    """The anchors internal links point at, in the whole PDF or on one page (from 0)."""
    pages = PdfReader(path).pages
    return {str(annot.get_object()["/Dest"]) for n, p in enumerate(pages) if page in (None, n)
            for annot in p.get("/Annots") or [] if "/Dest" in annot.get_object()}


def page_with(path: Path, words: str) -> int:
    """The one page (from 0) whose text holds the words."""
    [page] = [n for n, text in enumerate(pages_text(path)) if squash(words) in text]
    return page


def graph_figures(html: str) -> list[str]:
    return re.findall(r'<figure class="relation-graph">.*?</figure>', html, flags=re.DOTALL)


def neighbourhood(lib, aid: str) -> set[str]:  # type: ignore[no-untyped-def]
    """The actors the graph of an actor shows: itself, those it relates to, those relating to it."""
    return {aid} | {r.actor for r in lib.actors[aid].relations} | {
        other for other, a in lib.actors.items() if any(r.actor == aid for r in a.relations)}


def outline_titles(path: Path) -> list[str]:
    def walk(items: list[object]) -> list[str]:
        out: list[str] = []
        for item in items:
            out.extend(walk(item) if isinstance(item, list) else [item.title])  # type: ignore[attr-defined]
        return out
    return walk(PdfReader(path).outline)


# --- Fixtures ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def example_pdfs(built_example: Project) -> Path:
    return built_example.site / "pdf"


@pytest.fixture(scope="session")
def example_library(built_example: Project):  # type: ignore[no-untyped-def]
    return check(built_example)[0]


def _write_yaml(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The example plus a draft briefing with a 200-row timeline naming actors in Arabic and
    Chinese script, and a short final briefing."""
    project = copy_project(tmp_path_factory.mktemp("synthetic"))
    actors = project.data / "actors"
    _write_yaml(actors / "zz-arabic-name.yaml", {"name": "Mohammed bin Salman", "native_name": ARABIC,
                                                 "native_lang": "ar",
                                                 "kind": "person", "summary": "Synthetic actor, Arabic script."})
    _write_yaml(actors / "zz-chinese-name.yaml", {"name": "Xi Jinping", "native_name": CHINESE, "native_lang": "zh",
                                                  "kind": "person",
                                                  "summary": "Synthetic actor, Chinese script."})
    timeline = [{"date": f"2021-{1 + i // 28:02d}-{1 + i % 28:02d}",
                 "event": f"Synthetic event number {i + 1:03d} of the long timeline, with enough words to take "
                          f"a second line in its table cell [[putin|Putin]].",
                 "actors": ["zz-arabic-name", "putin"] if i % 2 else ["zz-chinese-name"]}
                for i in range(ROWS)]
    _write_yaml(project.data / "briefings" / f"{LONG}.yaml", {
        "title": "A synthetic draft with a very long timeline", "date": "2021-08-01", "status": "draft",
        "authors": ["Test desk"], "tags": ["synthetic"],
        "summary": "A long table must come out whole [@mt-options].",
        "actors": [{"actor": "zz-arabic-name", "role": "Named in Arabic script."},
                   {"actor": "zz-chinese-name", "role": "Named in Chinese script."},
                   {"actor": "putin", "role": "Named in Cyrillic script."}],
        "timeline": timeline,
    })
    _write_yaml(project.data / "briefings" / f"{SHORT}.yaml", {
        "title": "A short synthetic note", "date": "2021-07-01", "status": "final",
        "summary": "Short enough for two pages [@mt-options]. It links [[kazan-formula]] and [[putin]].",
    })
    return project


@pytest.fixture(scope="session")
def synthetic_pdfs(synthetic: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic-pdf")
    library, _ = check(synthetic)
    pdf.export_with_kept(synthetic, library, out, names=[LONG, pdf.BOOK])
    return out


@pytest.fixture(scope="session")
def letter_pdf(synthetic: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("letter-pdf")
    library, _ = check(synthetic)
    pdf.export_with_kept(synthetic, library, out, paper="letter", names=[SHORT])
    return out / f"{SHORT}.pdf"


# --- The example's PDFs ------------------------------------------------------------------

def test_build_writes_a_pdf_per_briefing_and_the_book(example_pdfs: Path, example_library) -> None:  # type: ignore[no-untyped-def]
    assert sorted(p.name for p in example_pdfs.glob("*.pdf")) == sorted(
        [f"{bid}.pdf" for bid in example_library.briefings] + ["briefing-book.pdf"])
    for path in example_pdfs.glob("*.pdf"):
        assert path.read_bytes().startswith(b"%PDF-")


def test_no_name_breaks_inside_a_word_in_the_pdfs(built_example: Project) -> None:
    """Table columns are as wide as the longest word of a name: "Armenia", never "Armeni-" and "a"."""
    library, _ = check(built_example)
    words = {w for a in library.actors.values() for name in (a.name, a.native_name or "")
             for w in re.split(r"[\s\-]+", name) if len(w) > 3}
    for path in sorted((built_example.site / "pdf").glob("*.pdf")):
        lines = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\n")
        broken = [(end, start) for end, start in itertools.pairwise(lines) for w in words for k in range(1, len(w))
                  if end.rstrip("-").endswith(w[:k]) and start.startswith(w[k:]) and not end.endswith(w)]
        assert broken == [], path.name


def test_site_pages_link_to_the_pdfs(built_example: Project) -> None:
    briefing = (built_example.site / "briefings" / f"{EXAMPLE}.html").read_text(encoding="utf-8")
    assert f'href="../pdf/{EXAMPLE}.pdf"' in briefing and "Download PDF" in briefing
    assert 'href="pdf/briefing-book.pdf"' in (built_example.site / "index.html").read_text(encoding="utf-8")


def test_briefing_pdf_text(example_pdfs: Path, example_library) -> None:  # type: ignore[no-untyped-def]
    path = example_pdfs / f"{EXAMPLE}.pdf"
    b = example_library.briefings[EXAMPLE]
    pages = pages_text(path)
    assert 4 <= len(pages) <= 30
    whole = text(path)
    assert squash(b.title) in whole
    for n, page in enumerate(pages, start=1):
        assert b.marking in page, f"page {n} has no marking"
        assert f"Page {n} of {len(pages)}" in page
        assert squash(b.title)[:40] in page, f"page {n} has no running title"
    last_event = squash(plain_text(b.timeline[-1].event))
    assert " ".join(last_event.split()[:12]) in whole
    assert "Նիկոլ Փաշինյան" in whole and "Владимир Путин" in whole
    assert "Contents" in pages[1]  # a long briefing has a table of contents ...
    assert re.search(r"Timeline \.[ .]*\d+", pages[1])  # ... with page numbers


def test_briefing_pdf_states_each_judgments_sourcing_and_the_assumptions(  # type: ignore[no-untyped-def]
        example_pdfs: Path, example_library) -> None:
    """The source summary under every key judgment, as poppler reads the PDF, and the
    assumptions as a table with its header."""
    b = example_library.briefings[EXAMPLE]

    def poppler(*options: str) -> str:
        return subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(example_pdfs / f"{EXAMPLE}.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout

    whole = squash(poppler())
    for kj in b.key_judgments:
        held = [example_library.sources[sid] for sid in kj.rests_on()]
        assert squash(sourcing.summarise(held).line()) in whole
    assert whole.count("Sources: ") >= len(b.key_judgments)
    assert re.search(r"Sources: \d+ from \d+ publishers?; ", whole)
    assert re.search(r"^ *Assumption +Status +Supports *$", poppler("-layout"), re.MULTILINE)
    assert all(squash(plain_text(a.text))[:30] in whole for a in b.assumptions)


def test_print_html_links_assumptions_to_judgments_inside_the_document(built_example: Project) -> None:
    """In print, a judgment's id starts with the briefing's, as headings do, so that the links
    of its assumptions stay unique in a book."""
    lib = check(built_example)[0]
    assert lib is not None
    b = lib.briefings[EXAMPLE]
    jid = b.key_judgments[1].id
    assumption = m.Assumption(text="Turkey stays out.", status="caveated", judgments=[jid])
    changed = dataclasses.replace(lib, briefings={**lib.briefings, EXAMPLE: b.model_copy(
        update={"assumptions": [assumption]})})
    html_text = print_html.PrintRenderer(changed, built_example.templates).briefing(EXAMPLE).html
    assert f'<li class="key-judgment" id="{EXAMPLE}--judgment-{jid}">' in html_text
    assert f'<a href="#{EXAMPLE}--judgment-{jid}">judgment 2</a>' in html_text
    assert '<td class="assumption-status assumption-caveated">caveated</td>' in html_text


def test_briefing_pdf_links_sources_and_footnotes(example_pdfs: Path, example_library) -> None:  # type: ignore[no-untyped-def]
    path = example_pdfs / f"{EXAMPLE}.pdf"
    assert example_library.sources["mt-options"].url in uris(path)
    internal = {str(a["/Dest"]) for a in link_annotations(path) if "/Dest" in a}
    assert f"{EXAMPLE}--note-mt-options" in internal  # footnote markers jump to the list
    assert "actor-putin" in internal  # a link to an actor of the briefing jumps to its row


def test_briefing_pdf_draws_the_actor_graph(example_pdfs: Path, example_library) -> None:  # type: ignore[no-untyped-def]
    """Below the Actors table, the briefing's actors and their relations as on the site, with
    the key. The names in the drawing are text: each name in its own script is found twice,
    in the table and in the graph (nowhere else in a briefing)."""
    path = example_pdfs / f"{EXAMPLE}.pdf"
    lib = example_library
    b = lib.briefings[EXAMPLE]
    page = pages_text(path)[page_with(path, "The briefing's actors and the relations among them.")]
    actors = {ba.actor: lib.actors[ba.actor] for ba in b.actors}
    natives = [a.native_name for a in actors.values() if a.native_name and a.native_name != a.name]
    assert "Հայաստան" in natives and "Владимир Путин" in natives and "Служба внешней разведки" in natives
    whole = text(path)
    for native in natives:
        assert whole.count(squash(native)) >= 2, f"{native} is not in the graph"
    for a in actors.values():
        assert squash(a.name) in page
    types = {r.type for a in actors.values() for r in a.relations if r.actor in actors}
    assert {"adversary", "member-of"} <= types
    assert all(graphs.EDGE_STYLES[t].label in page for t in types)  # the key


def test_briefing_graph_links_to_the_actors_table(example_pdfs: Path, example_library,  # type: ignore[no-untyped-def]
                                                  built_example: Project) -> None:
    """In a briefing's PDF, an actor of the graph links to its row of the Actors table; one
    only in the timeline has no row and is a plain node. Never to a page of the site."""
    lib = example_library
    b = lib.briefings[EXAMPLE]
    path = example_pdfs / f"{EXAMPLE}.pdf"
    graph_page = page_with(path, "The briefing's actors and the relations among them.")
    assert {f"actor-{ba.actor}" for ba in b.actors} <= destinations(path, graph_page)
    assert not uris(path) - {s.url for s in lib.sources.values()}

    in_table = [ba for ba in b.actors if ba.actor in {"russia", "turkey"}]
    only_in_timeline = {x for e in b.timeline for x in e.actors} - {"russia", "turkey"}
    assert only_in_timeline
    fewer = dataclasses.replace(lib, briefings={**lib.briefings, EXAMPLE: b.model_copy(update={"actors": in_table})})
    [figure] = graph_figures(print_html.PrintRenderer(fewer, built_example.templates).briefing(EXAMPLE).html)
    links = sorted(re.findall(r'href="([^"]*)"', figure))
    assert links == ["#actor-russia"] * 2 + ["#actor-turkey"] * 2  # in the SVG, and laid over it
    for aid in only_in_timeline:
        assert f">{lib.actors[aid].name}</text>" in html.unescape(figure)  # drawn, without a link


def test_briefing_pdf_outline_and_metadata(example_pdfs: Path, example_library) -> None:  # type: ignore[no-untyped-def]
    path = example_pdfs / f"{EXAMPLE}.pdf"
    b = example_library.briefings[EXAMPLE]
    titles = outline_titles(path)
    expected = ["Bottom line", "Key judgments", "Assumptions", *(s.title for s in b.sections), "Actors",
                "Timeline", "Scenarios", *(sc.title for sc in b.scenarios), "Change log", "Sources cited"]
    assert titles[0] == b.title
    for title in expected:
        assert title in titles, title
    reader = PdfReader(path)
    info = reader.metadata
    assert info is not None
    assert info.title == b.title and info.author == ", ".join(b.authors)
    assert all(tag in (info.get("/Keywords") or "") for tag in b.tags)
    assert info.subject and "Contents" not in info.subject
    assert reader.trailer["/Root"]["/Lang"] == example_library.site.language
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=0.5)  # A4 by default


def test_final_briefing_has_no_watermark(example_pdfs: Path) -> None:
    assert not any("DRAFT" in page for page in pages_text(example_pdfs / f"{EXAMPLE}.pdf"))


def test_book_holds_everything_with_links_inside(example_pdfs: Path, example_library) -> None:  # type: ignore[no-untyped-def]
    path = example_pdfs / "briefing-book.pdf"
    lib = example_library
    pages = pages_text(path)
    whole = text(path)
    for b in lib.briefings.values():
        assert squash(b.title) in whole
    for a in lib.actors.values():
        assert squash(a.name) in whole
    for t in lib.terms.values():
        assert squash(t.term) in whole
    assert lib.site.marking and all(lib.site.marking in p or any(
        b.marking and b.marking in p for b in lib.briefings.values()) for p in pages)
    assert all(re.search(rf"Page {n} of {len(pages)}", p) for n, p in enumerate(pages, start=1))
    titles = outline_titles(path)
    assert {"Actors", "Sources", "Glossary"} <= set(titles)
    assert "Vladimir Putin Владимир Путин" in titles
    internal = {str(a["/Dest"]) for a in link_annotations(path) if "/Dest" in a}
    assert {"actor-putin", f"briefing-{EXAMPLE}", "term-kazan-formula", "source-mt-options"} <= internal
    assert {s.url for s in lib.sources.values()} <= uris(path)
    # the table of contents gives the page each chapter starts on
    reader = PdfReader(path)
    starts = {item.title: reader.get_destination_page_number(item) + 1
              for item in reader.outline if not isinstance(item, list)}
    for chapter in ("Actors", "Sources", "Glossary"):
        assert re.search(rf"\b{chapter}[ .]+{starts[chapter]}\b", pages[1]), chapter


def test_book_graphs_link_inside_the_book(example_pdfs: Path, example_library,  # type: ignore[no-untyped-def]
                                          built_example: Project) -> None:
    """The briefing's graph and the actors' graphs in the book: every node links to the actor's
    profile in the book (links laid over the drawing, as WeasyPrint does not follow those inside
    SVG), never to a page of the site; external links are the sources' addresses only."""
    lib = example_library
    path = example_pdfs / "briefing-book.pdf"
    assert uris(path) <= {u for s in lib.sources.values() for u in (s.url, s.archive_url) if u}
    assert destinations(path) <= set(PdfReader(path).named_destinations)  # every anchor exists

    turkey = neighbourhood(lib, "turkey")
    assert len(turkey) > 5
    graph_page = page_with(path, "Relations of Turkey and those of others pointing at it.")
    assert {f"actor-{aid}" for aid in turkey} <= destinations(path, graph_page)

    renderer = print_html.PrintRenderer(lib, built_example.templates)
    book = renderer.book(renderer.books()[0]).html
    anchors = set(re.findall(r' id="([^"]+)"', book))
    figures = graph_figures(book)
    for figure in figures:
        drawn = re.findall(r'xlink:href="([^"]*)"', figure)
        laid_over = re.findall(r'<a class="graph-node-link" href="([^"]*)"', figure)
        assert drawn and sorted(drawn) == sorted(laid_over)
        assert all(href.startswith("#actor-") and href[1:] in anchors for href in drawn)
    # the briefing's graph, and a graph on each profile with relations to two actors or more
    least = print_html.ACTOR_GRAPH_MIN_NEIGHBOURS
    with_graph = [aid for aid in lib.actors if len(neighbourhood(lib, aid)) - 1 >= least]
    assert len(figures) == len(lib.briefings) + len(with_graph)
    assert "Relations of Sergey Lavrov" not in book and "Relations of Russia and" in book


# --- Synthetic copies: draft, long timeline, scripts, paper ------------------------------

def test_draft_has_a_watermark_on_every_page(synthetic_pdfs: Path) -> None:
    pages = pages_text(synthetic_pdfs / f"{LONG}.pdf")
    assert len(pages) > 5
    assert all("DRAFT" in page for page in pages)


def test_book_watermarks_only_draft_chapters(synthetic_pdfs: Path) -> None:
    pages = pages_text(synthetic_pdfs / "briefing-book.pdf")
    marked = [n for n, page in enumerate(pages) if "DRAFT" in page]
    assert marked and len(marked) < len(pages)
    assert "DRAFT" not in pages[0]


def test_long_timeline_comes_out_whole(synthetic_pdfs: Path) -> None:
    path = synthetic_pdfs / f"{LONG}.pdf"
    whole = text(path)
    numbers = [int(n) for n in re.findall(r"Synthetic event number (\d{3})", whole)]
    assert numbers == list(range(1, ROWS + 1))
    # the header row is repeated on every page the table spans
    table_pages = [p for p in pages_text(path) if "Synthetic event number" in p]
    assert len(table_pages) > 3 and all("Date Event Actors" in p for p in table_pages)


def test_arabic_and_chinese_names_are_text(synthetic_pdfs: Path) -> None:
    path = synthetic_pdfs / f"{LONG}.pdf"
    whole = text(path)
    assert ARABIC in whole and CHINESE in whole and "Владимир Путин" in whole
    poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
    assert ARABIC in poppler and CHINESE in poppler


def test_short_briefing_on_letter_paper(letter_pdf: Path) -> None:
    reader = PdfReader(letter_pdf)
    assert (reader.pages[0].mediabox.width, reader.pages[0].mediabox.height) == (612, 792)
    pages = pages_text(letter_pdf)
    assert len(pages) == 2 and "Contents" not in text(letter_pdf)  # cover and content, no contents page
    # targets outside a one-briefing PDF are plain text, not broken links
    assert "Kazan formula" in pages[1] and "Vladimir Putin" in pages[1]
    assert not [a for a in link_annotations(letter_pdf) if "/Dest" in a and "kazan" in str(a["/Dest"])]


def test_a_guess_of_the_length_changes_what_is_typeset_first_never_the_pdf(synthetic: Project,
                                                                          tmp_path: Path) -> None:
    library, _ = check(synthetic)
    renderer = print_html.PrintRenderer(library, synthetic.templates)
    css = pdf.stylesheet(synthetic.templates)
    short, long = renderer.briefing(SHORT), renderer.briefing(LONG)
    assert short.short_first and not long.short_first  # guessed from the records
    for job in (short, long):
        out = {guess: tmp_path / f"{job.name}-{guess}.pdf" for guess in (True, False)}
        pages = {guess: pdf.render_pdf(job.html, job.short_html, css, str(out[guess]), guess)[0] for guess in out}
        assert pages[True] == pages[False]
        has_contents = {guess: "Contents" in text(out[guess]) for guess in out}
        assert has_contents[True] == has_contents[False] == (job is long)


# --- Cache, pipeline and command line ----------------------------------------------------

def test_unchanged_pdfs_come_from_the_cache(synthetic: Project, letter_pdf: Path, tmp_path: Path) -> None:
    library, _ = check(synthetic)
    again = pdf.export_with_kept(synthetic, library, tmp_path, paper="letter", names=[SHORT])
    assert again.cached == [SHORT] and not again.rendered
    assert (tmp_path / f"{SHORT}.pdf").read_bytes() == letter_pdf.read_bytes()
    a4 = pdf.export_with_kept(synthetic, library, tmp_path, paper="a4", names=[SHORT])
    assert list(a4.rendered) == [SHORT]


def test_print_html_changes_with_content(synthetic: Project) -> None:
    library, _ = check(synthetic)
    job = print_html.PrintRenderer(library, synthetic.templates).briefing(SHORT)
    css = pdf.stylesheet(synthetic.templates)
    again = print_html.PrintRenderer(library, synthetic.templates).briefing(SHORT)
    assert pdf.job_key(job, css) == pdf.job_key(again, css)
    assert pdf.job_key(job, css) != pdf.job_key(job, css + "p { color: red }")
    assert '<html lang="en">' in job.html and "<title>A short synthetic note</title>" in job.html


def test_a_briefing_cannot_take_the_books_name(synthetic: Project, tmp_path: Path) -> None:
    library, _ = check(synthetic)
    clash = dataclasses.replace(library, briefings={pdf.BOOK: library.briefings[SHORT]})
    with pytest.raises(PdfError, match="briefing-book"):
        pdf.export_with_kept(synthetic, clash, tmp_path)


def test_typesetting_logs_no_warnings(synthetic: Project, tmp_path: Path,
                                      caplog: pytest.LogCaptureFixture) -> None:
    library, _ = check(synthetic)
    job = print_html.PrintRenderer(library, synthetic.templates).briefing(SHORT)
    pdf.render_pdf(job.html, job.short_html, pdf.stylesheet(synthetic.templates), str(tmp_path / "x.pdf"))
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelname != "INFO"]


def test_failed_pdf_export_leaves_the_old_site(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    build(project, BuildOptions(quiet=True, pdf=False))
    before = sorted(p.relative_to(project.site) for p in project.site.rglob("*"))
    home = (project.site / "index.html").read_text(encoding="utf-8")
    assert "briefing-book.pdf" not in home  # no links to PDFs that were not made

    def fail(*args: object, **kwargs: object) -> None:
        raise PdfError("typesetting failed")

    monkeypatch.setattr("briefsite.app.export_pdfs", fail)
    with pytest.raises(PdfError):
        build(project, BuildOptions(quiet=True))
    assert sorted(p.relative_to(project.site) for p in project.site.rglob("*")) == before
    assert not list(project.build.glob("site-new*"))


def test_pdf_command(synthetic: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                     monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "p", synthetic.data)
    config = str(project.config)
    assert main(["pdf", "--config", config, SHORT]) == 1  # no site yet
    assert "run 'build' first" in capsys.readouterr().err
    project.site.mkdir()
    assert main(["pdf", "--config", config, SHORT]) == 1  # a site/ no build made: for whom is not known
    assert "was not made by this project's last build" in capsys.readouterr().err
    assert main(["build", "--config", config, "--no-pdf", "--quiet"]) == 0
    assert main(["pdf", "--config", config, "no-such-briefing"]) == 1
    assert "no-such-briefing" in capsys.readouterr().err
    assert main(["pdf", "--config", config, "--paper", "letter", SHORT]) == 0
    assert (project.site / "pdf" / f"{SHORT}.pdf").is_file()
    assert not (project.site / "pdf" / f"{LONG}.pdf").exists()


# --- tagged PDFs: what a screen reader gets -------------------------------------------------

def pdfua_findings(path: Path) -> str:
    """`pdfua check` (an independent PDF/UA-1 checker): its report, '' when it found nothing."""
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", str(path)],
                            capture_output=True, text=True, check=False)
    return "" if result.returncode == 0 else result.stdout + result.stderr


def test_every_pdf_is_tagged_and_passes_a_pdfua_check(example_pdfs: Path, synthetic_pdfs: Path,
                                                     letter_pdf: Path) -> None:
    pdfs = [*sorted(example_pdfs.glob("*.pdf")), *sorted(synthetic_pdfs.glob("*.pdf")), letter_pdf]
    assert len(pdfs) >= 5
    for path in pdfs:
        assert pdfua_findings(path) == "", path.name
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), path.name


def structure_alt_texts(path: Path) -> list[str]:
    """The alternative texts of the figures in a tagged PDF's structure tree."""
    found: list[str] = []
    with pikepdf.open(path) as doc:
        todo = [doc.Root.StructTreeRoot]
        while todo:
            node = todo.pop()
            if isinstance(node, pikepdf.Array):
                todo.extend(node)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure" and "/Alt" in node:
                    found.append(str(node.Alt))
                if "/K" in node:
                    todo.append(node.K)
    return found


def test_the_pdf_tells_the_graph_in_words(example_pdfs: Path, example_library) -> None:  # type: ignore[no-untyped-def]
    """A screen reader reading the printed briefing hears the relations the graph draws."""
    bid = next(iter(example_library.briefings))
    alts = structure_alt_texts(example_pdfs / f"{bid}.pdf")
    graph = next(a for a in alts if a.startswith("Actors of: "))
    assert "Russia and Armenia are allies" in graph and "Azerbaijan and Armenia are adversaries" in graph


def test_graphs_have_a_text_alternative_and_tables_their_header_scopes() -> None:
    drawing = '<svg role="group" aria-label="Actors of: A &amp; B" width="100" height="50"><g/></svg>'
    swatch = '<svg aria-hidden="true" width="55" height="21"><path/></svg>'
    out = pdf_tags.tagged_html(f"<figure>{drawing}</figure><li>{swatch} ally</li>"
                          "<table><thead><tr><th>Date</th></tr></thead><tbody><tr><th>As of</th><td>x</td></tr>"
                          "</tbody></table>")
    assert '<img class="drawing" alt="Actors of: A &amp; B" width="100" height="50" src="data:image/svg+xml;' in out
    assert f'alt="{pdf_tags.SAMPLE_LINE}"' in out and "<svg" not in out
    assert '<th scope="col">Date</th>' in out and '<th scope="row">As of</th>' in out


def _marked_processes(marker: str) -> list[int]:
    """The processes whose environment holds `marker` (a build and all it started)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_a_killed_build_leaves_no_pdf_worker_typesetting(project: Project) -> None:
    """The typesetting workers end with the build: killed while typesetting, nothing goes on."""
    import os
    import signal
    import time
    import uuid

    marker = f"BRIEFSITE_TEST_RUN={uuid.uuid4()}"
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1]}
    with subprocess.Popen([sys.executable, str(Path(__file__).resolve().parent.parent / "build_brief.py"), "build",
                           "--config", str(project.config)], env=env, stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "pdf:" in line:
                break
        # the workers start typesetting within moments (the PDFs take seconds); a loaded
        # machine may take longer to start them
        deadline = time.monotonic() + 15
        while len(_marked_processes(marker)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_marked_processes(marker)) >= 3, "the build, the forkserver and its workers"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 5  # a worker still starting up sees its parent gone once it is up
    while _marked_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _marked_processes(marker) == []


EXTRA = ":root, [data-md-color-primary] { --md-primary-fg-color: #7b1fa2; --brief-marking: #b71c1c; }\n"
"""A desk's one-rule stylesheet: the header (site) and headings (PDF) purple, the marking red."""


def _fill_colours(path: Path) -> set[tuple[float, ...]]:
    found = set()
    with pikepdf.open(path) as doc:
        for page in doc.pages[:2]:
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "rg":
                    found.add(tuple(round(float(x), 2) for x in operands))
    return found


def test_a_desks_extra_stylesheet_reaches_the_site_and_the_pdfs(built_example: Project, tmp_path: Path) -> None:
    project = copy_built(built_example, tmp_path / "p")  # the example as built with its PDFs, without extra.css
    purple, red = (0.48, 0.12, 0.64), (0.72, 0.11, 0.11)
    book = project.site / "pdf" / "briefing-book.pdf"
    assert purple not in _fill_colours(book) and red not in _fill_colours(book)  # the test can fail
    (project.docs / "stylesheets" / "extra.css").write_text(EXTRA, encoding="utf-8")
    build(project, BuildOptions(quiet=True))
    home = (project.site / "index.html").read_text(encoding="utf-8")
    assert 'href="stylesheets/extra.css"' in home and (project.site / "stylesheets" / "extra.css").is_file()
    assert home.index("stylesheets/brief.css") < home.index("stylesheets/extra.css")  # after the tool's
    assert {purple, red} <= _fill_colours(book)


def test_print_html_is_made_as_the_pdfs_are_typeset_not_all_first(tmp_path: Path) -> None:
    """At thousands of briefings, every print document made before the first was typeset took
    gigabytes: a job is made only when a worker is about to be free for it."""
    made: list[str] = []
    typeset: list[tuple[str, int]] = []

    def jobs():  # type: ignore[no-untyped-def]
        for n in range(12):
            made.append(f"doc{n}")
            yield print_html.PrintJob(f"doc{n}", f"<html><body><p>Document {n}</p></body></html>"), f"key{n}"

    kept = KeptFiles(root=tmp_path / "build")
    for job, _key, (pages, _seconds) in pdf._typeset(jobs(), "", kept, workers=2):
        assert pages == 1
        typeset.append((job.name, len(made)))
    assert sorted(name for name, _ in typeset) == sorted(f"doc{n}" for n in range(12))
    # two workers, each with one job typesetting and one waiting: the next job is made as one is done
    assert all(made_then <= 5 + i for i, (_, made_then) in enumerate(typeset)), typeset
    assert (tmp_path / "build" / "pdf-cache" / "doc11.pdf").read_bytes().startswith(b"%PDF")
