"""Commented skeletons of new items (`new briefing|actor|source|term ID`), written where
the item belongs, never over a file or an id that exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core import model as m
from ..core.errors import BriefError, Problem, display_path
from ..core.project import Project
from .content import (
    LIST_HEADERS,
    TODO,
    Written,
    append_entries,
    check_id,
    choices,
    existing_content,
    list_file,
    write_new,
)
from .schema import SCHEMA_KINDS, schema_comment

TITLE_PLACEHOLDER = f"{TODO}: write the title as the source gives it"

KINDS = ("briefing", "actor", "source", "term")


KINDS = ("briefing", "actor", "source", "term")


_HOW_TO = """\
# The format is docs/format.md. Replace every TODO. Optional fields are commented
# out: delete the "# " in front of a block to use it. In Markdown fields, [@source-id]
# cites a source and [[id]] or [[id|text]] links to a briefing, an actor or a term.
"""

_BRIEFING = """\
# Briefing '{id}'.
{how_to}title: "TODO: the headline"
date: {today}            # the "as of" date, YYYY-MM-DD
status: draft               # {status}; drafts are marked as such everywhere
audience: internal          # {audience}; public builds show only final public briefings
# marking: "TLP:CLEAR"      # overrides the site's marking on this briefing's pages
# authors: [Desk analyst]
# region: South Caucasus
# tags: [russia, turkey]
summary: |                  # Markdown: the bottom line up front
  TODO: the bottom line up front.
# key_judgments:
#   - text: The offensive will continue until the districts are retaken   # Markdown
#     likelihood: likely    # {likelihood}
#     confidence: moderate  # {confidence}
#     sources: [source-id]
# assumptions:              # what the judgments rest on (Markdown)
#   - Moscow will not risk open war with Turkey
# actors:
#   - actor: actor-id
#     role: What the actor does in this briefing   # Markdown
# timeline:
#   - date: 2020-10-14      # YYYY-MM-DD, or YYYY-MM or YYYY where only that much is known
#     event: What happened  # Markdown
#     actors: [actor-id]
#     sources: [source-id]
# scenarios:
#   - title: A short name
#     likelihood: unlikely
#     description: What happens      # Markdown
#     implications: What follows     # Markdown
#     indicators:           # what to watch: text, or text with a status
#       - Observers deploy to the line of contact
#       - text: The mediators table a plan
#         status: observed  # {indicator_status}
# sections:                 # free sections after the summary, in order
#   - title: Background
#     body: |
#       Markdown text.
# related: [other-briefing-id]
# updates:                  # change log, newest first
#   - date: {today}
#     note: What changed
"""

_ACTOR = """\
# Actor '{id}'.
{how_to}name: "TODO: the name"
kind: other                 # {kind}
# native_name: Владимир Путин   # the name in its own script
# aliases: [Other name]
# title: President of Russia
# country: state-id         # the id of an actor of kind state
# summary: |                # Markdown: a profile
#   Who they are and why they matter.
# relations:
#   - actor: actor-id
#     type: rival           # {relation}
#     note: More about it   # Markdown
#     sources: [source-id]
# sources: [source-id]      # sources about this actor
"""

_SOURCE = """\
- id: {id}
  title: "{title}"
  url: https://example.com/TODO/{id}   # the address, http or https
  # publisher: The Moscow Times
  # author: Name of the author
  # published: 2020-10-15
  accessed: {today}
  kind: other               # {kind}
  # language: en
  # reliability: F          # {reliability}
  # credibility: 6          # {credibility}
  # note: Anything else about the source   # Markdown
"""

_TERM = """\
- id: {id}
  term: "TODO: the term as written"
  definition: >-            # Markdown
    TODO: what it means.
  # aliases: [Other spelling]
  # sources: [source-id]
"""

def _skeleton(kind: str, item_id: str, today: dt.date) -> str:
    template = {"briefing": _BRIEFING, "actor": _ACTOR, "source": _SOURCE, "term": _TERM}[kind]
    return template.format(
        id=item_id, today=today.isoformat(), how_to=_HOW_TO, title=TITLE_PLACEHOLDER,
        status=choices(m.Status), audience=choices(m.Audience), likelihood=choices(m.Likelihood),
        confidence=choices(m.Confidence), indicator_status=choices(m.IndicatorStatus),
        kind=choices(m.SourceKind if kind == "source" else m.ActorKind), relation=choices(m.RelationType),
        reliability=_scale(m.RELIABILITY_MEANINGS), credibility=_scale(m.CREDIBILITY_MEANINGS),
    )


def _scale(meanings: dict[Any, str]) -> str:
    """An Admiralty scale in a few words: 'A (completely reliable) to F (reliability cannot be judged)'."""
    (low, first), *_, (high, last) = meanings.items()
    return f"{low} ({first}) to {high} ({last})"


def scaffold(project: Project, kind: str, item_id: str, file: str | None = None,
             today: dt.date | None = None) -> Written:
    """Write a skeleton of a new briefing, actor, source or term; refuse to overwrite or reuse an id."""
    today = today or dt.date.today()
    data = project.data
    if kind in ("briefing", "actor"):
        target = data / f"{kind}s" / f"{item_id}.yaml"
    elif kind == "source":
        target = list_file(data, file, "new.yaml")
    else:
        target = data / "glossary.yaml"
    if file and kind != "source":
        raise BriefError([Problem(display_path(target), None, (), "--file is only for sources")])
    check_id(item_id, target)
    if kind in ("briefing", "actor") and target.exists():
        raise BriefError([Problem(display_path(target), None, (), f"the file already exists; "
                                  f"choose another id or edit {display_path(target)}")])
    taken = existing_content(data).ids
    if item_id in taken:
        raise BriefError([Problem(display_path(target), None, (), f"the id '{item_id}' is already used in "
                                  f"{taken[item_id]}; briefings, actors, sources and terms need distinct ids")])
    body = _skeleton(kind, item_id, today)
    if kind in ("briefing", "actor"):
        kind_ = SCHEMA_KINDS[kind]
        write_new(target, f"{schema_comment(project, target, kind_)}\n{body}")
        return Written(target, [item_id], created=True, lines=[2])
    header = LIST_HEADERS["sources" if kind == "source" else "glossary"]
    return append_entries(project, target, {item_id: body}, header)
