"""The library as STIX 2.1 bundles, for threat-intelligence platforms: one per briefing and
one for the whole site (docs/stix.md says what becomes what, and why).

Pure functions: the library -> STIX objects as dictionaries -> JSON text. Everything is
derived from the data, never from the clock or chance: ids are hashes of the site's title
and the record's kind and id, dates are the briefings' own, so two builds write the same
bytes and a platform that imports a bundle again updates its objects instead of adding
copies. `lib` is the library as the render stage has it (tracked or plain), and in a public
build already the public subset (core/publish.py): nothing else reaches a bundle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any

from ..core import model as m
from ..core import yardsticks
from ..core.countries import iso_code
from ..core.refs import WIKILINK
from ..core.sourcing import host_of
from ..core.translations import originals
from .feed import EPOCH
from .views import plain_with_titles

STIX_FOLDER = "stix"
SITE_BUNDLE = f"{STIX_FOLDER}/bundle.json"

CONFIDENCE = {"low": 15, "moderate": 50, "high": 85}
"""Our levels of confidence on STIX's 0-100 scale: the Low/Med/High row of the STIX 2.1
specification's confidence scales appendix (low 15, medium 50, high 85)."""

TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_CREATED = "2022-10-01T00:00:00.000Z"
TLP_MARKINGS = {
    "TLP:CLEAR": ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"),
    "TLP:GREEN": ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"),
    "TLP:AMBER": ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"),
    "TLP:AMBER+STRICT": ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"),
    "TLP:RED": ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"),
}
"""The TLP 2.0 marking definitions as OASIS published them (cti-stix-common-objects,
extension-definition-specifications/tlp-2.0): their fixed ids, which every platform knows."""

IDENTITY_CLASS = {"person": "individual", "organization": "organization", "other": "unknown",
                  "state": "organization"}
"""An actor's kind -> the identity class of the identity it becomes (a state only when no
country code is found for it: otherwise it becomes a location)."""

Span = Callable[[str], tuple[dt.date, dt.date] | None]
"""An actor id -> the first issue and the latest version of the briefings that name it, None
when none does (the library index's view 'actor_span')."""


def briefing_bundle_page(bid: str) -> str:
    return f"{STIX_FOLDER}/{bid}.json"


def stix_id(kind: str, site_title: str, *parts: str) -> str:
    """`kind--<uuid>`: a UUID of version 4's shape (version and variant bits set, as strict
    validation asks), its other bits a hash of the site's title and the record's parts, so
    the same record has the same id in every build."""
    digest = hashlib.sha256(json.dumps(["briefsite", kind, site_title, *parts]).encode("utf-8")).digest()
    return f"{kind}--{uuid.UUID(bytes=digest[:16], version=4)}"


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00.000Z"


def tlp_marking(marking: str | None) -> str | None:
    """The TLP 2.0 label a marking is ('TLP:AMBER+STRICT'), or None when it is none."""
    label = (marking or "").strip().upper()
    return label if label in TLP_MARKINGS else None


def site_bundle(lib: m.Library, spans: Span | None = None) -> dict[str, Any]:
    """The whole site: every briefing with its judgments, every actor and relation."""
    stix = _Stix(lib, spans, lib.actors)
    return stix.bundle(stix_id("bundle", lib.site.title, "site"), list(_site_objects(stix)))


def site_bundle_json(lib: m.Library, spans: Span | None = None) -> bytes:
    """`to_json(site_bundle(...))` as UTF-8, each object written as it is made: the objects of
    the whole site and its text, two bytes a character or four, took 55 MB at once at 1,000
    briefings, a quarter of a gigabyte at 5,000."""
    stix = _Stix(lib, spans, lib.actors)
    lines: list[bytes] = []
    used: set[str] = set()
    for made in _site_objects(stix):
        used.update(made.get("object_marking_refs", ()))
        lines.append(_line(made))
    head = {"type": "bundle", "id": stix_id("bundle", lib.site.title, "site")}
    return _bundle_text(head, [*map(_line, stix.heads(used)), *lines])


def _site_objects(stix: _Stix) -> Iterator[dict[str, Any]]:
    actors = list(stix.lib.actors)
    yield from (stix.actor(aid) for aid in actors)
    yield from (rel for aid in actors for rel in stix.relationships(aid))
    for bid, _ in originals(stix.lib.briefings):
        yield from stix.briefing(bid)


