"""Typed records for everything a user writes, as the data format defines them.

Each record validates one YAML document's shape (types, vocabularies, required
fields, unknown keys). Rules that span records (references, duplicates) live in
`read.rules`. Field docstrings become descriptions in the generated JSON Schemas.
The kinds of value are in `values`, the vocabularies in `vocabulary`; both are
named here too, as the model's own (`model.Likelihood`, `model.Id`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import BeforeValidator, Field

from .places import Area, Location, Place, Point
from .record import REFERENCE_FIELDS as REFERENCE_FIELDS
from .record import IdReference as IdReference
from .record import KeyPath as KeyPath
from .record import Record as Record
from .refs import CITATION, citation_ids
from .site import SiteConfig as SiteConfig
from .values import ID_MAX as ID_MAX
from .values import ID_PATTERN as ID_PATTERN
from .values import HttpUrl as HttpUrl
from .values import Id as Id
from .values import IsoDate as IsoDate
from .values import LanguageTag as LanguageTag
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
from .vocabulary import TREND_LABELS as TREND_LABELS
from .vocabulary import WARNING_KINDS as WARNING_KINDS
from .vocabulary import ActorKind as ActorKind
from .vocabulary import AssumptionStatus as AssumptionStatus
from .vocabulary import Audience as Audience
from .vocabulary import Confidence as Confidence
from .vocabulary import Credibility as Credibility
from .vocabulary import IndicatorStatus as IndicatorStatus
from .vocabulary import Likelihood as Likelihood
from .vocabulary import OutcomeResult as OutcomeResult
from .vocabulary import RelationType as RelationType
from .vocabulary import Reliability as Reliability
from .vocabulary import SourceKind as SourceKind
from .vocabulary import Status as Status
from .vocabulary import Trend as Trend
from .vocabulary import WarningKind as WarningKind
from .yardsticks import YardstickName as YardstickName


class Outcome(Record):
    markdown_fields = ("note",)

    result: OutcomeResult = Field(examples=["happened"])
    """happened or did-not-happen."""
    on: IsoDate = Field(examples=["2020-11-10"])
    """When it was settled."""
    note: Markdown | None = Field(default=None, examples=["The ceasefire of 10 November ended the war"])
    """How it was settled."""
    sources: list[Id] = Field(default=[], examples=[["source-id"]])
    """Sources that show the outcome."""


class KeyJudgment(Record):
    markdown_fields = ("text",)

    id: Id | None = Field(default=None, examples=["offensive-continues"])
    """Follows the judgment across versions, reworded or not (unique; needed from a second update)."""
    text: Markdown = Field(examples=["The offensive will continue until the districts are retaken"])
    """The judgment, in Markdown."""
    likelihood: Likelihood | None = Field(default=None, examples=["likely"])
    """Estimative likelihood term (ICD 203)."""
    confidence: Confidence | None = Field(default=None, examples=["moderate"])
    """Analytic confidence in the judgment."""
    sources: list[Id] = Field(default=[], examples=[["source-id"]])
    """Ids of the sources it rests on."""
    outcome: Outcome | None = None
    """What happened, once it is known: scores the judgment on the Track record page."""

    def rests_on(self) -> list[str]:
        """The sources it rests on: those under its `sources:`, then those cited as [@id] in its
        text, once each (not its outcome's: they show what happened, not what it was based on)."""
        cited = [sid for found in CITATION.finditer(self.text) for sid in citation_ids(found.group(1))]
        return list(dict.fromkeys([*self.sources, *cited]))


class Assumption(Record):
    markdown_fields = ("text",)

    text: Markdown = Field(examples=["Moscow will not risk open war with Turkey"])
    """The assumption, in Markdown."""
    status: AssumptionStatus | None = Field(default=None, examples=["caveated"])
    """A key assumptions check's rating: solid, caveated or unsupported."""
    judgments: list[Id] = Field(default=[], examples=[["judgment-id"]])
    """Ids of the key judgments that rest on it."""


class BriefingActor(Record):
    markdown_fields = ("role",)

    actor: Id = Field(examples=["actor-id"])
    """An actor id."""
    role: Markdown | None = Field(default=None, examples=["Balances between Baku and Yerevan"])
    """What the actor does in this briefing."""


class TimelineEvent(Record):
    markdown_fields = ("event",)

    date: PartialDate = Field(examples=["2020-10-14"])
    """YYYY-MM-DD, or YYYY-MM or YYYY where only that much is known."""
    event: Markdown = Field(examples=["Erdogan and Putin discuss Nagorno-Karabakh by phone"])
    """What happened."""
    actors: list[Id] = Field(default=[], examples=[["actor-id"]])
    """Actors involved."""
    sources: list[Id] = Field(default=[], examples=[["source-id"]])
    """Sources for the event."""
    location: Point | None = Field(default=None, examples=[[40.683, 46.361]])
    """Where it happened: [latitude, longitude] (or give `place`, not both)."""
    place: Id | None = Field(default=None, examples=["ganja"])
    """Where it happened: the id of a place in places.yaml (or give `location`, not both)."""


class Indicator(Record):
    markdown_fields = ("text",)

    text: Markdown = Field(examples=["Observers deploy to the line of contact"])
    """What to watch for."""
    status: IndicatorStatus = Field(default="unknown", examples=["observed"])
    """Whether it has been observed."""
    observed_on: IsoDate | None = Field(default=None, examples=["2020-10-20"])
    """When its status was last established."""
    sources: list[Id] = Field(default=[], examples=[["source-id"]])
    """Sources for its status."""


class Scenario(Record):
    markdown_fields = ("description", "implications",)

    id: Id | None = Field(default=None, examples=["russia-stays-out"])
    """Follows the scenario across versions (unique in the briefing; needed from a second update)."""
    title: Text = Field(examples=["Russia stays out"])
    """A short name for the scenario."""
    likelihood: Likelihood | None = Field(default=None, examples=["unlikely"])
    """Estimative likelihood term."""
    description: Markdown = Field(examples=["Moscow confines itself to calls for a ceasefire"])
    """What happens in this scenario."""
    implications: Markdown | None = Field(default=None, examples=["Turkey gains weight in the South Caucasus"])
    """What follows from it."""
    indicators: list[Annotated[Indicator, BeforeValidator(indicator_shorthand)]] = []
    """What to watch: a Markdown string, or a mapping with text and status."""
    outcome: Outcome | None = None
    """What happened, once it is known: scores the scenario on the Track record page."""


class Section(Record):
    markdown_fields = ("body",)

    title: Text = Field(examples=["Background"])
    """The section heading."""
    body: Markdown = Field(examples=["The dispute over Nagorno-Karabakh dates from 1988"])
    """The section text."""


class Update(Record):
    markdown_fields = ("note",)

    date: IsoDate = Field(examples=["2020-10-16"])
    """When the briefing changed."""
    note: Markdown = Field(examples=["Added the Idlib strikes"])
    """What changed, and why: shown as the reason beside each judgment that moved."""
    trend: Trend | None = Field(default=None, examples=["deteriorated"])
    """Where the situation went since the update before (CrisisWatch's categories)."""


class Briefing(Record):
    """`briefings/<id>.yaml`: one briefing."""

    markdown_fields = ("summary",)

    id: Id | None = Field(default=None, examples=["russia-options-nagorno-karabakh"])
    """Optional; must equal the file name's stem."""
    title: Text = Field(examples=["Russia's options in Nagorno-Karabakh range from bad to worse"])
    """The briefing's headline."""
    date: IsoDate = Field(examples=["2020-10-15"])
    """The 'as of' date."""
    status: Status = Field(default="draft", examples=["final"])
    """draft or final; drafts are marked as such everywhere."""
    marking: Text | None = Field(default=None, examples=["TLP:CLEAR"])
    """Overrides the site's marking on this briefing's pages."""
    audience: Audience = Field(default="internal", examples=["public"])
    """public or internal; public builds show only final public briefings."""
    authors: list[Text] = Field(default=[], examples=[["Desk analyst"]])
    """Who wrote it."""
    region: Text | None = Field(default=None, examples=["South Caucasus"])
    """The region it covers."""
    area: Area | None = Field(default=None, examples=[["AZ", "AM"]])
    """Where it is: country codes (AZ, AM...), or a box {south, west, north, east} (west > east crosses 180)."""
    tags: list[Text] = Field(default=[], examples=[["russia", "turkey"]])
    """Free tags."""
    summary: Markdown = Field(examples=["Moscow is balancing between Baku and Yerevan"])
    """The bottom line up front."""
    key_judgments: list[KeyJudgment] = []
    """Key judgments with likelihood and confidence."""
    assumptions: list[Annotated[Assumption, BeforeValidator(indicator_shorthand)]] = []
    """What the judgments rest on: a Markdown string, or a mapping with text, status and judgments."""
    actors: list[BriefingActor] = []
    """Who matters in this briefing, and how."""
    timeline: list[TimelineEvent] = []
    """Dated events."""
    scenarios: list[Scenario] = []
    """Possible developments."""
    scenarios_exclusive: bool = Field(default=False, examples=[True])
    """The scenarios exclude each other and cover every outcome: their ranges must be able to add up to 100%."""
    sections: list[Section] = []
    """Free sections, in order, after the summary."""
    related: list[Id] = Field(default=[], examples=[["other-briefing-id"]])
    """Ids of related briefings."""
    lang: LanguageTag | None = Field(default=None, examples=["ru"])
    """The language it is written in (ru, hy, ar, az-Arab...); the site's `language` if not given."""
    translation_of: Id | None = Field(default=None, examples=["other-briefing-id"])
    """The id of the briefing it translates: the two link each other, and lists show the original once."""
    updates: list[Update] = []
    """Change log, newest first."""

    def listed_actors(self) -> list[str]:
        """The actors it lists under actors:, then those only in its timeline, once each."""
        return list(dict.fromkeys([a.actor for a in self.actors] + [x for e in self.timeline for x in e.actors]))

    def issued(self) -> tuple[dt.date, dt.date]:
        """Its first issue and its latest version: the earliest and the latest of its date and its
        change log's dates."""
        days = [self.date, *(u.date for u in self.updates)]
        return min(days), max(days)

    def named_actors(self) -> set[str]:
        """Every id it names as an actor: listed, in its timeline, or linked as [[id]] (a link
        may name a briefing or a term too: whoever asks keeps the ids of actors)."""
        return set(self.listed_actors()) | self.linked_ids()


class Relation(Record):
    markdown_fields = ("note",)

    actor: Id = Field(examples=["actor-id"])
    """The other actor's id."""
    type: RelationType = Field(examples=["rival"])
    """The kind of relation."""
    note: Markdown | None = Field(default=None, examples=["Competes for influence in the South Caucasus"])
    """More about it."""
    sources: list[Id] = Field(default=[], examples=[["source-id"]])
    """Sources for the relation."""


class Actor(Record):
    """`actors/<id>.yaml`: one actor profile."""

    markdown_fields = ("summary",)

    id: Id | None = Field(default=None, examples=["putin"])
    """Optional; must equal the file name's stem."""
    name: Text = Field(examples=["Vladimir Putin"])
    """The actor's name."""
    native_name: Text | None = Field(default=None, examples=["Владимир Путин"])
    """The name in its own script."""
    native_lang: LanguageTag | None = Field(default=None, examples=["ru"])
    """The native name's language (ru, hy, ar, az-Arab...): screen readers read it in that language."""
    aliases: list[Text] = Field(default=[], examples=[["Putin"]])
    """Other names."""
    kind: ActorKind = Field(default="other", examples=["person"])
    """person, state, organization, armed-group or other."""
    title: Text | None = Field(default=None, examples=["President of Russia"])
    """Office or role."""
    country: Id | None = Field(default=None, examples=["state-id"])
    """The id of an actor of kind state."""
    location: Location | None = Field(default=None, examples=["AZ", [40.409, 49.867]])
    """Where it is: a country code (ISO 3166-1 alpha-2, such as AZ) or a point [latitude, longitude]."""
    summary: Markdown | None = Field(default=None, examples=["Who they are and why they matter"])
    """A profile."""
    relations: list[Relation] = []
    """Relations to other actors."""
    sources: list[Id] = Field(default=[], examples=[["source-id"]])
    """Sources about this actor."""


class Source(Record):
    """One entry of a `sources/*.yaml` list."""

    markdown_fields = ("note",)

    id: Id = Field(examples=["mt-options"])
    """Unique source id, cited as [@id]."""
    title: Text = Field(examples=["Russia's options in Nagorno-Karabakh range from bad to worse"])
    """The source's title."""
    url: HttpUrl = Field(examples=["https://www.example.com/2020/10/15/russias-options"])
    """http or https address."""
    publisher: Text | None = Field(default=None, examples=["The Moscow Times"])
    """Who published it."""
    author: Text | None = Field(default=None, examples=["Name of the author"])
    """Who wrote it."""
    published: IsoDate | None = Field(default=None, examples=["2020-10-15"])
    """Publication date."""
    accessed: IsoDate | None = Field(default=None, examples=["2020-10-20"])
    """When it was read."""
    archive_url: HttpUrl | None = Field(
        default=None, examples=["https://web.archive.org/web/2020/https://www.example.com/2020/10/15/russias-options"])
    """An archived copy (http or https)."""
    kind: SourceKind = Field(default="other", examples=["opinion"])
    """news, opinion, analysis, official, dataset or other."""
    language: LanguageTag | None = Field(default=None, examples=["en"])
    """The language of the source (en, ru, ar...): its title is marked as written in it."""
    reliability: Reliability | None = Field(default=None, examples=["F"])
    """Admiralty source reliability, A-F."""
    credibility: Credibility | None = Field(default=None, examples=[6])
    """Admiralty information credibility, 1-6."""
    note: Markdown | None = Field(default=None, examples=["Anything else about the source"])
    """Anything else about the source."""


class Term(Record):
    """One entry of `glossary.yaml`."""

    markdown_fields = ("definition",)

    id: Id = Field(examples=["kazan-formula"])
    """Unique term id, linked as [[id]]."""
    term: Text = Field(examples=["Kazan formula"])
    """The term as written."""
    definition: Markdown = Field(examples=["A phased return of the districts around Nagorno-Karabakh"])
    """What it means."""
    aliases: list[Text] = Field(default=[], examples=[["Kazan document"]])
    """Other spellings."""
    proper_noun: bool = Field(default=False, examples=[True])
    """A name, which keeps its capital letter inside a sentence (else [[id]] there starts small)."""
    sources: list[Id] = Field(default=[], examples=[["source-id"]])
    """Sources for the definition."""


@dataclass(frozen=True)
class Version:
    """One issued version of a briefing: an entry of its `updates:`, and the briefing as it was."""

    date: dt.date
    note: str
    trend: str | None
    commit: str
    """The commit where the update first appeared ('' when not read from git)."""
    briefing: Briefing = field(compare=False)
    """As committed then, read as `validate` reads a file (read/history.py); the newest version
    is the current file. Not compared: the commit and the path say which file it is."""
    path: str = ""
    """The file's path in that commit, from the top of the git work tree ('' for the newest)."""


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
    places: dict[str, Place] = field(default_factory=dict)
    """By id, in the order written in places.yaml (empty without that file)."""
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    """(kind, id) -> the file it came from, for messages."""
    versions: dict[str, tuple[Version, ...]] = field(default_factory=dict)
    """Briefing id -> its issued versions, oldest first (read from git; see read/history.py).
    A briefing missing here has one version: itself."""
