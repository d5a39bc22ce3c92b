"""A synthetic content folder of any size, in the data format of docs/format.md.

Deterministic: the same seed and size give byte-identical files. Everything written
is valid: every [@source], [[link]], actor, related briefing and country names
something that exists, dates are real and sources are not accessed before they were
published. Sizes follow the number of briefings N: about N/2 actors, 2N sources and a
glossary that grows slowly; the caps keep the shared pages (actors index, sources,
glossary) at sizes a real library could reach.

    python -m bench.corpus --briefings 1000 --out /tmp/corpus --seed 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from briefsite.core import sourcing, yardsticks

MAX_ACTORS = 2500
MAX_TERMS = 200
SOURCES_PER_FILE = 250
LATEST = dt.date(2024, 12, 31)
"""No date in the corpus is later than this, so sources are never 'in the future'."""

LIKELIHOODS = ["almost-no-chance", "very-unlikely", "unlikely", "roughly-even-chance",
               "likely", "very-likely", "almost-certain"]
CONFIDENCES = ["low", "moderate", "high"]
RELATION_TYPES = ["ally", "partner", "rival", "adversary", "mediator", "member-of", "leads", "backs", "other"]
SOURCE_KINDS = ["news", "opinion", "analysis", "official", "dataset", "other"]
INDICATOR_STATUSES = ["observed", "not-observed", "unknown"]
TRENDS = ["deteriorated", "improved", "unchanged", "risk-alert", "resolution-opportunity"]

_SYLLABLES = ["al", "bar", "cor", "dan", "el", "far", "gor", "hal", "is", "kar", "lem", "mor", "nar", "or",
              "pel", "ros", "sar", "tal", "ur", "vel", "zan", "ber", "dor", "kal", "man", "tor", "vin", "an"]
_FIRST = ["Aram", "Nino", "Elena", "Davit", "Rustam", "Leyla", "Sergei", "Anna", "Timur", "Mariam",
          "Oleg", "Zara", "Pavel", "Irina", "Karen", "Lusine", "Ilham", "Nadia", "Viktor", "Sona"]
_NATIVE_FIRST = ["Арам", "Нино", "Елена", "Давит", "Рустам", "Лейла", "Сергей", "Анна", "Тимур", "Мариам",
                 "Олег", "Զառա", "Պավել", "Իրինա", "Կարեն", "Լուսինե", "Ильхам", "Надя", "Виктор", "Սոնա"]
_WORDS = ("ceasefire corridor border talks envoy garrison pipeline sanctions convoy militia summit "
          "negotiation observers checkpoint referendum election reserve drone artillery mediation "
          "treaty pledge offensive withdrawal exchange customs railway harbour grain tariff loan "
          "guarantee mandate mission patrol frontier district enclave capital parliament ministry").split()
_VERBS = ("reinforces signals rejects proposes delays accepts demands blocks funds mediates "
          "escalates resumes suspends monitors supports questions").split()
_ADJ = ("fragile tense limited renewed covert public regional partial sudden gradual "
        "northern southern disputed contested bilateral informal").split()
_REGIONS = ["South Caucasus", "Black Sea", "Caspian", "Central Asia", "Eastern Europe", "Levant"]
_REGION_COUNTRIES = {"South Caucasus": ["AZ", "AM", "GE", "TR", "IR", "RU"],
                     "Black Sea": ["UA", "RU", "TR", "RO", "BG", "GE"],
                     "Caspian": ["AZ", "KZ", "TM", "IR", "RU"],
                     "Central Asia": ["KZ", "UZ", "TM", "KG", "TJ", "AF"],
                     "Eastern Europe": ["UA", "BY", "MD", "PL", "RO", "LT"],
                     "Levant": ["SY", "LB", "IL", "JO", "IQ"]}
"""The countries a briefing on a region is about (its `area:` picks one to three of them)."""
_REGION_BOXES = {"South Caucasus": (38.5, 43.0, 42.5, 50.5), "Black Sea": (41.0, 28.0, 47.0, 42.0),
                 "Caspian": (36.5, 46.5, 47.0, 54.5), "Central Asia": (37.0, 56.0, 47.0, 80.0),
                 "Eastern Europe": (46.0, 22.0, 56.0, 35.0), "Levant": (29.5, 34.5, 37.5, 42.5)}
"""Where a region's places are (south, west, north, east)."""
PLACES_PER_REGION = 12
_PUBLISHERS = ["The Daily Ledger", "Frontier Wire", "Regional Monitor", "Caspian Review", "Open Dispatch",
               "Ministry Bulletin", "Policy Quarterly", "Border Watch", "Field Notes Press", "Data Desk"]
