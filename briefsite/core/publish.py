"""Public builds: only final, public briefings, and only what they use.

Everything else is removed from the library before rendering, so no page, list,
backlink, search entry, timeline or PDF can mention it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from . import model as m


def is_published(b: m.Briefing) -> bool:
    return b.status == "final" and b.audience == "public"


def public_subset(lib: m.Library) -> m.Library:
    """The library as the open web may see it."""
    briefings = {bid: b for bid, b in lib.briefings.items() if is_published(b)}
    # a published translation of a withheld original is withheld too: its page would link nothing
    briefings = {bid: b for bid, b in briefings.items() if b.translation_of is None or b.translation_of in briefings}
    actor_ids = _actors_used(briefings.values(), lib)
    term_ids = _terms_used(briefings.values(), lib)
    actors = {aid: _keep_relations(a, actor_ids) for aid, a in lib.actors.items() if aid in actor_ids}
    briefings = {bid: b.model_copy(update={"related": [r for r in b.related if r in briefings]})
                 for bid, b in briefings.items()}
    records: list[m.Record] = [*briefings.values(), *actors.values()]
    records += [t for tid, t in lib.terms.items() if tid in term_ids]
    source_ids = {sid for record in records for sid in record.cited_sources()}
    return replace(
        lib,
        briefings=briefings,
        actors=actors,
        sources={sid: s for sid, s in lib.sources.items() if sid in source_ids},
        terms={tid: t for tid, t in lib.terms.items() if tid in term_ids},
        origins={},
        versions={bid: _published_versions(lib.versions.get(bid, ()), b) for bid, b in briefings.items()},
    )


def _published_versions(versions: tuple[m.Version, ...], current: m.Briefing) -> tuple[m.Version, ...]:
    """The versions that were public when issued (a draft or internal version never is),
    the newest being the current briefing as published."""
    kept = [v for v in versions[:-1] if is_published(v.briefing)]
    if versions:
        kept.append(replace(versions[-1], briefing=current))
    return tuple(kept)


def _actors_used(briefings: Iterable[m.Briefing], lib: m.Library) -> set[str]:
    """Actors a published briefing names, and those their relations and countries name."""
    direct = {aid for b in briefings for aid in b.named_actors() if aid in lib.actors}
    reached = set(direct)
    for aid in direct:
        actor = lib.actors[aid]
        reached.update(r.actor for r in actor.relations)
        if actor.country:
            reached.add(actor.country)
    return reached


def _terms_used(briefings: Iterable[m.Briefing], lib: m.Library) -> set[str]:
    """Terms a published briefing links to or mentions by name."""
    used: set[str] = set()
    for b in briefings:
        used.update(target for target in b.linked_ids() if target in lib.terms)
        text = " ".join(t for _, t in b.markdown_texts()).lower()
        used.update(tid for tid, t in lib.terms.items() if any(w.lower() in text for w in [t.term, *t.aliases]))
    return used


def _keep_relations(actor: m.Actor, kept: set[str]) -> m.Actor:
    relations = [r for r in actor.relations if r.actor in kept]
    country = actor.country if actor.country in kept else None
    return actor.model_copy(update={"relations": relations, "country": country})
