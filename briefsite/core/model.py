"""Typed records for everything a user writes, as the data format defines them.

Each record validates one YAML document's shape (types, vocabularies, required
fields, unknown keys). Rules that span records (references, duplicates) live in
`read.rules`. Field docstrings become descriptions in the generated JSON Schemas.
The kinds of value are in `values`, the vocabularies in `vocabulary`; both are
named here too, as the model's own (`model.Likelihood`, `model.Id`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict

from .refs import Ref, find_refs
from .values import ID_MAX as ID_MAX
from .values import ID_PATTERN as ID_PATTERN
from .values import HttpUrl as HttpUrl
from .values import Id as Id
from .values import IsoDate as IsoDate
from .values import Markdown as Markdown
from .values import PartialDate as PartialDate
from .values import Text as Text
from .values import indicator_shorthand
from .vocabulary import CONFIDENCE_MEANINGS as CONFIDENCE_MEANINGS
from .vocabulary import CREDIBILITY_MEANINGS as CREDIBILITY_MEANINGS
from .vocabulary import LIKELIHOOD_RANGES as LIKELIHOOD_RANGES
from .vocabulary import LIKELIHOOD_SYNONYMS as LIKELIHOOD_SYNONYMS
from .vocabulary import RELATION_MEANINGS as RELATION_MEANINGS
from .vocabulary import RELIABILITY_MEANINGS as RELIABILITY_MEANINGS
from .vocabulary import ActorKind as ActorKind
from .vocabulary import Audience as Audience
from .vocabulary import Confidence as Confidence
from .vocabulary import Credibility as Credibility
from .vocabulary import IndicatorStatus as IndicatorStatus
from .vocabulary import Likelihood as Likelihood
from .vocabulary import RelationType as RelationType
from .vocabulary import Reliability as Reliability
from .vocabulary import SourceKind as SourceKind
from .vocabulary import Status as Status

KeyPath = tuple[str | int, ...]

REFERENCE_FIELDS: dict[str, str] = {
    # field name -> the kind of record whose id it holds (or a list of such ids)
    "sources": "source", "actor": "actor", "actors": "actor", "related": "briefing", "country": "actor",
}


@dataclass(frozen=True)
class IdReference:
    """A field that names another record by its id."""

    path: KeyPath
    field: str
    """The field's name (see REFERENCE_FIELDS)."""
    target: str
    """The id it names."""

    @property
    def kind(self) -> str:
        return REFERENCE_FIELDS[self.field]