def briefing_bundle(lib: m.Library, bid: str, spans: Span | None = None) -> dict[str, Any]:
    """One briefing: its report and judgments, the actors it names and their relations to each other."""
    named = [aid for aid in sorted(lib.briefings[bid].named_actors()) if aid in lib.actors]
    stix = _Stix(lib, spans, named)
    objects = [stix.actor(aid) for aid in named]
    objects += [rel for aid in named for rel in stix.relationships(aid)]
    return stix.bundle(stix_id("bundle", lib.site.title, "briefing", bid), objects + stix.briefing(bid))


def to_json(bundle: Mapping[str, Any]) -> str:
    """A bundle as JSON text: one object a line, keys in the order STIX lists them, UTF-8 as
    written (not escaped), so that two builds are byte for byte the same and a diff reads."""
    head = {k: v for k, v in bundle.items() if k != "objects"}
    return _bundle_text(head, [_line(o) for o in bundle["objects"]]).decode("utf-8")


def _line(made: Mapping[str, Any]) -> bytes:
    return json.dumps(made, ensure_ascii=False).encode("utf-8")


def _bundle_text(head: Mapping[str, Any], lines: list[bytes]) -> bytes:
    """The bundle's fields, then its objects, one a line (to_json). Joined once, from the
    lines and what goes between them: joining the lines, then adding the ends, held the
    bundle three times over at once (29 MB for the 9 MB of 1,000 briefings' bundle)."""
    pieces = [_line(head)[:-1] + b', "objects": [\n']
    for n, line in enumerate(lines):
        pieces += (b",\n", line) if n else (line,)
    pieces.append(b"\n]}\n")
    return b"".join(pieces)


