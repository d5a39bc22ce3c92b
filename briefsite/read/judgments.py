"""Rules for a briefing's versions: ids that follow judgments from one version to the next,
and updates listed newest first, one per date; and the judgment ids its assumptions name."""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.errors import Problem, format_key_path
from .document import Document
from .messages import did_you_mean
from .warnings import warning


def check_versions(doc: Document, b: m.Briefing) -> Iterator[Problem]:
    yield from _unique_ids(doc, b)
    if len(b.updates) > 1:
        yield from _ids_needed(doc, b)
    yield from _newest_first(doc, b)
    yield from _assumed_judgments(doc, b)


def _assumed_judgments(doc: Document, b: m.Briefing) -> Iterator[Problem]:
    """An assumption supports key judgments of its own briefing, named by their ids."""
    ids = [kj.id for kj in b.key_judgments if kj.id]
    for a, assumption in enumerate(b.assumptions):
        for j, jid in enumerate(assumption.judgments):
            if jid in ids:
                continue
            if ids:
                listed = ", ".join(ids[:8]) + (", ..." if len(ids) > 8 else "")
                hint = did_you_mean(jid, ids) or f" (its key judgments' ids: {listed})"
            else:
                hint = " (none of its key judgments has an id: give the one meant id: a-short-name)"
            yield doc.problem(("assumptions", a, "judgments", j), f"no key judgment of this briefing has the id "
                              f"'{jid}'{hint}; name the key judgments that rest on this assumption")


def _followed(b: m.Briefing) -> Iterator[tuple[tuple[str | int, ...], str, str | None]]:
    """(path, noun, id) of every key judgment and scenario."""
    for i, kj in enumerate(b.key_judgments):
        yield ("key_judgments", i), "key judgment", kj.id
    for i, s in enumerate(b.scenarios):
        yield ("scenarios", i), "scenario", s.id


def _unique_ids(doc: Document, b: m.Briefing) -> Iterator[Problem]:
    seen: dict[str, tuple[str | int, ...]] = {}
    for path, _noun, jid in _followed(b):
        if jid is None:
            continue
        if jid in seen:
            yield doc.problem((*path, "id"), f"the id '{jid}' is also the id of {format_key_path(seen[jid])}; each "
                              "key judgment and scenario of a briefing needs its own")
        else:
            seen[jid] = path


def _ids_needed(doc: Document, b: m.Briefing) -> Iterator[Problem]:
    """One warning for the briefing, at the first key judgment or scenario without an id (content
    written before ids builds as it did: those are followed by their place instead)."""
    without = [(path, noun) for path, noun, jid in _followed(b) if jid is None]
    if not without:
        return
    count = len(without)
    what = "key judgment or scenario" if count == 1 else "key judgments and scenarios"
    yield warning(doc, without[0][0], f"{count} {what} of this briefing {'has' if count == 1 else 'have'} no id: "
                  f"with {len(b.updates)} updates, each is followed from one version to the next by its place, so one "
                  "moved or inserted is taken for another; give each an id (id: a-short-name), or let "
                  "'briefsite fix ids' write them", "judgment-without-id")


def _newest_first(doc: Document, b: m.Briefing) -> Iterator[Problem]:
    for i in range(1, len(b.updates)):
        newer, older = b.updates[i - 1].date, b.updates[i].date
        if older == newer:
            yield doc.problem(("updates", i, "date"), f"a second update on {older.isoformat()}: each version has "
                              "a date of its own (write both notes in one update)")
        elif older > newer:
            yield doc.problem(("updates", i, "date"), f"dated {older.isoformat()}, after the update above it "
                              f"({newer.isoformat()}); list updates newest first")