class Record(BaseModel):
    """Shared settings: unknown keys are errors, documented fields, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, strict=False)

    markdown_fields: ClassVar[tuple[str, ...]] = ()
    """Fields holding Markdown (a string or a list of strings), where references may stand."""

    def walk(self, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Record, str, Any]]:
        """(path, record, field name, value) of every field of this record and of the records
        inside it, in the order written: the one walk every question about a record's content uses."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            yield path + (name,), self, name, value
            if isinstance(value, Record):
                yield from value.walk(path + (name,))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, Record):
                        yield from item.walk(path + (name, i))

    def markdown_texts(self, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
        """Every Markdown text in this record and the records inside it, with its key path."""
        for where, record, name, value in self.walk(path):
            if name in record.markdown_fields:
                if isinstance(value, str):
                    yield where, value
                elif isinstance(value, list):
                    yield from ((where + (i,), item) for i, item in enumerate(value))

    def text_values(self, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
        """Every text value (Markdown or not), with its key path."""
        for where, _, _, value in self.walk(path):
            if isinstance(value, str):
                yield where, value
            elif isinstance(value, list):
                yield from ((where + (i,), item) for i, item in enumerate(value) if isinstance(item, str))

    def references(self, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Ref]]:
        """Every [@citation] and [[link]] in its Markdown, with the path of its text."""
        for where, text in self.markdown_texts(path):
            for ref in find_refs(text):
                yield where, ref

    def id_references(self, path: KeyPath = ()) -> Iterator[IdReference]:
        """Every field that names a record by id (REFERENCE_FIELDS), nested ones too."""
        for where, _, name, value in self.walk(path):
            if name not in REFERENCE_FIELDS:
                continue
            if isinstance(value, str):
                yield IdReference(where, name, value)
            elif isinstance(value, list):
                yield from (IdReference(where + (i,), name, v) for i, v in enumerate(value) if isinstance(v, str))

    def listed_sources(self) -> Iterator[str]:
        """Every id under a `sources:` key of this record and of the records inside it."""
        for _, _, name, value in self.walk():
            if name == "sources":
                yield from value

    def cited_sources(self) -> set[str]:
        """The sources it lists under `sources:` or cites as [@id] anywhere in it."""
        cited = {ref.target for _, ref in self.references() if ref.kind == "cite"}
        cited.update(self.listed_sources())
        return cited

    def linked_ids(self) -> set[str]:
        """The ids it links to as [[id]] anywhere in its Markdown."""
        return {ref.target for _, ref in self.references() if ref.kind == "link"}


class SiteConfig(Record):
    """`site.yaml`: the site as a whole."""

    title: Text = "Briefings"
    """The site's name."""
    description: Text = ""
    """One line under the title."""
    marking: Text | None = None
    """Printed on every page and every PDF page, unless a briefing has its own."""
    language: Text = "en"
    """Language code of the site."""


class KeyJudgment(Record):
    markdown_fields = ("text",)

    text: Markdown
    """The judgment, in Markdown."""
    likelihood: Likelihood | None = None
    """Estimative likelihood term (ICD 203)."""
    confidence: Confidence | None = None
    """Analytic confidence in the judgment."""
    sources: list[Id] = []
    """Ids of the sources it rests on."""


class BriefingActor(Record):
    markdown_fields = ("role",)

    actor: Id
    """An actor id."""
    role: Markdown | None = None
    """What the actor does in this briefing."""


class TimelineEvent(Record):
    markdown_fields = ("event",)

    date: PartialDate
    """YYYY-MM-DD, or YYYY-MM or YYYY where only that much is known."""
    event: Markdown
    """What happened."""
    actors: list[Id] = []
    """Actors involved."""
    sources: list[Id] = []
    """Sources for the event."""


class Indicator(Record):
    markdown_fields = ("text",)

    text: Markdown
    """What to watch for."""
    status: IndicatorStatus = "unknown"
    """Whether it has been observed."""


class Scenario(Record):
    markdown_fields = ("description", "implications",)

    title: Text
    """A short name for the scenario."""
    likelihood: Likelihood | None = None
    """Estimative likelihood term."""
    description: Markdown
    """What happens in this scenario."""
    implications: Markdown | None = None
    """What follows from it."""
    indicators: list[Annotated[Indicator, BeforeValidator(indicator_shorthand)]] = []
    """What to watch: a Markdown string, or a mapping with text and status."""


class Section(Record):
    markdown_fields = ("body",)

    title: Text
    """The section heading."""
    body: Markdown
    """The section text."""


class Update(Record):
    markdown_fields = ("note",)

    date: IsoDate
    """When the briefing changed."""
    note: Markdown
    """What changed."""


class Briefing(Record):
    """`briefings/<id>.yaml`: one briefing."""

    markdown_fields = ("summary", "assumptions",)

    id: Id | None = None
    """Optional; must equal the file name's stem."""
    title: Text
    """The briefing's headline."""
    date: IsoDate
    """The 'as of' date."""
    status: Status = "draft"
    """draft or final; drafts are marked as such everywhere."""
    marking: Text | None = None
    """Overrides the site's marking on this briefing's pages."""
    audience: Audience = "internal"
    """public or internal; public builds show only final public briefings."""
    authors: list[Text] = []
    """Who wrote it."""
    region: Text | None = None
    """The region it covers."""
    tags: list[Text] = []
    """Free tags."""
    summary: Markdown
    """The bottom line up front."""
    key_judgments: list[KeyJudgment] = []
    """Key judgments with likelihood and confidence."""
    assumptions: list[Markdown] = []
    """What the judgments rest on."""
    actors: list[BriefingActor] = []
    """Who matters in this briefing, and how."""
    timeline: list[TimelineEvent] = []
    """Dated events."""
    scenarios: list[Scenario] = []
    """Possible developments."""
    sections: list[Section] = []
    """Free sections, in order, after the summary."""
    related: list[Id] = []
    """Ids of related briefings."""
    updates: list[Update] = []
    """Change log, newest first."""

    def listed_actors(self) -> list[str]:
        """The actors it lists under actors:, then those only in its timeline, once each."""
        return list(dict.fromkeys([a.actor for a in self.actors] + [x for e in self.timeline for x in e.actors]))

    def named_actors(self) -> set[str]:
        """Every id it names as an actor: listed, in its timeline, or linked as [[id]] (a link
        may name a briefing or a term too: whoever asks keeps the ids of actors)."""
        return set(self.listed_actors()) | self.linked_ids()


class Relation(Record):
    markdown_fields = ("note",)

    actor: Id
    """The other actor's id."""
    type: RelationType
    """The kind of relation."""
    note: Markdown | None = None
    """More about it."""
    sources: list[Id] = []
    """Sources for the relation."""


class Actor(Record):
    """`actors/<id>.yaml`: one actor profile."""

    markdown_fields = ("summary",)

    id: Id | None = None
    """Optional; must equal the file name's stem."""
    name: Text
    """The actor's name."""
    native_name: Text | None = None
    """The name in its own script."""
    aliases: list[Text] = []
    """Other names."""
    kind: ActorKind = "other"
    """person, state, organization, armed-group or other."""
    title: Text | None = None
    """Office or role."""
    country: Id | None = None
    """The id of an actor of kind state."""
    summary: Markdown | None = None
    """A profile."""
    relations: list[Relation] = []
    """Relations to other actors."""
    sources: list[Id] = []
    """Sources about this actor."""


class Source(Record):
    """One entry of a `sources/*.yaml` list."""

    markdown_fields = ("note",)

    id: Id
    """Unique source id, cited as [@id]."""
    title: Text
    """The source's title."""
    url: HttpUrl
    """http or https address."""
    publisher: Text | None = None
    """Who published it."""
    author: Text | None = None
    """Who wrote it."""
    published: IsoDate | None = None
    """Publication date."""
    accessed: IsoDate | None = None
    """When it was read."""
    archive_url: HttpUrl | None = None
    """An archived copy (http or https)."""
    kind: SourceKind = "other"
    """news, opinion, analysis, official, dataset or other."""
    language: Text | None = None
    """Language code."""
    reliability: Reliability | None = None
    """Admiralty source reliability, A-F."""
    credibility: Credibility | None = None
    """Admiralty information credibility, 1-6."""
    note: Markdown | None = None
    """Anything else about the source."""


class Term(Record):
    """One entry of `glossary.yaml`."""

    markdown_fields = ("definition",)

    id: Id
    """Unique term id, linked as [[id]]."""
    term: Text
    """The term as written."""
    definition: Markdown
    """What it means."""
    aliases: list[Text] = []
    """Other spellings."""
    sources: list[Id] = []
    """Sources for the definition."""


@dataclass(frozen=True)
class Library:
    """Everything the user wrote, whole and valid: what the render stage receives."""

    site: SiteConfig
    briefings: dict[str, Briefing]
    """By id, newest first (ties by title)."""
    actors: dict[str, Actor]
    """By id, sorted by name."""
    sources: dict[str, Source]
    """By id, in the order written."""
    terms: dict[str, Term]
    """By id, sorted by term."""
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    """(kind, id) -> the file it came from, for messages."""