class _Stix:
    """The objects of one bundle, made from one library: the ids, dates and markings they share.
    `actors`: those the bundle holds (its relationships join only them)."""

    def __init__(self, lib: m.Library, spans: Span | None, actors: Iterable[str]) -> None:
        self.lib = lib
        self.actors = set(actors)
        self.title = lib.site.title
        self.yardstick = yardsticks.of(lib.site.yardstick)
        self.spans = spans or spans_of(lib)
        self.desk = stix_id("identity", self.title, "desk")
        self.site_marking = tlp_marking(lib.site.marking)
        self._actor_ids: dict[str, str] = {}
        self._dates: dict[str, tuple[dt.date, dt.date]] = {}
        self._issued: dict[str, tuple[dt.date, dt.date]] = {}
        self._relationships: dict[str, list[dict[str, Any]]] = {}
        self._references: dict[str, dict[str, Any]] = {}

    def bundle(self, bundle_id: str, objects: list[dict[str, Any]]) -> dict[str, Any]:
        """The bundle: the marking definitions its objects use, the desk, then the objects."""
        used = {ref for o in objects for ref in o.get("object_marking_refs", ())}
        return {"type": "bundle", "id": bundle_id, "objects": [*self.heads(used), *objects]}

    def heads(self, used: Collection[str]) -> list[dict[str, Any]]:
        """What a bundle starts with: the marking definitions its objects use (`used`), the desk."""
        markings = [_marking_definition(label) for label, (mid, _) in TLP_MARKINGS.items() if mid in used]
        desk = self._common("identity", self.desk, EPOCH, EPOCH, self.site_marking)
        desk.update(name=self.title, identity_class="organization")
        if self.lib.site.description:
            desk["description"] = self.lib.site.description
        return [*markings, desk]

    def _common(self, kind: str, object_id: str, created: dt.date, modified: dt.date,
                marking: str | None) -> dict[str, Any]:
        made: dict[str, Any] = {"type": kind, "spec_version": "2.1", "id": object_id}
        if object_id != self.desk:
            made["created_by_ref"] = self.desk
        made.update(created=timestamp(created), modified=timestamp(modified))
        if marking:
            made["object_marking_refs"] = [TLP_MARKINGS[marking][0]]
        return made

    # Briefings and their judgments ---------------------------------------------------

    def issued(self, bid: str) -> tuple[dt.date, dt.date]:
        """A briefing's first issue and latest version."""
        if bid not in self._issued:
            self._issued[bid] = self.lib.briefings[bid].issued()
        return self._issued[bid]

    def briefing(self, bid: str) -> list[dict[str, Any]]:
        """The report of a briefing, then a note per key judgment."""
        lib, b = self.lib, self.lib.briefings[bid]
        marking = tlp_marking(b.marking or lib.site.marking)
        first, latest = self.issued(bid)
        report_id = stix_id("report", self.title, bid)
        named = sorted(self.actors & b.named_actors())
        notes = [self.judgment(bid, n, kj, report_id, marking) for n, kj in enumerate(b.key_judgments)]
        report = self._common("report", report_id, first, latest, marking)
        report.update(name=b.title, description=plain_with_titles(lib, b.summary), published=timestamp(latest))
        labels = [*dict.fromkeys(b.tags)] + (["draft"] if b.status == "draft" else [])
        if labels:
            report["labels"] = labels
        refs = self.references(sorted(b.cited_sources()))
        if refs:
            report["external_references"] = refs
        relations = [rel["id"] for aid in named for rel in self.relationships(aid)]
        report["object_refs"] = [o["id"] for o in notes] + [self.actor_id(aid) for aid in named] + relations \
            or [self.desk]
        return [report, *notes]

    def judgment(self, bid: str, n: int, kj: m.KeyJudgment, report_id: str, marking: str | None) -> dict[str, Any]:
        """A key judgment as a note about its report (and the actors it links to)."""
        b = self.lib.briefings[bid]
        note = self._common("note", stix_id("note", self.title, bid, kj.id or f"#{n + 1}"), *self.issued(bid),
                            marking)
        said, labels = [], ["key-judgment"]
        term = yardsticks.resolve(kj.likelihood, self.yardstick) if kj.likelihood else None
        if term is not None:
            name = next(y.name for y in yardsticks.YARDSTICKS.values() if y.term(term.key) is term)
            said.append(f"{term.label} ({term.range}, {name})")
            labels += [f"likelihood:{term.key}", f"likelihood-range:{term.low}-{term.high}%"]
        if kj.confidence:
            said.append(f"{kj.confidence} confidence")
            labels.append(f"confidence:{kj.confidence}")
            note["confidence"] = CONFIDENCE[kj.confidence]
        note["labels"] = labels
        if said:
            note["abstract"] = "Key judgment: " + ", ".join(said)
        content = plain_with_titles(self.lib, kj.text)
        if said:
            content += "\n\nLikelihood and confidence: " + ", ".join(said) + "."
        if kj.outcome is not None:
            content += (f"\n\nOutcome: {kj.outcome.result.replace('-', ' ')} ({kj.outcome.on.isoformat()})"
                        + (f": {plain_with_titles(self.lib, kj.outcome.note)}" if kj.outcome.note else "."))
        note["content"] = content
        if b.authors:
            note["authors"] = list(b.authors)
        refs = self.references(kj.rests_on())
        if refs:
            note["external_references"] = refs
        linked = sorted({found.group(1).strip() for found in WIKILINK.finditer(kj.text)} & self.actors)
        note["object_refs"] = [report_id] + [self.actor_id(aid) for aid in linked]
        return note

    # Actors and their relations ----------------------------------------------------------

    def actor_id(self, aid: str) -> str:
        if aid not in self._actor_ids:
            self._actor_ids[aid] = stix_id(self._actor_type(aid), self.title, "actor", aid)
        return self._actor_ids[aid]

    def _actor_type(self, aid: str) -> str:
        kind = self.lib.actors[aid].kind
        if kind == "armed-group":
            return "threat-actor"
        return "location" if kind == "state" and self.country_code(aid) else "identity"

    def country_code(self, aid: str) -> str | None:
        a = self.lib.actors[aid]
        names = [a.name, *a.aliases, *([a.native_name] if a.native_name else [])]
        return iso_code(names, ["en", self.lib.site.language, *([a.native_lang] if a.native_lang else [])])

    def dates(self, aid: str) -> tuple[dt.date, dt.date]:
        """An actor's created and modified: the first issue and the latest version of the
        briefings that name it (an actor carries no date of its own); EPOCH when none does."""
        if aid not in self._dates:
            self._dates[aid] = self.spans(aid) or (EPOCH, EPOCH)
        return self._dates[aid]

    def actor(self, aid: str) -> dict[str, Any]:
        a = self.lib.actors[aid]
        kind = self._actor_type(aid)
        made = self._common(kind, self.actor_id(aid), *self.dates(aid), self.site_marking)
        made["name"] = a.name
        others = [*([a.native_name] if a.native_name and a.native_name != a.name else []), *a.aliases]
        about = plain_with_titles(self.lib, a.summary) if a.summary else ""
        if kind == "threat-actor":
            if others:
                made["aliases"] = others
            if a.title:
                about = f"{a.title}. {about}".strip()
        elif others:
            about = (f"{about}\n\n" if about else "") + "Also known as: " + "; ".join(others) + "."
        if about:
            made["description"] = about
        if kind == "location":
            made["country"] = self.country_code(aid)
        elif kind == "identity":
            made["identity_class"] = IDENTITY_CLASS[a.kind]
            if a.title:
                made["roles"] = [a.title]
        refs = self.references(a.sources)
        if refs:
            made["external_references"] = refs
        return made

    def relationships(self, aid: str) -> list[dict[str, Any]]:
        """An actor's relations to the actors of the bundle, and where it is (its country)."""
        if aid not in self._relationships:
            a = self.lib.actors[aid]
            made = [self.relationship(aid, r) for r in a.relations if r.actor in self.actors]
            if a.country and a.country in self.actors:
                made.append(self._located(aid, a.country))
            self._relationships[aid] = made
        return self._relationships[aid]

    def relationship(self, aid: str, r: m.Relation) -> dict[str, Any]:
        """A relation: STIX's own type where STIX has one for the pair, else related-to saying ours."""
        source, target = self.actor_id(aid), self.actor_id(r.actor)
        kind = ("targets" if r.type == "adversary" and source.startswith("threat-actor--")
                and target.startswith(("identity--", "location--")) else "related-to")
        made = self._relationship(aid, r.actor, stix_id("relationship", self.title, aid, r.type, r.actor), kind)
        note = plain_with_titles(self.lib, r.note) if r.note else ""
        made["description"] = f"Relation '{r.type}': {m.RELATION_MEANINGS[r.type]}" + (f" {note}" if note else "")
        refs = self.references(r.sources)
        if refs:
            made["external_references"] = refs
        return made

    def _located(self, aid: str, country: str) -> dict[str, Any]:
        """located-at its country where the country is a location; related-to otherwise."""
        to_location = self.actor_id(country).startswith("location--")
        made = self._relationship(aid, country, stix_id("relationship", self.title, aid, "country", country),
                                  "located-at" if to_location else "related-to")
        if not to_location:
            made["description"] = (f"{self.lib.actors[aid].name} is of the country "
                                   f"{self.lib.actors[country].name}.")
        return made

    def _relationship(self, source: str, target: str, rel_id: str, kind: str) -> dict[str, Any]:
        (s_first, s_last), (t_first, t_last) = self.dates(source), self.dates(target)
        made = self._common("relationship", rel_id, min(s_first, t_first), max(s_last, t_last), self.site_marking)
        made.update(relationship_type=kind, source_ref=self.actor_id(source), target_ref=self.actor_id(target))
        return made

    # Sources --------------------------------------------------------------------------

    def references(self, source_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Sources as external references: the address in the description, not in `url`
        (strict validation wants the hashes of what a `url` points to, which we do not have)."""
        found = []
        for sid in dict.fromkeys(source_ids):
            if sid not in self._references and sid in self.lib.sources:
                self._references[sid] = _reference(self.lib.sources[sid])
            if sid in self._references:
                found.append(self._references[sid])
        return found


def _reference(s: m.Source) -> dict[str, Any]:
    who = ", ".join(x for x in (s.author, s.published.isoformat() if s.published else None) if x)
    grade = f"{s.reliability or ''}{s.credibility or ''}"
    said = [f"{s.title}{f' ({who})' if who else ''}.", f"At {s.url}"
            + (f" (accessed {s.accessed.isoformat()})" if s.accessed else "") + "."]
    if s.archive_url:
        said.append(f"Archived copy: {s.archive_url}.")
    if grade:
        said.append(f"Admiralty grade {grade}.")
    return {"source_name": s.publisher or host_of(s.url), "description": " ".join(said), "external_id": s.id}


def _marking_definition(label: str) -> dict[str, Any]:
    """A TLP 2.0 marking definition, as OASIS published it."""
    mid, level = TLP_MARKINGS[label]
    return {"type": "marking-definition", "spec_version": "2.1", "id": mid, "created": TLP_CREATED, "name": label,
            "extensions": {TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level}}}


def spans_of(lib: m.Library) -> Span:
    """Each actor's span (Span), found from the library (the render stage's index has them)."""
    found: dict[str, tuple[dt.date, dt.date]] = {}
    for _, b in originals(lib.briefings):
        first, latest = b.issued()
        for aid in b.named_actors():
            was = found.get(aid, (first, latest))
            found[aid] = min(was[0], first), max(was[1], latest)
    return found.get
