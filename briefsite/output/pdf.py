"""PDF export: the print HTML (render.print_html) typeset by WeasyPrint.

A PDF is made again only when its print HTML, the stylesheet or the typesetter
changed; the others come from build/pdf-cache/, checked against what the signed cache
recorded of them (incremental.outputs).
Several are made at once, in worker processes.
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import itertools
import multiprocessing
import os
import select
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from ..core import model as m
from ..core.errors import PdfError
from ..core.folders import remove_all_but
from ..core.project import Project
from ..core.values import text_direction
from ..incremental import store
from ..incremental.digests import Digests
from ..incremental.drawings import Drawings
from ..incremental.outputs import PDFS, KeptFiles
from ..incremental.tracking import Dependency
from ..read.history import read_whole
from ..render.books import BOOK
from ..render.environment import Templates, find_template
from ..render.index import LibraryIndex
from ..render.print_html import SHORT_PAGES, PrintJob, PrintRenderer, pdf_names
from ..render.versions import Dated, VersionRenderer, dated_versions, version_setting
from ..render.words import SOURCE_LANGUAGE, words_for
from .bidi import text_in_own_direction
from .engine import EXTRA_CSS
from .pdf_tags import scope_header_cells, tagged_html

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
WORKERS = 2
_CACHE_FORMAT = "6"  # tagged (PDF/UA-1); bump when tagged_html, bidi, scope_header_cells or the write options change


def job_key(job: PrintJob, css: str) -> str:
    """Changes whenever the PDF would: the HTML, the stylesheet, the typesetter. The print HTML
    is the whole of what is typeset, so a PDF kept under this key is the PDF of that HTML,
    whatever the build (public or not) that made it."""
    return _key(_CACHE_FORMAT, metadata.version("weasyprint"), css, job.html, job.short_html or "")


def _key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def stylesheet(templates: Templates, paper: str = "a4", extra: Path | None = None, language: str = "en") -> str:
    """templates/print/print.css (the project's own, or the default) with the paper size, then
    for a right-to-left site print/rtl.css (its pages' heads mirrored), the words the
    stylesheet writes in the site's language, then `extra`, the desk's own stylesheet
    (docs/stylesheets/extra.css), when it has one."""
    direction = text_direction(language)
    if paper not in PAPER_SIZES:
        raise PdfError(f"unknown paper size '{paper}'; use one of: {', '.join(PAPER_SIZES)}")
    css = find_template(templates, "print/print.css").read_text(encoding="utf-8")
    if direction == "rtl":
        css += "\n" + find_template(templates, "print/rtl.css").read_text(encoding="utf-8")
    own = extra.read_text(encoding="utf-8") if extra is not None and extra.is_file() else ""
    return f"{css}\n@page {{ size: {PAPER_SIZES[paper]}; }}\n{_css_words(language, direction)}{own}"


def _css_words(language: str, direction: str) -> str:
    """The words print.css writes (the page numbers, a key judgment's number) in the language:
    nothing in English, which print.css is written in. The page number stands where
    print.css, or rtl.css for a right-to-left page, puts it."""
    if language == SOURCE_LANGUAGE:
        return ""
    words = words_for(language)
    page = _css_string(words._("Page %(page)s of %(pages)s", page="\0p", pages="\0n"))
    page = page.replace("\0p", '" counter(page) "').replace("\0n", '" counter(pages) "')
    judgment = _css_string(words.pgettext("key judgment, abbreviated", "KJ"))
    corner = "bottom-left" if direction == "rtl" else "bottom-right"
    return (f'@page {{ @{corner} {{ content: "{page}"; }} }}\n'
            f'.kj-badges::before {{ content: "{judgment}" counter(kj); }}\n')


def _css_string(text: str) -> str:
    """Text inside a CSS string in double quotes."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


# --- Typesetting (runs in worker processes) ----------------------------------------------

@functools.lru_cache(maxsize=2)
def _stylesheet(css: str) -> Any:
    """The print stylesheet parsed once per process, not once per PDF (50 ms of a 0.6 s briefing)."""
    from weasyprint import CSS
    from weasyprint.urls import URLFetcher

    return CSS(string=css, url_fetcher=URLFetcher(allowed_protocols={"data"}))


@functools.lru_cache(maxsize=1)
def _fonts() -> Any:
    """The fonts found once per process, not once per PDF."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(document: str, short_document: str | None, css: str, out: str,
               short_first: bool = False) -> tuple[int, float]:
    """Typeset one document into `out`; (pages, seconds).

    With a short variant, the PDF is the short one when its content fits on SHORT_PAGES
    pages (the cover and the contents take one page each), else the document with its
    table of contents. `short_first`: the short one likely fits, so it is typeset first
    (typesetting is the cost of a PDF: the guess saves one of two).
    """
    start = time.perf_counter()
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher

        fetcher = URLFetcher(allowed_protocols={"data"})  # never anything from the network or the disk
        sheets = [_stylesheet(css)]

        def typeset(html: str) -> Any:
            return HTML(string=text_in_own_direction(tagged_html(html)), url_fetcher=fetcher).render(
                stylesheets=sheets, font_config=_fonts())

        if short_document is not None and short_first:
            doc = typeset(short_document)
            if len(doc.pages) > SHORT_PAGES + 1:
                doc = typeset(document)
        else:
            doc = typeset(document)
            if short_document is not None and len(doc.pages) <= SHORT_PAGES + 2:
                doc = typeset(short_document)
        tmp = f"{out}.tmp{os.getpid()}"
        Path(tmp).unlink(missing_ok=True)  # a link left in its place would be written through
        doc.write_pdf(tmp, pdf_variant="pdf/ua-1", pdf_tags=True)
        scope_header_cells(tmp)
        os.replace(tmp, out)
    except Exception as exc:  # noqa: BLE001 - a worker's exception must survive pickling
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from None
    return len(doc.pages), time.perf_counter() - start


# --- Export with a cache -------------------------------------------------------------------

@dataclass
class ExportResult:
    """What an export did."""

    rendered: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Name -> (pages, seconds) of each PDF typeset by this export."""
    cached: list[str] = field(default_factory=list)
    """Names of the PDFs that came unchanged from the cache."""
    seconds: float = 0.0


def kept_name(name: str) -> str:
    """Where a PDF is kept, relative to build/ (incremental.outputs)."""
    return f"{PDFS}/{name}.pdf"


def export_pdfs(project: Project, library: m.Library, dest: Path, *, kept: KeptFiles, paper: str = "a4",
                names: Iterable[str] | None = None, workers: int = WORKERS, drawings: Drawings | None = None,
                public: bool = False) -> ExportResult:
    """Write <name>.pdf into dest for the named PDFs (briefing ids and book names), or all of them.

    A PDF is typeset into build/pdf-cache/ and kept there (`kept`, which the caller saves):
    the next export takes it again only if its print HTML, stylesheet and typesetter are the
    same and the file still holds the bytes typeset. An export of all of them also removes
    PDFs of dest, and of the cache, that are no longer produced.
    `drawings`: graphs drawn before in this process, taken as they were rather than
    drawn a second time. `public`: the library is a public build's (see version PDFs).
    """
    start = time.perf_counter()
    if BOOK in library.briefings:
        raise PdfError(f"a briefing has the id '{BOOK}', the name of the briefing book's PDF; give it another id")
    everything = pdf_names(library)
    wanted = list(everything) if names is None else list(dict.fromkeys(names))
    unknown = [n for n in wanted if n not in everything]
    if unknown:
        raise PdfError(f"no briefing has the id {', '.join(repr(n) for n in unknown)}; "
                       f"PDFs can be made of: {', '.join(everything)}")
    css = stylesheet(project.template_dirs, paper, project.docs / EXTRA_CSS, library.site.language)
    renderer = PrintRenderer(library, project.template_dirs, drawings)
    by_name = {book.name: book for book in renderer.books()}
    result = ExportResult()

    def to_typeset() -> Iterator[tuple[PrintJob, str]]:
        """The jobs whose PDF is not kept, each made as it is typeset (all made first, their
        HTML took gigabytes at 5,000 briefings); the books, the longest, first."""
        for name in sorted(wanted, key=lambda n: n not in by_name):
            job = renderer.book(by_name[name]) if name in by_name else renderer.briefing(name)
            key = job_key(job, css)
            if kept.take(kept_name(job.name), key):
                result.cached.append(job.name)
            else:
                kept.forget(kept_name(job.name))
                yield job, key
        yield from version_jobs

    versions = dated_versions(library) if names is None else []
    version_reads: dict[str, tuple[tuple[Dependency, ...], str]] = {}
    version_jobs = _version_jobs(project, library, versions, css, kept, result, version_reads, drawings=drawings,
                                 public=public)
    everything += [d.pdf_name for d in versions]
    for job, key, outcome in _typeset(to_typeset(), css, kept, workers):
        result.rendered[job.name] = outcome
        read, combined = version_reads.get(job.name, ((), ""))
        kept.put(kept_name(job.name), key, read, combined)

    dest.mkdir(parents=True, exist_ok=True)
    for name in wanted + [d.pdf_name for d in versions]:
        kept.place(kept_name(name), dest / f"{name}.pdf")
    if names is None:
        kept.keep_only(PDFS, [kept_name(n) for n in everything])
        remove_all_but(dest, {f"{n}.pdf" for n in everything})
    result.seconds = time.perf_counter() - start
    return result


def export_with_kept(project: Project, library: m.Library, dest: Path, **options: Any) -> ExportResult:
    """export_pdfs with the PDFs the project keeps, saved again after (a caller outside a build)."""
    kept = store.load_outputs(project)
    try:
        return export_pdfs(project, library, dest, kept=kept, **options)
    finally:
        store.save_outputs(project, kept)


def _version_jobs(project: Project, library: m.Library, versions: list[Dated], css: str, kept: KeptFiles,
                  result: ExportResult, reads: dict[str, tuple[tuple[Dependency, ...], str]], *,
                  drawings: Drawings | None, public: bool) -> Iterator[tuple[PrintJob, str]]:
    """The print jobs of the dated versions' PDFs not kept as they are, each with its key, made
    one at a time as they are typeset (as the briefings' are); what each read (and that
    digest) goes into `reads`. A version's PDF is kept, as its page is, with what its print
    document read (render.versions): one that nothing changed for costs no rendering. Which
    are kept is settled at once, before any PDF is typeset."""
    if not versions:
        return iter(())
    key = _key(_CACHE_FORMAT, metadata.version("weasyprint"), css,
               version_setting(project.template_dirs, language=library.site.language, pdf_links=True,
                               public=public))
    digests = Digests(library, LibraryIndex(library).view)
    missing = []
    for d in versions:
        if kept.take(kept_name(d.pdf_name), key, digests):
            result.cached.append(d.pdf_name)
        else:
            kept.forget(kept_name(d.pdf_name))
            missing.append(d)
    if not missing:
        return iter(())
    whole = read_whole(project.data, [d.version for d in missing])
    renderer = VersionRenderer(library, project.template_dirs, pdf_links=True, drawings=drawings, whole=whole)

    def made() -> Iterator[tuple[PrintJob, str]]:
        for d in missing:
            job, read = renderer.print_job(d)
            reads[job.name] = (read, digests.combined(read))
            yield job, key

    return made()


def _typeset(todo: Iterable[tuple[PrintJob, str]], css: str, kept: KeptFiles,
             workers: int) -> Iterator[tuple[PrintJob, str, tuple[int, float]]]:
    """Typeset the jobs into the cache: in this process when there is one, else in parallel,
    with only a few jobs handed out ahead of the workers (each holds its print HTML)."""
    def out(job: PrintJob) -> str:
        path = kept.path(kept_name(job.name))
        path.parent.mkdir(parents=True, exist_ok=True)
        return str(path)

    jobs = iter(todo)
    first = list(itertools.islice(jobs, 2))
    if len(first) <= 1 or workers <= 1:
        for job, key in itertools.chain(first, jobs):
            yield job, key, _run(job, render_pdf, job.html, job.short_html, css, out(job), job.short_first)
        return
    context = multiprocessing.get_context("forkserver")  # safe whatever threads this process runs
    context.set_forkserver_preload(["weasyprint", __name__])
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                initializer=_end_with, initargs=(os.getpid(),)) as pool:
        running: dict[concurrent.futures.Future[tuple[int, float]], tuple[PrintJob, str]] = {}
        for job, key in itertools.chain(first, jobs):
            while len(running) >= AHEAD * workers:
                done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    finished, finished_key = running.pop(future)
                    yield finished, finished_key, _run(finished, future.result)
            running[pool.submit(render_pdf, job.html, job.short_html, css, out(job), job.short_first)] = (job, key)
        for future in concurrent.futures.as_completed(running):
            finished, finished_key = running[future]
            yield finished, finished_key, _run(finished, future.result)


AHEAD = 2
"""Jobs handed to each typesetting worker at a time: one typesetting, one waiting."""


def _end_with(build: int) -> None:
    """A typesetting worker ends as soon as the build that started it does: a build stopped or
    killed leaves no worker typesetting on (its parent is the forkserver, which outlives the
    build while a worker runs, so the worker watches the build itself)."""
    def watch() -> None:
        try:
            fd = os.pidfd_open(build)
            select.select([fd], [], [])  # readable once the build has ended
        except (OSError, AttributeError):  # no pidfd here: ask now and then
            while _alive(build):
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-build", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run(job: PrintJob, fn: Any, *args: Any) -> tuple[int, float]:
    try:
        return fn(*args)  # type: ignore[no-any-return]
    except RuntimeError as exc:
        raise PdfError(f"{job.name}.pdf: the PDF could not be made: {exc}") from None
