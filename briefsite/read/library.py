"""Load a content folder and check it against the format: shapes first, then the
rules that span records. Every problem of a run is collected before anything stops.

Errors stop a build; warnings (legal but suspect: a source cited nowhere, a draft)
are shown and fail only under `--strict`. A record that could not be read still
counts as existing, so one broken file gives one error, not a trail of
"no actor has the id ..." in every file that names it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from ..core import model as m
from ..core.errors import Problem, Report, Severity, display_path
from ..core.history import changes
from ..incremental.files import FileMemo
from .document import OUTSIDE, within
from .files import check_stray_files, load_lists, load_per_file, load_site
from .history import Held, read_history
from .items import FileResult, Item, Run
from .places import check_places
from .rules import check_rules
from .tradecraft import check_tradecraft
from .translations import check_translations
from .warnings import warning


def load_library(data_dir: Path, today: dt.date | None = None, memo: FileMemo[FileResult] | None = None,
                 history: dict[tuple[str, str], Held] | None = None) -> tuple[m.Library | None, Report]:
    """Read and check everything under data_dir; the Library is None when there are errors.

    With a `memo` of an earlier run, files whose text is unchanged are not checked again;
    `history` holds the briefings as commits held them, read by earlier runs (added to here).
    """
    report = Report()
    if not data_dir.is_dir():
        report.add(Problem(display_path(data_dir), None, (), "content folder not found (give one with --data DIR)"))
        return None, report
    run = Run(report, memo=memo or FileMemo(), data=data_dir)
    for folder in ("briefings", "actors", "sources"):
        if (data_dir / folder).is_symlink() and not within(data_dir / folder, data_dir):
            report.add(Problem(display_path(data_dir / folder), None, (), OUTSIDE.replace("file", "folder", 2)))
            return None, report
    site = load_site(data_dir, report)
    briefings = load_per_file(data_dir / "briefings", "briefing", m.Briefing, run)
    actors = load_per_file(data_dir / "actors", "actor", m.Actor, run)
    sources = load_lists(sorted((data_dir / "sources").glob("*.yaml")), "source", m.Source, run)
    glossary = data_dir / "glossary.yaml"
    terms = load_lists([glossary] if glossary.exists() else [], "term", m.Term, run)
    gazetteer = data_dir / "places.yaml"  # optional: a project without places reads as before
    places = load_lists([gazetteer] if gazetteer.exists() else [], "place", m.Place, run)
    check_stray_files(data_dir, report)
    if not briefings and not report.errors:
        report.add(Problem(display_path(data_dir / "briefings"), None, (),
                           "no briefings found: add briefings/<id>.yaml"))
    check_rules(briefings, actors, sources, terms, run, today or dt.date.today(), places)
    report.extend(check_places(briefings, actors, places))
    check_translations(briefings, site, report)
    check_tradecraft(briefings, sources, site, report)
    run.memo.finish_run()
    if site.ignore_warnings:  # kinds the project turned off in site.yaml
        report.problems = [p for p in report.problems if p.kind not in site.ignore_warnings]
    if report.errors:
        return None, report
    library = dataclasses.replace(_assemble(site, briefings, actors, sources, terms),
                                  places={i.id: i.record for i in places})
    files = {bid: data_dir / "briefings" / f"{bid}.yaml" for bid in library.briefings}
    found = read_history(data_dir, library.briefings, files, {} if history is None else history)
    if found.missing and "history-incomplete" not in site.ignore_warnings:
        report.add(Problem(display_path(data_dir / "briefings"), None, (), found.missing, Severity.WARNING,
                           "history-incomplete"))
    report.extend(p for p in found.unreadable if p.kind not in site.ignore_warnings)
    for item in briefings:
        if item.record.updates and not item.record.updates[0].note.strip() \
                and changes(found.versions.get(item.id, ())) \
                and "change-without-reason" not in site.ignore_warnings:
            report.add(warning(item.doc, ("updates", 0, "note"), "judgments changed since the version before, and "
                               "this update's note is empty: say what changed and why (readers see it as the "
                               "reason beside each judgment that moved)", "change-without-reason"))
    return dataclasses.replace(library, versions=found.versions), report




def _assemble(site: m.SiteConfig, briefings: list[Item], actors: list[Item], sources: list[Item],
              terms: list[Item]) -> m.Library:
    newest_first = sorted(briefings, key=lambda i: (-i.record.date.toordinal(), i.record.title.lower()))
    by_name = sorted(actors, key=lambda i: i.record.name.lower())
    by_term = sorted(terms, key=lambda i: i.record.term.lower())
    origins = {(i.kind, i.id): i.doc.name for i in briefings + actors + sources + terms}
    return m.Library(
        site=site,
        briefings={i.id: i.record for i in newest_first},
        actors={i.id: i.record for i in by_name},
        sources={i.id: i.record for i in sources},
        terms={i.id: i.record for i in by_term},
        origins=origins,
    )
