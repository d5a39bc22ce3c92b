"""What our PDFs cost against WeasyPrint's own floor: `python -m bench.pdf_floor --project P`.

For a sample of briefings (and, with --book, the first book), the print HTML is made once,
then typeset two ways, alternately, in this one process:

- ours: as the build does (output/pdf.render_pdf: our print stylesheet, the short or long
  form, tagged PDF/UA, header cells scoped);
- the floor: the same HTML (the form ours kept) with no stylesheet at all, written with the
  same PDF/UA tagging: what WeasyPrint costs before any stylesheet of ours.

It prints one JSON line: seconds of each, their ratio, pages.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def floor(document: str, out: str) -> tuple[int, float]:
    """The document typeset with no stylesheet, written as ours are (PDF/UA, tagged)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from briefsite.output.bidi import text_in_own_direction
    from briefsite.output.pdf_tags import tagged_html

    start = time.perf_counter()
    fetcher = URLFetcher(allowed_protocols={"data"})
    doc = HTML(string=text_in_own_direction(tagged_html(document)), url_fetcher=fetcher).render()
    doc.write_pdf(out, pdf_variant="pdf/ua-1", pdf_tags=True)
    return len(doc.pages), time.perf_counter() - start


def measure(project_path: Path, sample: int, book: bool) -> dict[str, Any]:
    from briefsite import app
    from briefsite.core.project import Project
    from briefsite.output.engine import EXTRA_CSS
    from briefsite.output.pdf import SHORT_PAGES, render_pdf, stylesheet
    from briefsite.render.print_html import PrintRenderer

    project = Project.at(project_path / "mkdocs.yml")
    library, _ = app.check(project)
    css = stylesheet(project.template_dirs, "a4", project.docs / EXTRA_CSS, library.site.language)
    renderer = PrintRenderer(library, project.template_dirs)
    ids = list(library.briefings)
    step = max(1, len(ids) // sample)
    jobs = [renderer.briefing(bid) for bid in ids[::step][:sample]]
    if book:
        jobs.append(renderer.book(renderer.books()[0]))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        ours_pdf, floor_pdf = os.path.join(tmp, "ours.pdf"), os.path.join(tmp, "floor.pdf")
        render_pdf(jobs[0].html, jobs[0].short_html, css, ours_pdf, jobs[0].short_first)  # warm: fonts, imports
        floor(jobs[0].html, floor_pdf)
        for job in jobs:
            pages, ours = render_pdf(job.html, job.short_html, css, ours_pdf, job.short_first)
            # the form ours kept: the short one when it fitted (render_pdf's rule)
            kept = job.short_html if job.short_html is not None and pages <= SHORT_PAGES + 1 else job.html
            floor_pages, plain = floor(kept, floor_pdf)
            rows.append({"name": job.name, "book": job.name == (jobs[-1].name if book else None), "pages": pages,
                         "ours": ours, "floor": plain, "floor_pages": floor_pages})
    briefings = [r for r in rows if not r["book"]]
    out: dict[str, Any] = {"count": len(briefings), "pages": sum(r["pages"] for r in briefings),
                           "ours": sum(r["ours"] for r in briefings), "floor": sum(r["floor"] for r in briefings)}
    out["ratio"] = out["ours"] / out["floor"]
    if book:
        b = rows[-1]
        out["book"] = {"name": b["name"], "pages": b["pages"], "ours": b["ours"], "floor": b["floor"],
                       "ratio": b["ours"] / b["floor"]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf_floor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", type=Path, required=True, help="a project folder (mkdocs.yml, data/)")
    parser.add_argument("--sample", type=int, default=20, help="briefings typeset both ways (default 20)")
    parser.add_argument("--book", action="store_true", help="the first book too")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.project, args.sample, args.book)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