_TAGS = ["security", "energy", "diplomacy", "elections", "migration", "trade", "military", "mediation",
         "sanctions", "infrastructure", "humanitarian", "media"]
_SECTION_TITLES = ["Background", "Military situation", "Diplomatic track", "Economic levers",
                   "Domestic politics", "Information space", "Outlook", "Gaps in knowledge"]


@dataclass
class CorpusStats:
    """What was generated."""

    briefings: int
    actors: int
    sources: int
    terms: int
    files: int
    bytes: int
    paths: list[Path] = field(default_factory=list)


@dataclass
class _Pools:
    briefing_ids: list[str]
    actor_ids: list[str]
    actor_names: dict[str, str]
    state_ids: list[str]
    source_ids: list[str]
    terms: list[tuple[str, str]]
    """(term id, term as written)."""


class _Text:
    """Sentences and Markdown with references drawn from the pools."""

    def __init__(self, rng: random.Random, pools: _Pools):
        self.rng = rng
        self.pools = pools

    def pick(self, seq: list[Any]) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def skewed(self, seq: list[Any]) -> Any:
        """Popular items come up more often (about Zipf), as real actors and sources do."""
        n = len(seq)
        return seq[min(n - 1, int(n * self.rng.random() ** 3))]

    def phrase(self) -> str:
        return f"{self.pick(_ADJ)} {self.pick(_WORDS)}"

    def sentence(self, cite: list[str], link_actors: list[str], allow_term: bool = True) -> str:
        words = [self.pick(_ADJ).capitalize(), self.pick(_WORDS), self.pick(_VERBS), "the", self.phrase()]
        roll = self.rng.random()
        if link_actors and roll < 0.35:
            aid = self.pick(link_actors)
            if self.rng.random() < 0.5:
                words[0:2] = [f"[[{aid}]]"]
            else:
                words[0:2] = [f"[[{aid}|{self.pools.actor_names[aid]}]]"]
        elif allow_term and roll < 0.5 and self.pools.terms:
            tid, term = self.skewed(self.pools.terms)
            words.append("under the" if self.rng.random() < 0.5 else "near the")
            words.append(f"[[{tid}]]" if self.rng.random() < 0.3 else term.lower())
        elif roll < 0.55:
            words.append(f"near the *{self.pick(_WORDS)}* line")
        elif roll < 0.6:
            words.append(f"as **{self.pick(_WORDS)}** talks stall")
        text = " ".join(words)
        if cite and self.rng.random() < 0.6:
            ids = sorted({self.pick(cite) for _ in range(1 + (self.rng.random() < 0.2))})
            text += " [" + "; ".join(f"@{i}" for i in ids) + "]"
        return text + "."

    def paragraph(self, cite: list[str], actors: list[str], sentences: tuple[int, int] = (2, 4)) -> str:
        n = self.rng.randint(*sentences)
        return " ".join(self.sentence(cite, actors) for _ in range(n))

    def body(self, cite: list[str], actors: list[str], bid: str) -> str:
        """A free section: paragraphs, and sometimes a list, a table, a subheading or a link."""
        parts = [self.paragraph(cite, actors)]
        roll = self.rng.random()
        if roll < 0.3:
            parts.append("\n".join(f"- **{self.pick(_WORDS).capitalize()}.** {self.sentence(cite, actors)}"
                                   for _ in range(self.rng.randint(2, 4))))
        elif roll < 0.45:
            rows = [f"| {self.pick(_WORDS)} | {self.rng.randint(1, 900)} | {self.pick(_ADJ)} |"
                    for _ in range(self.rng.randint(2, 5))]
            parts.append("| Item | Count | Trend |\n|---|---|---|\n" + "\n".join(rows))
        elif roll < 0.55:
            parts.append(f"### {self.phrase().capitalize()}\n\n{self.paragraph(cite, actors)}")
        elif roll < 0.65:
            parts.append(f"See the [{self.phrase()}](https://example.org/reports/{bid}) for the full record.")
        elif roll < 0.75 and len(self.pools.briefing_ids) > 1:
            other = self.pick([b for b in (self.pick(self.pools.briefing_ids) for _ in range(2)) if b != bid] or
                              [b for b in self.pools.briefing_ids[:2] if b != bid])
            parts.append(f"Compare [[{other}]], and [[{other}|the earlier assessment]].")
        if self.rng.random() < 0.5:
            parts.append(self.paragraph(cite, actors))
        return "\n\n".join(parts)


def _slug(rng: random.Random, parts: int = 2) -> str:
    return "-".join("".join(rng.choice(_SYLLABLES) for _ in range(2)) for _ in range(parts))


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def sizes(briefings: int) -> tuple[int, int, int]:
    """(actors, sources, terms) for a corpus of this many briefings."""
    actors = max(6, min(round(briefings / 2), MAX_ACTORS))
    sources = max(6, 2 * briefings)
    terms = max(4, min(10 + briefings // 10, MAX_TERMS))
    return actors, sources, terms


def _pools(rng: random.Random, n_briefings: int) -> _Pools:
    n_actors, n_sources, n_terms = sizes(n_briefings)
    briefing_ids = [f"{_slug(rng, 3)}-{i:05d}" for i in range(n_briefings)]
    actor_ids: list[str] = []
    names: dict[str, str] = {}
    states: list[str] = []
    for i in range(n_actors):
        aid = f"{_slug(rng)}-a{i:04d}"
        actor_ids.append(aid)
        if i % 10 == 0:
            states.append(aid)
            names[aid] = f"Republic of {_slug(rng, 1).capitalize()}{'ia' if i % 20 else 'stan'}"
        else:
            names[aid] = f"{rng.choice(_FIRST)} {_slug(rng, 1).capitalize()}{'yan' if i % 3 else 'ov'}"
    source_ids = [f"{rng.choice(['wire', 'rep', 'doc', 'mon'])}-{_slug(rng, 1)}-s{i:05d}" for i in range(n_sources)]
    terms: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(terms) < n_terms:
        word = f"{_slug(rng, 1)}{rng.choice(['ov', 'ian', 'ese', 'ar'])} {rng.choice(_WORDS)}"
        if word in seen:
            continue
        seen.add(word)
        terms.append((f"term-{word.replace(' ', '-')}", word.capitalize()))
    return _Pools(briefing_ids, actor_ids, names, states, source_ids, terms)


def _source(rng: random.Random, sid: str, i: int) -> dict[str, Any]:
    published = _date_between(rng, dt.date(2014, 1, 1), dt.date(2024, 11, 30))
    entry: dict[str, Any] = {
        "id": sid,
        "title": f"{rng.choice(_ADJ).capitalize()} {rng.choice(_WORDS)} and the {rng.choice(_WORDS)} question",
        "url": f"https://news{i % 37}.example.org/{published.year}/{published.month:02d}/{sid}",
        "publisher": rng.choice(_PUBLISHERS),
        "kind": rng.choice(SOURCE_KINDS),
    }
    if rng.random() < 0.8:
        entry["published"] = published
    entry["accessed"] = min(LATEST, published + dt.timedelta(days=rng.randrange(60)))
    if rng.random() < 0.3:
        entry["author"] = f"{rng.choice(_FIRST)} {_slug(rng, 1).capitalize()}"
    entry["archive_url"] = f"https://archive.example.net/{i}/{sid}"
    entry["language"] = rng.choice(["en", "en", "ru", "hy"])
    if rng.random() < 0.85:
        entry["reliability"] = rng.choice("ABCDEF")
        entry["credibility"] = rng.randint(1, 6)
    if rng.random() < 0.3:
        entry["note"] = f"Covers the {rng.choice(_ADJ)} {rng.choice(_WORDS)}; *check* the original before quoting."
    return entry


def _actor(rng: random.Random, text: _Text, pools: _Pools, i: int) -> dict[str, Any]:
    aid = pools.actor_ids[i]
    state = aid in pools.state_ids
    own_sources = [text.skewed(pools.source_ids) for _ in range(rng.randint(1, 3))]
    actor: dict[str, Any] = {"name": pools.actor_names[aid]}
    if not state and rng.random() < 0.6:
        actor["native_name"] = f"{rng.choice(_NATIVE_FIRST)} {rng.choice(_NATIVE_FIRST)}"
    if rng.random() < 0.3:
        actor["aliases"] = [pools.actor_names[aid].split()[-1]]
    actor["kind"] = "state" if state else rng.choice(["person", "person", "organization", "armed-group", "other"])
    if not state:
        actor["title"] = f"{rng.choice(['Minister', 'Envoy', 'Commander', 'Director', 'Spokesperson'])} " \
                         f"for {rng.choice(_WORDS)} affairs"
        actor["country"] = text.pick(pools.state_ids)
    others = [a for a in (text.skewed(pools.actor_ids) for _ in range(4)) if a != aid]
    actor["summary"] = text.paragraph(own_sources, others[:2], (1, 3))
    relations = []
    for other in sorted(set(others[: rng.randint(0, 3)])):
        rel: dict[str, Any] = {"actor": other, "type": rng.choice(RELATION_TYPES)}
        if rng.random() < 0.7:
            rel["note"] = text.sentence(own_sources, [], allow_term=False)
        if rng.random() < 0.6:
            rel["sources"] = [own_sources[0]]
        relations.append(rel)
    if relations:
        actor["relations"] = relations
    actor["sources"] = sorted(set(own_sources))
    return actor


def _briefing(rng: random.Random, text: _Text, pools: _Pools, i: int) -> dict[str, Any]:
    bid = pools.briefing_ids[i]
    n_src = len(pools.source_ids)
    own = [pools.source_ids[(2 * i) % n_src], pools.source_ids[(2 * i + 1) % n_src]]
    cite = own + [text.skewed(pools.source_ids) for _ in range(rng.randint(1, 4))]
    # every actor is named somewhere: actor i % n in briefing i, the others skewed to the popular ones
    actors = sorted({pools.actor_ids[i % len(pools.actor_ids)]} |
                    {text.skewed(pools.actor_ids) for _ in range(rng.randint(2, 6))})
    date = _date_between(rng, dt.date(2015, 1, 1), dt.date(2024, 6, 30))
    b: dict[str, Any] = {
        "title": f"{rng.choice(_ADJ).capitalize()} {rng.choice(_WORDS)} in the {rng.choice(_REGIONS)}: "
                 f"what {pools.actor_names[actors[0]]} {rng.choice(_VERBS)} next",
        "date": date,
        "status": "final" if rng.random() < 0.9 else "draft",
    }
    if rng.random() < 0.2:
        b["marking"] = "TLP:CLEAR" if rng.random() < 0.5 else "TLP:AMBER"
    b["audience"] = "public" if rng.random() < 0.5 else "internal"
    b["authors"] = [f"{rng.choice(_FIRST)} {_slug(rng, 1).capitalize()}"]
    b["region"] = rng.choice(_REGIONS)
    b["tags"] = sorted(set(rng.sample(_TAGS, rng.randint(1, 4))))
    bullets = "\n".join(f"- **{rng.choice(_WORDS).capitalize()}.** {text.sentence(cite, actors)}"
                        for _ in range(rng.randint(2, 4)))
    b["summary"] = f"{text.paragraph(cite, actors)}\n\n{bullets}\n"
    b["key_judgments"] = []
    for k in range(rng.randint(3, 5)):
        kj: dict[str, Any] = {"id": f"judgment-{k + 1}", "text": text.paragraph([], actors, (1, 2))}
        if rng.random() < 0.9:
            kj["likelihood"] = rng.choice(LIKELIHOODS)
        if rng.random() < 0.9:
            kj["confidence"] = rng.choice(CONFIDENCES)
        # the briefing's own two sources are always cited, so no source is cited nowhere
        first = own[k] if k < 2 else text.pick(cite)
        kj["sources"] = sorted({first} | {text.pick(cite) for _ in range(rng.randint(0, 1))})
        b["key_judgments"].append(kj)
    b["assumptions"] = [text.sentence([], actors) for _ in range(rng.randint(2, 3))]
    b["actors"] = [{"actor": a, "role": text.sentence([], [], allow_term=False)} for a in actors]
    timeline = []
    for day in sorted(_date_between(rng, date - dt.timedelta(days=400), date) for _ in range(rng.randint(3, 8))):
        roll = rng.random()
        when: Any = day if roll < 0.7 else (f"{day.year}-{day.month:02d}" if roll < 0.9 else str(day.year))
        event: dict[str, Any] = {"date": when, "event": text.sentence([], actors)}
        event["actors"] = sorted({text.pick(actors) for _ in range(rng.randint(1, 2))})
        if rng.random() < 0.7:
            event["sources"] = [text.pick(cite)]
        timeline.append(event)
    b["timeline"] = timeline
    scenarios = []
    for n in range(rng.randint(2, 3)):
        sc: dict[str, Any] = {"id": f"scenario-{n + 1}", "title": text.phrase().capitalize(),
                              "likelihood": rng.choice(LIKELIHOODS),
                              "description": text.paragraph(cite, actors, (1, 3))}
        if rng.random() < 0.6:
            sc["implications"] = text.paragraph([], actors, (1, 2))
        indicators: list[Any] = []
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.5:
                indicators.append(text.sentence([], actors, allow_term=False))
            else:
                indicators.append({"text": text.sentence([], actors, allow_term=False),
                                   "status": rng.choice(INDICATOR_STATUSES)})
        sc["indicators"] = indicators
        scenarios.append(sc)
    b["scenarios"] = scenarios
    b["sections"] = [{"title": t, "body": text.body(cite, actors, bid)}
                     for t in rng.sample(_SECTION_TITLES, rng.randint(1, 3))]
    if len(pools.briefing_ids) > 1 and rng.random() < 0.7:
        related = {text.pick(pools.briefing_ids) for _ in range(rng.randint(1, 3))} - {bid}
        if related:
            b["related"] = sorted(related)
    if rng.random() < 0.4:
        updates = sorted({_date_between(rng, date, LATEST) for _ in range(rng.randint(1, 2))}, reverse=True)
        b["updates"] = [{"date": d, "note": f"Added the {text.phrase()}."} for d in updates]
    _tradecraft(random.Random(f"tradecraft:{bid}"), b, cite)
    _places(random.Random(f"places:{bid}"), b)
    return b


def _places(rng: random.Random, b: dict[str, Any]) -> None:
    """An area (one to three of the region's countries; now and then a box) and, for some
    timeline events, a place of the region's gazetteer entries or a point."""
    region = b["region"]
    if rng.random() < 0.1:
        south, west, north, east = _REGION_BOXES[region]
        lat, lon = rng.uniform(south, north - 2), rng.uniform(west, east - 3)
        b["area"] = {"south": round(lat, 1), "west": round(lon, 1), "north": round(lat + rng.uniform(1, 2), 1),
                     "east": round(lon + rng.uniform(1.5, 3), 1)}
    else:
        b["area"] = sorted(rng.sample(_REGION_COUNTRIES[region], rng.randint(1, 3)))
    for event in b["timeline"]:
        roll = rng.random()
        if roll < 0.4:
            event["place"] = _place_id(region, rng.randrange(PLACES_PER_REGION))
        elif roll < 0.5:
            south, west, north, east = _REGION_BOXES[region]
            event["location"] = [round(rng.uniform(south, north), 3), round(rng.uniform(west, east), 3)]


def _place_id(region: str, n: int) -> str:
    return f"{region.lower().replace(' ', '-')}-place-{n + 1}"


def _gazetteer() -> list[dict[str, Any]]:
    """Places in each region: made-up names at points inside it (the same whatever the seed)."""
    rng = random.Random("gazetteer")
    found = []
    for region in _REGIONS:
        south, west, north, east = _REGION_BOXES[region]
        for n in range(PLACES_PER_REGION):
            name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            place: dict[str, Any] = {"id": _place_id(region, n), "name": name,
                                     "point": [round(rng.uniform(south, north), 3), round(rng.uniform(west, east), 3)]}
            if rng.random() < 0.5:
                place["names"] = {"ru": rng.choice(_NATIVE_FIRST[:11]) + "ск"}
            found.append(place)
    return found


def _tradecraft(rng: random.Random, b: dict[str, Any], cite: list[str]) -> None:
    """What a desk that checks its tradecraft adds: rated assumptions tied to judgments,
    indicators with their evidence, outcomes of judgments whose time has come, and exclusive
    scenario sets. A random stream of its own, so the rest of the corpus stays as it was."""
    judgments = [kj["id"] for kj in b["key_judgments"]]
    b["assumptions"] = [a if rng.random() < 0.5 else
                        {"text": a, "status": rng.choice(["solid", "caveated"]), "judgments": [rng.choice(judgments)]}
                        for a in b["assumptions"]]
    for sc in b["scenarios"]:
        for n, indicator in enumerate(sc["indicators"]):
            if isinstance(indicator, dict) and indicator["status"] != "unknown" and rng.random() < 0.6:
                sc["indicators"][n] = {**indicator, "observed_on": b["date"] - dt.timedelta(days=rng.randint(1, 60)),
                                       "sources": [rng.choice(cite)]}
    settled = b["date"] + dt.timedelta(days=rng.randint(30, 300))
    if settled <= LATEST:  # a judgment is settled some months after it was made
        for kj in b["key_judgments"]:
            if "likelihood" in kj and rng.random() < 0.4:
                # as often as the middle of its term's range says
                happened = rng.random() < _likelihood(kj["likelihood"]).midpoint / 100
                kj["outcome"] = {"result": "happened" if happened else "did-not-happen", "on": settled,
                                 "sources": [rng.choice(cite)]}
    terms = [_likelihood(sc["likelihood"]) for sc in b["scenarios"]]
    lows, highs = sum(t.low for t in terms), sum(t.high for t in terms)
    if lows <= 100 <= highs and rng.random() < 0.5:  # a set whose ranges can add up to 100%
        b["scenarios_exclusive"] = True



def _term(rng: random.Random, text: _Text, pools: _Pools, i: int) -> dict[str, Any]:
    tid, term = pools.terms[i]
    entry: dict[str, Any] = {"id": tid, "term": term,
                             "definition": text.paragraph([text.skewed(pools.source_ids)], [], (1, 2))}
    if rng.random() < 0.4:
        entry["aliases"] = [f"{term} arrangement"]
    if rng.random() < 0.7:
        entry["sources"] = [text.skewed(pools.source_ids)]
    return entry


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Multi-line text as literal blocks, as an analyst would write it."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)


def dump(value: Any, header: str) -> str:
    body = yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return f"# {header}\n{body}"


def generate(out: Path, briefings: int, seed: int = 0, overwrite: bool = False) -> CorpusStats:
    """Write a content folder of `briefings` briefings into `out`."""
    if briefings < 1:
        raise ValueError("at least one briefing")
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{out} is not empty (use overwrite=True, or --force)")
        for name in ("briefings", "actors", "sources"):
            shutil.rmtree(out / name, ignore_errors=True)
        for name in ("site.yaml", "glossary.yaml", "places.yaml"):
            (out / name).unlink(missing_ok=True)
    rng = random.Random(seed)
    pools = _pools(rng, briefings)
    text = _Text(rng, pools)
    note = f"Synthetic content (bench/corpus.py, seed {seed}, {briefings} briefings)."
    files: dict[Path, str] = {
        out / "site.yaml": dump({"title": "Synthetic Watch", "description": f"{briefings} generated briefings",
                                 "marking": "UNCLASSIFIED - SYNTHETIC", "language": "en"}, note),
    }
    records = [_briefing(rng, text, pools, i) for i in range(len(pools.briefing_ids))]
    for i, aid in enumerate(pools.actor_ids):
        files[out / "actors" / f"{aid}.yaml"] = dump(_actor(rng, text, pools, i), note)
    sources = [_source(rng, sid, i) for i, sid in enumerate(pools.source_ids)]
    _confidence_as_sourced(records, sources)
    for bid, record in zip(pools.briefing_ids, records, strict=True):
        files[out / "briefings" / f"{bid}.yaml"] = dump(record, note)
    for start in range(0, len(sources), SOURCES_PER_FILE):
        chunk = sources[start:start + SOURCES_PER_FILE]
        files[out / "sources" / f"batch-{start // SOURCES_PER_FILE + 1:03d}.yaml"] = dump(chunk, note)
    files[out / "glossary.yaml"] = dump([_term(rng, text, pools, i) for i in range(len(pools.terms))], note)
    files[out / "places.yaml"] = dump(_gazetteer(), note)
    total = 0
    for folder in ("briefings", "actors", "sources"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for path, content in files.items():
        data = content.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return CorpusStats(len(pools.briefing_ids), len(pools.actor_ids), len(pools.source_ids), len(pools.terms),
                       len(files), total, sorted(files))


def _likelihood(key: str) -> yardsticks.Term:
    """A term of the corpus's yardstick (ICD 203, the default)."""
    term = yardsticks.ICD_203.term(key)
    assert term is not None, key
    return term


def _confidence_as_sourced(briefings: list[dict[str, Any]], sources: list[dict[str, Any]]) -> None:
    """A desk states high confidence only on sourcing that bears it (briefsite.core.sourcing:
    two independent publishers, one source graded C3 or better): a judgment the random
    sources do not bear is lowered to moderate, as its analyst would."""
    by_id = {s["id"]: SimpleNamespace(publisher=s.get("publisher"), url=s["url"], reliability=s.get("reliability"),
                                      credibility=s.get("credibility")) for s in sources}
    for b in briefings:
        for kj in b["key_judgments"]:
            if kj.get("confidence") != "high":
                continue
            held = [by_id[sid] for sid in kj.get("sources", ())]
            publishers = sourcing.independent(sourcing.publisher_of(x) for x in held)
            if len(publishers) < 2 or not any(sourcing.meets_bar(x) for x in held):
                kj["confidence"] = "moderate"


def commit_history(data: Path, versions: int, seed: int = 0) -> int:
    """Make the content folder `data` the last of `versions` commits of a new git history (in
    the folder above it): in each earlier commit every briefing has fewer updates, and its
    key judgments and scenarios other grades, as a desk reissuing its briefings leaves them.
    Returns the number of commits."""
    root = data.parent
    rng = random.Random(seed + 1)
    files = sorted((data / "briefings").glob("*.yaml"))
    final = {f: yaml.load(f.read_text(encoding="utf-8"), Loader=_LOADER) for f in files}
    env = {**os.environ, "GIT_AUTHOR_NAME": "Synthetic desk", "GIT_AUTHOR_EMAIL": "desk@example.org",
           "GIT_COMMITTER_NAME": "Synthetic desk", "GIT_COMMITTER_EMAIL": "desk@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    shifts = {f: [rng.randint(-1, 1) for _ in range(versions)] for f in files}
    for stage in range(1, versions + 1):
        for f, b in final.items():
            issued = dict(b)
            start = b["date"]
            dates = [start + dt.timedelta(days=7 * k) for k in range(stage)]
            issued["updates"] = [{"date": d, "note": f"Reissued, version {k + 1}."} | (
                {"trend": TRENDS[(k + len(b["title"])) % len(TRENDS)]} if k else {})
                for k, d in reversed(list(enumerate(dates)))]
            back = sum(shifts[f][stage:])  # how far this version's grades are from the last one's
            issued["key_judgments"] = [_regraded(kj, back) for kj in b.get("key_judgments", [])]
            f.write_text(dump(issued, "Synthetic content with a history (bench/corpus.py)."), encoding="utf-8")
        git("add", "-A")
        git("commit", "-q", "-m", f"Version {stage} of every briefing")
    return versions


def _regraded(kj: dict[str, Any], steps: int) -> dict[str, Any]:
    if "likelihood" not in kj or not steps:
        return kj
    level = min(max(LIKELIHOODS.index(kj["likelihood"]) - steps, 0), len(LIKELIHOODS) - 1)
    return {**kj, "likelihood": LIKELIHOODS[level]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--briefings", type=int, required=True, metavar="N", help="how many briefings")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="the content folder to write")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--force", action="store_true", help="replace the content of a non-empty DIR")
    args = parser.parse_args(argv)
    try:
        stats = generate(args.out, args.briefings, args.seed, overwrite=args.force)
    except (FileExistsError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.out}: {stats.briefings} briefings, {stats.actors} actors, {stats.sources} sources, "
          f"{stats.terms} terms ({stats.files} files, {stats.bytes / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
